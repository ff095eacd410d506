//! Native notifications, the Tauri side: every due alert reaches the window (event
//! `alerts`), so nothing is lost when no notification service runs, and is shown on the
//! desktop through `sellerdesk-notify`, whose Accept / Decline go through the same
//! `Desk::perform` as the window's buttons. Here only the loop, one thread per shown
//! notification, and "open the order": focus the window and emit `open-order`.

use std::sync::Arc;
use std::time::Duration;

use sellerdesk_core::alerts::Alert;
use sellerdesk_core::desk::Desk;
use sellerdesk_core::detail::{Id, SellerAction};
use sellerdesk_core::listing::OrderKey;
use sellerdesk_notify::MissingService;
use tauri::{AppHandle, Emitter};

use crate::guard::callback;

/// How often due alerts are checked.
const EVERY: Duration = Duration::from_secs(30);

pub fn spawn(app: AppHandle, desk: Arc<Desk>) {
    let missing = Arc::new(MissingService::new());
    tauri::async_runtime::spawn(async move {
        // Let the first sync land before the first check.
        tokio::time::sleep(Duration::from_secs(5)).await;
        loop {
            // A bug in planning or showing alerts loses this round, never the loop.
            callback("alerts", || check(&app, &desk, &missing));
            tokio::time::sleep(EVERY).await;
        }
    });
}

fn check(app: &AppHandle, desk: &Arc<Desk>, missing: &Arc<MissingService>) {
    let alerts = match desk.workspace().take_due_alerts(None) {
        Ok(alerts) => alerts,
        Err(e) => return tracing::warn!(error = %e, "cannot plan alerts"),
    };
    if alerts.is_empty() {
        return;
    }
    if let Err(e) = app.emit("alerts", &alerts) {
        tracing::warn!(error = %e, "cannot emit alerts");
    }
    for alert in alerts {
        let (app, desk, missing) = (app.clone(), desk.clone(), missing.clone());
        // Waiting for a button blocks: one thread per shown notification. Its handlers
        // run under a guard: no panic unwinds into D-Bus.
        std::thread::spawn(move || {
            callback("notification", || {
                let act = |a: &Alert, action: &SellerAction| {
                    let (account, order) =
                        (Id::try_from(&*a.account_id)?, Id::try_from(&*a.order_id)?);
                    desk.perform(&account, &order, action).map(|_| ())
                };
                let open = |a: &Alert| callback("open order", || focus(&app, a));
                if let Err(e) = sellerdesk_notify::show_and_wait(&alert, &act, &open) {
                    missing.report(&e);
                }
            });
        });
    }
}

fn focus(app: &AppHandle, alert: &Alert) {
    crate::startup::focus_main(app);
    let target = Id::try_from(&*alert.account_id).and_then(|account_id| {
        let order_id = Id::try_from(&*alert.order_id)?;
        Ok(OrderKey {
            account_id,
            order_id,
        })
    });
    match target {
        Ok(payload) => {
            if let Err(e) = app.emit("open-order", payload) {
                tracing::warn!(error = %e, "cannot emit open-order");
            }
        }
        Err(e) => tracing::warn!(error = %e, "an alert names an invalid order"),
    }
}
