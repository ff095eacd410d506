//! The tray icon, whose tooltip and menu carry the needs-you count ("Open sellerdesk",
//! "Quit"), and close-to-tray on the main window (when and why: `sellerdesk_app::
//! background`).

use sellerdesk_app::background::Background;
use sellerdesk_app::surface::{needs_you_text, tooltip};
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
    let count = MenuItem::with_id(app, COUNT, needs_you_text(0), false, None::<&str>)?;
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
            sellerdesk_app::guard::callback("tray menu", || match event.id().as_ref() {
                OPEN => crate::window::focus_main(app),
                QUIT => app.exit(0),
                _ => {}
            });
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let present = sellerdesk_app::tray_host_present().await;
        tracing::info!(present, "tray host on the session bus");
        handle.state::<Background>().set_close_to_tray(present);
    });
    Ok(())
}

/// Shows `count` in the tray's menu and tooltip (the badge's count).
pub fn show_count<R: Runtime>(app: &AppHandle<R>, count: usize) {
    if let Some(menu) = app.try_state::<TrayMenu<R>>()
        && let Err(e) = menu.count.set_text(needs_you_text(count))
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
    let background = window.try_state::<Background>();
    if window.label() != "main" || !background.is_some_and(|b| b.hide_on_close()) {
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
    tracing::info!("window closed to the tray; sellerdesk keeps running");
}

/// The main window is shown again.
pub fn shown<R: Runtime>(app: &AppHandle<R>) {
    if let Some(background) = app.try_state::<Background>() {
        background.shown();
    }
}
