//! The app in the background, through Tauri's mock runtime: closing the main window with
//! a tray host hides it and the app goes on running (quits without one), and the tray
//! menu shows the needs-you count the badge shows.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sellerdesk_shell::tray::{self, Background, TrayMenu};
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::{App, Manager, RunEvent, WebviewUrl, WebviewWindowBuilder};

fn app_with_main_window(close_to_tray: bool, state_file: &Path) -> App<MockRuntime> {
    let app = mock_builder()
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_filename(state_file.to_string_lossy())
                .with_state_flags(tray::WINDOW_STATE)
                .build(),
        )
        .build(mock_context(noop_assets()))
        .expect("a mock app");
    tray::menu(app.handle()).expect("the tray menu");
    app.state::<Background>().set_close_to_tray(close_to_tray);
    WebviewWindowBuilder::new(&app, "main", WebviewUrl::default())
        .build()
        .expect("the main window");
    app
}

#[derive(Default)]
struct Seen {
    closed: AtomicBool,
    hidden_and_there: AtomicBool,
    destroyed: AtomicBool,
    exit_before_destroy: AtomicBool,
}

/// Runs the app: closes the main window once it is ready, then, when the loop goes on
/// with the window hidden, destroys it (the app then exits as it would on "Quit"). The
/// mock runtime does not call the builder's window-event hook (its windows drop their
/// listeners), so the run loop hands the close request to the same function lib.rs does.
fn close_main_and_run(app: App<MockRuntime>) -> Arc<Seen> {
    let seen = Arc::new(Seen::default());
    let record = seen.clone();
    app.run_return(move |handle, event| match event {
        RunEvent::Ready => {
            let main = handle.get_webview_window("main").expect("main window");
            main.close().expect("close request sent");
            record.closed.store(true, Ordering::SeqCst);
        }
        RunEvent::WindowEvent { label, event, .. } => {
            let main = handle
                .get_webview_window(&label)
                .expect("the window of the event");
            tray::on_window_event(&main.as_ref().window(), &event);
        }
        RunEvent::MainEventsCleared if record.closed.load(Ordering::SeqCst) => {
            let there = handle.get_webview_window("main");
            if there.is_some() && handle.state::<Background>().hidden() {
                record.hidden_and_there.store(true, Ordering::SeqCst);
            }
            if let Some(main) = there
                && !record.destroyed.swap(true, Ordering::SeqCst)
            {
                main.destroy().expect("destroy sent");
            }
        }
        RunEvent::ExitRequested { .. } if !record.destroyed.load(Ordering::SeqCst) => {
            record.exit_before_destroy.store(true, Ordering::SeqCst);
        }
        _ => {}
    });
    seen
}

#[test]
fn closing_the_main_window_with_a_tray_hides_it_and_the_app_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let state_file = dir.path().join("window-state.json");
    let seen = close_main_and_run(app_with_main_window(true, &state_file));
    assert!(
        state_file.exists(),
        "the window's place is saved when it is closed to the tray"
    );
    assert!(
        seen.hidden_and_there.load(Ordering::SeqCst),
        "after a close request the main window must still exist, hidden, while the loop runs"
    );
    assert!(
        !seen.exit_before_destroy.load(Ordering::SeqCst),
        "closing the window to the tray must not ask the app to exit"
    );
}

#[test]
fn without_a_tray_host_closing_the_main_window_quits() {
    let dir = tempfile::tempdir().unwrap();
    let seen = close_main_and_run(app_with_main_window(false, &dir.path().join("state.json")));
    assert!(
        seen.exit_before_destroy.load(Ordering::SeqCst),
        "with no tray host, closing the last window must end the app (WebDriver relies on it)"
    );
    assert!(
        !seen.hidden_and_there.load(Ordering::SeqCst),
        "with no tray host the window must not be kept hidden"
    );
}

#[test]
fn the_tray_menu_count_follows_the_badge_count() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with_main_window(true, &dir.path().join("state.json"));
    let handle = app.handle();
    for count in [0, 1, 3, 12, 0] {
        tray::show_count(handle, count);
        let shown = handle
            .state::<TrayMenu<MockRuntime>>()
            .count_text()
            .expect("menu text");
        assert_eq!(shown, tray::count_text(count), "the menu must show {count}");
    }
    assert_eq!(tray::count_text(0), "Nothing needs you");
    assert_eq!(tray::count_text(1), "1 needs you");
    assert_eq!(tray::count_text(3), "3 need you");
    assert_eq!(tray::tooltip(3), "sellerdesk — 3 need you");
}
