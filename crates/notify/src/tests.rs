use std::collections::HashSet;

use notify_rust::{Hint, Urgency};
use sellerdesk_core::alerts::{Alert, AlertKind};

use super::{MissingService, notification_for};

fn alert(kind: AlertKind, actions: &[(&str, &str)]) -> Alert {
    Alert {
        key: "acct/D-1/x".into(),
        kind,
        account_id: "acct".into(),
        order_id: "D-1".into(),
        request_id: Some("D-1-R1".into()),
        title: "Request on D-1 expires in 5 h".into(),
        body: "Logo — answer before it expires.".into(),
        actions: actions
            .iter()
            .map(|(id, label)| (id.to_string(), label.to_string()))
            .collect(),
    }
}

#[test]
fn an_answerable_request_carries_its_buttons_in_order_and_stays() {
    let note = notification_for(&alert(
        AlertKind::RequestExpiring,
        &[
            ("accept", "Accept"),
            ("decline", "Decline"),
            ("default", "Open order"),
        ],
    ));
    assert_eq!(note.appname, "sellerdesk");
    assert_eq!(note.summary, "Request on D-1 expires in 5 h");
    assert_eq!(note.body, "Logo — answer before it expires.");
    assert_eq!(
        note.actions,
        [
            "accept",
            "Accept",
            "decline",
            "Decline",
            "default",
            "Open order"
        ],
        "freedesktop actions are flat (key, label) pairs, in the planner's order"
    );
    let expected: HashSet<Hint> = [
        Hint::DesktopEntry("sellerdesk".into()),
        Hint::Category("x-sellerdesk.request".into()),
        Hint::Urgency(Urgency::Critical),
    ]
    .into();
    assert_eq!(
        note.hints, expected,
        "grouped by the app's desktop entry, filed as a request, critical before expiry"
    );
}

#[test]
fn other_alerts_only_open_the_order_at_normal_urgency() {
    let mut new_order = alert(AlertKind::NewOrder, &[("default", "Open order")]);
    new_order.request_id = None;
    let note = notification_for(&new_order);
    assert_eq!(note.actions, ["default", "Open order"]);
    assert!(note.hints.contains(&Hint::Urgency(Urgency::Normal)));
    assert!(
        note.hints
            .contains(&Hint::Category("x-sellerdesk.order".into()))
    );
}

#[test]
fn a_missing_service_is_reported_once() {
    let missing = MissingService::new();
    let error = notify_rust::error::Error::from("no service");
    assert!(missing.report(&error), "the first failure is logged");
    assert!(
        !missing.report(&error),
        "later failures are not logged again"
    );
}
