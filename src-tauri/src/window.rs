//! The window as the app's [`Surface`]: the Desk's events become window events, the
//! needs-you count the launcher badge, the title and the tray's, and a clicked
//! notification brings the window forward on its order.

use sellerdesk_app::Surface;
use sellerdesk_app::surface::window_title;
use sellerdesk_core::ipc::{Alert, ChangeBatch, OrderKey, SyncStatus, UploadProgress};
use tauri::{AppHandle, Emitter, Manager, Runtime};

pub struct WindowSurface<R: Runtime> {
    pub app: AppHandle<R>,
}

impl<R: Runtime> WindowSurface<R> {
    fn emit(&self, event: &str, payload: impl serde::Serialize + Clone) {
        if let Err(e) = self.app.emit(event, payload) {
            tracing::warn!(event, error = %e, "cannot emit");
        }
    }
}

impl<R: Runtime> Surface for WindowSurface<R> {
    fn changes(&self, batch: &ChangeBatch) {
        self.emit("changes", batch.clone());
    }

    fn sync_status(&self, status: &SyncStatus) {
        self.emit("sync-status", status.clone());
    }

    fn upload_progress(&self, progress: &UploadProgress) {
        self.emit("upload-progress", progress.clone());
    }

    fn needs_you(&self, count: usize) {
        if let Some(window) = self.app.get_webview_window("main") {
            if let Err(e) = window.set_badge_count((count > 0).then_some(count as i64)) {
                tracing::debug!(error = %e, "no launcher badge on this desktop");
            }
            let _ = window.set_title(&window_title(count));
        }
        crate::tray::show_count(&self.app, count);
        self.emit("needs-response", count);
    }

    fn alerts(&self, alerts: &[Alert]) {
        self.emit("alerts", alerts.to_vec());
    }

    fn open_order(&self, order: &OrderKey) {
        focus_main(&self.app);
        self.emit("open-order", order.clone());
    }

    fn show_window(&self) {
        focus_main(&self.app);
    }
}

/// Brings the main window to the front (a second instance was started, a notification
/// was clicked, the tray's "Open").
pub fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    crate::tray::shown(app);
}
