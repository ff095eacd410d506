//! Native notifications, the Tauri side: every due alert reaches the window (event
//! `alerts`), so nothing is lost when no notification service runs, and is shown on the
//! desktop through `sellerdesk-notify`, which queues Accept / Decline in the outbox. Here
//! only the loop, one thread per shown notification, and "open the order": focus the
//! window and emit `open-order`.

use std::sync::Arc;
use std::time::Duration;

use sellerdesk_core::Workspace;
use sellerdesk_core::alerts::Alert;
use sellerdesk_core::sync_loop::SyncWaker;
use sellerdesk_notify::MissingService;
use serde::Serialize;
use tauri::{AppHandle, Emitter};

/// How often due alerts are checked.
const EVERY: Duration = Duration::from_secs(30);

/// Payload of the `open-order` event: focus this order.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct OpenOrder {
    account_id: String,
    order_id: String,
}

pub fn spawn(app: AppHandle, ws: Arc<Workspace>, sync: SyncWaker) {
    let missing = Arc::new(MissingService::new());
    tauri::async_runtime::spawn(async move {
        // Let the first sync land before the first check.
        tokio::time::sleep(Duration::from_secs(5)).await;
        loop {
            // A bug in planning or showing alerts loses this round, never the loop.
            crate::guard::callback("alerts", || check(&app, &ws, &sync, &missing));
            tokio::time::sleep(EVERY).await;
        }
    });
}

fn check(app: &AppHandle, ws: &Arc<Workspace>, sync: &SyncWaker, missing: &Arc<MissingService>) {
    match ws.take_due_alerts(None) {
        Ok(alerts) if !alerts.is_empty() => {
            if let Err(e) = app.emit("alerts", &alerts) {
                tracing::warn!(error = %e, "cannot emit alerts");
            }
            for alert in alerts {
                let (app, ws, sync, missing) =
                    (app.clone(), ws.clone(), sync.clone(), missing.clone());
                // Waiting for a button blocks: one thread per shown notification. Its
                // action handlers run under a guard: no panic unwinds into D-Bus.
                std::thread::spawn(move || {
                    crate::guard::callback("notification", || {
                        let wake = || crate::guard::callback("notification wake", || sync.wake());
                        let open = |alert: &Alert| {
                            crate::guard::callback("open order", || focus(&app, alert));
                        };
                        if let Err(e) = sellerdesk_notify::show_and_wait(&ws, &wake, &alert, &open)
                        {
                            missing.report(&e);
                        }
                    });
                });
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot plan alerts"),
    }
}

fn focus(app: &AppHandle, alert: &Alert) {
    crate::startup::focus_main(app);
    let payload = OpenOrder {
        account_id: alert.account_id.clone(),
        order_id: alert.order_id.clone(),
    };
    if let Err(e) = app.emit("open-order", payload) {
        tracing::warn!(error = %e, "cannot emit open-order");
    }
}
