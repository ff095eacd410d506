//! The app in the background: a tray icon whose tooltip and menu carry the needs-you
//! count ("Open sellerdesk", "Quit"), and close-to-tray — closing the main window hides
//! it while sync and notifications go on — when the desktop shows tray icons (a
//! StatusNotifierWatcher on the session bus). Without a tray host closing still quits:
//! a hidden window with no icon could never come back, and a WebDriver session that
//! closes the window must still end the app.

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What of the window is remembered: size and position, not visibility (a window hidden
/// in the tray comes back shown).
pub const WINDOW_STATE: StateFlags = StateFlags::all().difference(StateFlags::VISIBLE);

/// The tray icon's id.
pub const TRAY_ID: &str = "sellerdesk";
const OPEN: &str = "tray-open";
const QUIT: &str = "tray-quit";
const COUNT: &str = "tray-count";

/// Whether closing the main window hides it, and whether it is hidden now.
#[derive(Default)]
pub struct Background {
    close_to_tray: AtomicBool,
    hidden: AtomicBool,
}

impl Background {
    /// Closing the main window hides it from now on (a tray host is there) or quits.
    pub fn set_close_to_tray(&self, on: bool) {
        self.close_to_tray.store(on, Ordering::Relaxed);
    }

    pub fn close_to_tray(&self) -> bool {
        self.close_to_tray.load(Ordering::Relaxed)
    }

    /// True while the main window is hidden in the tray.
    pub fn hidden(&self) -> bool {
        self.hidden.load(Ordering::Relaxed)
    }

    fn set_hidden(&self, hidden: bool) {
        self.hidden.store(hidden, Ordering::Relaxed);
    }
}

/// The menu line with the count.
pub fn count_text(count: usize) -> String {
    match count {
        0 => "Nothing needs you".to_string(),
        n => format!("{n} need{} you", if n == 1 { "s" } else { "" }),
    }
}

/// The icon's tooltip.
pub fn tooltip(count: usize) -> String {
    format!("sellerdesk — {}", count_text(count).to_lowercase())
}

/// The tray menu's count line, kept to update it.
pub struct TrayMenu<R: Runtime> {
    count: MenuItem<R>,
}

impl<R: Runtime> TrayMenu<R> {
    /// The count line's text now.
    pub fn count_text(&self) -> tauri::Result<String> {
        self.count.text()
    }
}

/// The tray's menu (count, "Open sellerdesk", "Quit"), managed as [`TrayMenu`] and
/// [`Background`] (close-to-tray off until a tray host is found).
pub fn menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let count = MenuItem::with_id(app, COUNT, count_text(0), false, None::<&str>)?;
    let open = MenuItem::with_id(app, OPEN, "Open sellerdesk", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&count, &separator, &open, &quit])?;
    app.manage(TrayMenu { count });
    app.manage(Background::default());
    Ok(menu)
}

/// Builds the tray icon, and turns close-to-tray on once a tray host answers.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let menu = menu(app)?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip(tooltip(0))
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| {
            crate::guard::callback("tray menu", || on_menu(app, event.id().as_ref()));
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let present = sellerdesk_notify::tray_host_present().await;
        tracing::info!(present, "tray host on the session bus");
        handle.state::<Background>().set_close_to_tray(present);
    });
    Ok(())
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, id: &str) {
    match id {
        OPEN => crate::startup::focus_main(app),
        QUIT => app.exit(0),
        _ => {}
    }
}

/// Shows `count` in the tray's menu and tooltip (the badge's count).
pub fn show_count<R: Runtime>(app: &AppHandle<R>, count: usize) {
    if let Some(menu) = app.try_state::<TrayMenu<R>>()
        && let Err(e) = menu.count.set_text(count_text(count))
    {
        tracing::debug!(error = %e, "cannot update the tray menu");
    }
    if let Some(tray) = app.tray_by_id(TRAY_ID)
        && let Err(e) = tray.set_tooltip(Some(tooltip(count)))
    {
        tracing::debug!(error = %e, "cannot update the tray tooltip");
    }
}

/// Closing the main window hides it instead when close-to-tray is on (its place saved
/// first; the window-state plugin must be registered).
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    let Some(background) = window.try_state::<Background>() else {
        return;
    };
    if window.label() != "main" || !background.close_to_tray() {
        return;
    }
    api.prevent_close();
    // Saved now, not only at exit: an app ended from outside (logout, a kill) keeps it.
    if let Err(e) = window.app_handle().save_window_state(WINDOW_STATE) {
        tracing::warn!(error = %e, "cannot save the window's place");
    }
    if let Err(e) = window.hide() {
        tracing::warn!(error = %e, "cannot hide the window");
    }
    background.set_hidden(true);
    tracing::info!("window closed to the tray; sellerdesk keeps running");
}

/// The main window is shown again.
pub fn shown<R: Runtime>(app: &AppHandle<R>) {
    if let Some(background) = app.try_state::<Background>() {
        background.set_hidden(false);
    }
}
