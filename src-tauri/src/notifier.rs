//! Native notifications: the core's due alerts go to the desktop's notification service
//! (freedesktop on Linux, through notify-rust) with Accept / Decline on the buyer requests
//! that can be answered that way and "Open order" on every alert. A button goes through
//! the same outbox as the window's buttons; clicking the body focuses the window on the
//! order. Every alert also reaches the window (event `alerts`), so nothing is lost when
//! no notification service runs; that failure is logged once, not per alert.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sellerdesk_api::OrderAction;
use sellerdesk_core::Workspace;
use sellerdesk_core::alerts::Alert;
use sellerdesk_core::sync_loop::SyncWaker;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

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
    let failed_once = Arc::new(AtomicBool::new(false));
    tauri::async_runtime::spawn(async move {
        // Let the first sync land before the first check.
        tokio::time::sleep(Duration::from_secs(5)).await;
        loop {
            match ws.take_due_alerts(None) {
                Ok(alerts) if !alerts.is_empty() => {
                    if let Err(e) = app.emit("alerts", &alerts) {
                        tracing::warn!(error = %e, "cannot emit alerts");
                    }
                    for alert in alerts {
                        let (app, ws, sync, failed_once) =
                            (app.clone(), ws.clone(), sync.clone(), failed_once.clone());
                        // Waiting for a button blocks: one thread per shown notification.
                        std::thread::spawn(move || show(&app, &ws, &sync, &alert, &failed_once));
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "cannot plan alerts"),
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}

fn show(
    app: &AppHandle,
    ws: &Workspace,
    sync: &SyncWaker,
    alert: &Alert,
    failed_once: &AtomicBool,
) {
    let mut note = notify_rust::Notification::new();
    note.appname("sellerdesk")
        .summary(&alert.title)
        .body(&alert.body);
    for (id, label) in &alert.actions {
        note.action(id, label);
    }
    let handle = match note.show() {
        Ok(handle) => handle,
        Err(e) => {
            if !failed_once.swap(true, Ordering::Relaxed) {
                tracing::warn!(error = %e, "no notification service: alerts are shown in the window only");
            }
            return;
        }
    };
    handle.wait_for_action(|action| {
        let action = match (action, &alert.request_id) {
            ("accept", Some(id)) => Some(OrderAction::AcceptRequest {
                request_id: id.clone(),
            }),
            ("decline", Some(id)) => Some(OrderAction::DeclineRequest {
                request_id: id.clone(),
            }),
            ("default", _) => {
                focus(app, alert);
                None
            }
            _ => None, // closed or expired
        };
        if let Some(action) = action {
            match ws.enqueue_action(&alert.account_id, &alert.order_id, &action) {
                Ok(()) => sync.wake(),
                Err(e) => tracing::warn!(error = %e, "cannot queue the notification's action"),
            }
            // Show the result in the window, where the outbox says applied or refused.
            focus(app, alert);
        }
    });
}

fn focus(app: &AppHandle, alert: &Alert) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let payload = OpenOrder {
        account_id: alert.account_id.clone(),
        order_id: alert.order_id.clone(),
    };
    if let Err(e) = app.emit("open-order", payload) {
        tracing::warn!(error = %e, "cannot emit open-order");
    }
}
