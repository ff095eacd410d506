//! Where the app shows itself: the shell's window, launcher badge and tray, seen from here
//! as one [`Surface`]. [`SurfaceEvents`] puts the Desk's events on it and keeps the
//! needs-you count current.

use std::sync::{Arc, Mutex, PoisonError};

use sellerdesk_core::Workspace;
use sellerdesk_core::alerts::Alert;
use sellerdesk_core::desk::{ChangeBatch, ChangeKind, DeskEvents};
use sellerdesk_core::listing::OrderKey;
use sellerdesk_core::sync::SyncStatus;
use sellerdesk_core::uploads::UploadProgress;

use crate::guard::callback;

/// Every event the window gets, with its payload's Rust type: one per [`Surface`] method.
/// The window's `EventPayloads` is generated from it (src-tauri/tests/ipc_bindings.rs,
/// which also fails on an event the shell emits that is missing here).
pub const EVENTS: &[(&str, &str)] = &[
    ("changes", "ChangeBatch"),
    ("sync-status", "SyncStatus"),
    ("upload-progress", "UploadProgress"),
    ("needs-response", "usize"),
    ("alerts", "Vec<Alert>"),
    ("open-order", "OrderKey"),
];

/// What the app shows outside the core's data: the shell implements it (window events,
/// badge, title, tray); tests record it.
pub trait Surface: Send + Sync {
    /// These things changed: the window re-reads them.
    fn changes(&self, batch: &ChangeBatch);
    /// The sync's state changed.
    fn sync_status(&self, status: &SyncStatus);
    /// An upload moved.
    fn upload_progress(&self, progress: &UploadProgress);
    /// How many items wait for the seller now (told when it moves).
    fn needs_you(&self, count: usize);
    /// Alerts just due (also shown as desktop notifications).
    fn alerts(&self, alerts: &[Alert]);
    /// Bring the window forward on this order (a notification was clicked).
    fn open_order(&self, order: &OrderKey);
    /// Bring the window forward as it is (the summary notification was clicked; the
    /// inbox lists what it summed up).
    fn show_window(&self) {}
}

/// The Desk's events on a surface; a batch naming orders or the badge recounts what
/// waits for the seller, told to the surface when the count moves. A panicking surface
/// loses that one event, never the engine that reported it.
pub struct SurfaceEvents {
    surface: Arc<dyn Surface>,
    ws: Arc<Workspace>,
    told: Mutex<Option<usize>>,
}

impl SurfaceEvents {
    pub fn new(surface: Arc<dyn Surface>, ws: Arc<Workspace>) -> SurfaceEvents {
        SurfaceEvents {
            surface,
            ws,
            told: Mutex::new(None),
        }
    }

    /// Counts what waits for the seller and tells the surface if it moved.
    pub fn recount(&self) {
        let count = match self.ws.needs_response_count() {
            Ok(count) => count,
            Err(e) => return tracing::warn!(error = %e, "cannot count what needs a response"),
        };
        let mut told = self.told.lock().unwrap_or_else(PoisonError::into_inner);
        if *told != Some(count) {
            *told = Some(count);
            callback("needs you", || self.surface.needs_you(count));
        }
    }
}

impl DeskEvents for SurfaceEvents {
    fn changes(&self, batch: &ChangeBatch) {
        callback("changes", || self.surface.changes(batch));
        if batch.names(ChangeKind::Badge) || batch.names(ChangeKind::Order) {
            self.recount();
        }
    }

    fn sync_status(&self, status: &SyncStatus) {
        callback("sync status", || self.surface.sync_status(status));
    }

    fn upload_progress(&self, progress: &UploadProgress) {
        callback("upload progress", || self.surface.upload_progress(progress));
    }
}

/// The count as a line ("3 need you"), for the tray's menu.
pub fn needs_you_text(count: usize) -> String {
    match count {
        0 => "Nothing needs you".to_string(),
        n => format!("{n} need{} you", if n == 1 { "s" } else { "" }),
    }
}

/// The tray icon's tooltip.
pub fn tooltip(count: usize) -> String {
    format!("sellerdesk — {}", needs_you_text(count).to_lowercase())
}

/// The window's title with the count.
pub fn window_title(count: usize) -> String {
    match count {
        0 => "sellerdesk".to_string(),
        n => format!("sellerdesk ({n})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_reads_as_a_seller_would_say_it() {
        assert_eq!(needs_you_text(0), "Nothing needs you");
        assert_eq!(needs_you_text(1), "1 needs you");
        assert_eq!(needs_you_text(3), "3 need you");
        assert_eq!(tooltip(3), "sellerdesk — 3 need you");
        assert_eq!(window_title(0), "sellerdesk");
        assert_eq!(window_title(2), "sellerdesk (2)");
    }
}
