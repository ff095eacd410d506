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
/// At most this many alerts of one check get a notification of their own (the most
/// urgent); the rest share one summary notification — a first start or a return from a
/// holiday must not pour a dozen notifications on the desktop.
pub const ONE_BY_ONE: usize = 3;

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
    let (own, summed) = one_by_one(alerts);
    if !summed.is_empty() {
        let (surface, missing) = (surface.clone(), missing.clone());
        std::thread::spawn(move || {
            callback("summary notification", || {
                let open = || callback("show window", || surface.show_window());
                if let Err(e) = sellerdesk_notify::show_summary_and_wait(&summed, &open) {
                    missing.report(&e);
                }
            });
        });
    }
    for alert in own {
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

/// The alerts that get a notification of their own (the [`ONE_BY_ONE`] most urgent) and
/// those summed up in one.
pub fn one_by_one(mut alerts: Vec<Alert>) -> (Vec<Alert>, Vec<Alert>) {
    sellerdesk_notify::most_urgent_first(&mut alerts);
    let rest = alerts.split_off(alerts.len().min(ONE_BY_ONE));
    (alerts, rest)
}

fn order_key(alert: &Alert) -> Result<OrderKey, sellerdesk_core::AppError> {
    Ok(OrderKey {
        account_id: Id::try_from(&*alert.account_id)?,
        order_id: Id::try_from(&*alert.order_id)?,
    })
}

#[cfg(test)]
mod tests {
    use sellerdesk_core::alerts::AlertKind;

    use super::*;

    fn alert(n: usize, kind: AlertKind, answerable: bool) -> Alert {
        let mut actions = vec![("default".to_string(), "Open order".to_string())];
        if answerable {
            actions.insert(0, ("accept".to_string(), "Accept".to_string()));
        }
        Alert {
            key: format!("a/D-{n}/k"),
            kind,
            account_id: "a".into(),
            order_id: format!("D-{n}"),
            request_id: None,
            title: format!("alert {n}"),
            body: String::new(),
            actions,
        }
    }

    #[test]
    fn the_most_urgent_three_get_their_own_notification_and_the_rest_one_summary() {
        use AlertKind::*;
        let alerts = vec![
            alert(1, DeliveryDue, false),
            alert(2, NewOrder, true),
            alert(3, AutoCompleting, false),
            alert(4, DeliveryLate, false),
            alert(5, RequestReceived, true),
            alert(6, RequestExpiring, true),
        ];
        let (own, summed) = one_by_one(alerts);
        let titles = |a: &[Alert]| a.iter().map(|a| a.title.clone()).collect::<Vec<_>>();
        assert_eq!(
            titles(&own),
            ["alert 4", "alert 6", "alert 2"],
            "critical, then answerable"
        );
        assert_eq!(titles(&summed), ["alert 5", "alert 1", "alert 3"]);
        let note = sellerdesk_notify::summary_for(&summed);
        assert_eq!(note.summary, "3 more alerts need you");
        assert_eq!(note.body, "alert 5\nalert 1\nalert 3");

        let (own, summed) =
            one_by_one(vec![alert(1, NewOrder, true), alert(2, DeliveryDue, false)]);
        assert_eq!(
            (own.len(), summed.len()),
            (2, 0),
            "a few alerts: one each, no summary"
        );
    }
}
