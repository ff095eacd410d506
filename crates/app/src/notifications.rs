//! The alert loop: every 30 s the alerts now due (each account's on its marketplace's
//! clock, quiet hours in the seller's zone) go to the surface and to the desktop's
//! notification service, whose Accept / Decline call `Desk::perform` — the window's
//! method — and whose body opens the order. One thread per shown notification, since
//! waiting for its button blocks.

use std::sync::Arc;
use std::time::Duration;

use sellerdesk_core::actions::Id;
use sellerdesk_core::alerts::Alert;
use sellerdesk_core::desk::Desk;
use sellerdesk_core::listing::OrderKey;
use sellerdesk_notify::MissingService;
use tokio::runtime::Handle;

use crate::guard::callback;
use crate::surface::Surface;

/// How often due alerts are checked.
const EVERY: Duration = Duration::from_secs(30);
/// Lets the first sync land before the first check.
const FIRST_AFTER: Duration = Duration::from_secs(5);

pub(crate) fn spawn(rt: &Handle, desk: Arc<Desk>, surface: Arc<dyn Surface>) {
    let missing = Arc::new(MissingService::new());
    rt.spawn(async move {
        tokio::time::sleep(FIRST_AFTER).await;
        loop {
            // A bug in planning or showing alerts loses this round, never the loop.
            callback("alerts", || check(&desk, &surface, &missing));
            tokio::time::sleep(EVERY).await;
        }
    });
}

fn check(desk: &Arc<Desk>, surface: &Arc<dyn Surface>, missing: &Arc<MissingService>) {
    let zone = *chrono::Local::now().offset();
    let alerts = match desk.workspace().take_due_alerts(zone) {
        Ok(alerts) => alerts,
        Err(e) => return tracing::warn!(error = %e, "cannot plan alerts"),
    };
    if alerts.is_empty() {
        return;
    }
    surface.alerts(&alerts);
    for alert in alerts {
        let (desk, surface, missing) = (desk.clone(), surface.clone(), missing.clone());
        std::thread::spawn(move || {
            callback("notification", || {
                let act = |a: &Alert, action: &_| {
                    let key = order_key(a)?;
                    desk.perform(&key.account_id, &key.order_id, action)
                        .map(|_| ())
                };
                let open = |a: &Alert| match order_key(a) {
                    Ok(key) => callback("open order", || surface.open_order(&key)),
                    Err(e) => tracing::warn!(error = %e, "an alert names an invalid order"),
                };
                if let Err(e) = sellerdesk_notify::show_and_wait(&alert, &act, &open) {
                    missing.report(&e);
                }
            });
        });
    }
}

fn order_key(alert: &Alert) -> Result<OrderKey, sellerdesk_core::AppError> {
    Ok(OrderKey {
        account_id: Id::try_from(&*alert.account_id)?,
        order_id: Id::try_from(&*alert.order_id)?,
    })
}
