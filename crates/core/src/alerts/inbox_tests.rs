//! Inbox tables: an alert is live while its order still needs the seller, and resolves
//! itself once the request is answered or expired, or the order delivered.

use super::*;
use crate::store::{Account, Store};
use crate::test_orders::{order, profile, t0};
use chrono::Duration;
use sellerdesk_api::{OrderRequest, OrderStatus, Party, RequestKind, RequestState};
use std::sync::Arc;

/// D-1 with a buyer's change-time request opened `opened_ago` before now.
fn requested(opened_ago: Duration, state: RequestState) -> Order {
    let mut o = order("D-1", 1);
    o.due_at = t0() + Duration::days(10);
    o.requests.push(OrderRequest {
        id: "R1".into(),
        kind: RequestKind::ChangeOrderTime,
        opened_by: Party::Buyer,
        opened_at: t0() - opened_ago,
        expires_at: t0() - opened_ago + Duration::hours(48),
        state,
        message: "earlier please".into(),
        proposed_due_at: None,
        price_minor: None,
        resolved_at: None,
        form: Default::default(),
    });
    o
}

fn due_in(left: Duration, status: OrderStatus) -> Order {
    let mut o = order("D-2", 1);
    o.due_at = t0() + left;
    o.status = status;
    if status == OrderStatus::Delivered {
        o.delivered_at = Some(t0() - Duration::hours(1));
    }
    o
}

fn live_keys(orders: Vec<Order>, settings: &AlertSettings) -> Vec<String> {
    let orders: Vec<(String, Order)> = orders.into_iter().map(|o| ("a".to_string(), o)).collect();
    live_alerts(&orders, &|_| Some(profile()), t0(), settings)
        .into_iter()
        .map(|(a, _)| a.key)
        .collect()
}

#[test]
fn live_alerts_table() {
    let hours = Duration::hours;
    let cases: Vec<(&str, Order, Vec<&str>)> = vec![
        (
            "a buyer's request waiting: received",
            requested(hours(2), RequestState::Pending),
            vec!["a/D-1/R1/received"],
        ),
        (
            "about to expire: the expiring alert supersedes the received one",
            requested(hours(47), RequestState::Pending),
            vec!["a/D-1/R1/expiring/1h"],
        ),
        (
            "a request answered is not live",
            requested(hours(47), RequestState::Accepted),
            vec![],
        ),
        (
            "a request declined is not live",
            requested(hours(2), RequestState::Declined),
            vec![],
        ),
        (
            "an expired request is not live, even before the server says so",
            requested(hours(49), RequestState::Pending),
            vec![],
        ),
        (
            "a delivery due in an hour",
            due_in(hours(1), OrderStatus::InProgress),
            vec!["a/D-2/due/2h"],
        ),
        (
            "the same order delivered is not live",
            due_in(hours(1), OrderStatus::Delivered),
            vec![],
        ),
        (
            "a late delivery",
            due_in(-hours(3), OrderStatus::InProgress),
            vec!["a/D-2/late"],
        ),
        (
            "a new order waits for acceptance",
            due_in(Duration::days(5), OrderStatus::AwaitingAcceptance),
            vec!["a/D-2/new"],
        ),
        (
            "the same order accepted is not live",
            due_in(Duration::days(5), OrderStatus::Accepted),
            vec![],
        ),
    ];
    for (why, order, expected) in cases {
        assert_eq!(
            live_keys(vec![order], &AlertSettings::default()),
            expected,
            "{why}"
        );
    }
}

#[test]
fn quiet_hours_do_not_empty_the_inbox_but_muted_accounts_and_kinds_off_do() {
    let late = || vec![due_in(-Duration::hours(3), OrderStatus::InProgress)];
    let quiet = AlertSettings {
        quiet_hours: Some(super::super::QuietWindow {
            start: "00:00".into(),
            end: "23:59".into(),
        }),
        ..AlertSettings::default()
    };
    assert_eq!(
        live_keys(late(), &quiet),
        ["a/D-2/late"],
        "quiet hours hold back notifications, not the inbox"
    );
    let muted = AlertSettings {
        muted_accounts: vec!["a".into()],
        ..AlertSettings::default()
    };
    assert!(live_keys(late(), &muted).is_empty(), "a muted account");
    let off = AlertSettings {
        off: vec![AlertKind::DeliveryLate],
        ..AlertSettings::default()
    };
    assert!(live_keys(late(), &off).is_empty(), "a kind switched off");
}

#[test]
fn each_alert_is_dated_by_the_moment_it_is_about() {
    let orders = vec![
        (
            "a".to_string(),
            requested(Duration::hours(47), RequestState::Pending),
        ),
        (
            "a".to_string(),
            due_in(Duration::hours(1), OrderStatus::InProgress),
        ),
    ];
    let at: Vec<(AlertKind, DateTime<Utc>)> = live_alerts(
        &orders,
        &|_| Some(profile()),
        t0(),
        &AlertSettings::default(),
    )
    .into_iter()
    .map(|(a, at)| (a.kind, at))
    .collect();
    assert_eq!(
        at,
        [
            (AlertKind::RequestExpiring, t0() + Duration::hours(1)),
            (AlertKind::DeliveryDue, t0() + Duration::hours(1)),
        ],
        "a request is dated by its expiry, a delivery by its due date"
    );
}

#[test]
fn the_workspace_lists_the_live_alerts_of_its_stored_orders() {
    let store = Store::open_in_memory().unwrap();
    store
        .save_account(&Account::new("a", "Shop", "http://127.0.0.1:9"))
        .unwrap();
    store.set_profile("a", &profile()).unwrap();
    store
        .upsert_orders(
            "a",
            &[
                requested(Duration::hours(2), RequestState::Pending),
                due_in(Duration::hours(1), OrderStatus::Delivered),
            ],
        )
        .unwrap();
    let ws = Workspace::with_store(store, vec![], false, Arc::new(t0)).unwrap();
    let inbox = ws.alerts_inbox(100).unwrap().alerts;
    assert_eq!(
        inbox
            .iter()
            .map(|a| (a.alert.key.as_str(), a.at))
            .collect::<Vec<_>>(),
        [(
            "a/D-1/R1/received",
            (t0() - Duration::hours(2)).timestamp_millis()
        )],
        "the delivered order needs nothing; the request is dated when it arrived"
    );
    let json = serde_json::to_value(&inbox[0]).unwrap();
    assert_eq!(json["orderId"], "D-1", "the alert's fields are flattened");
    assert_eq!(json["at"], (t0() - Duration::hours(2)).timestamp_millis());
}

#[test]
fn the_inbox_gives_the_most_urgent_alerts_up_to_its_limit_and_counts_them_all() {
    let store = Store::open_in_memory().unwrap();
    store
        .save_account(&Account::new("a", "Shop", "http://127.0.0.1:9"))
        .unwrap();
    store.set_profile("a", &profile()).unwrap();
    // More late orders than one chunk of the planner (512), so the chunks are merged.
    let late: Vec<Order> = (0..700)
        .map(|i| {
            let mut o = order(&format!("L-{i:04}"), 1);
            o.due_at = t0() - Duration::hours(1 + i64::from(i));
            o
        })
        .collect();
    store.upsert_orders("a", &late).unwrap();
    let ws = Workspace::with_store(store, vec![], false, Arc::new(t0)).unwrap();
    let all = ws.alerts_inbox(usize::MAX).unwrap();
    assert!(
        all.alerts.len() >= 700,
        "every late order is live: {}",
        all.alerts.len()
    );
    assert_eq!(all.total as usize, all.alerts.len());
    let first = ws.alerts_inbox(25).unwrap();
    assert_eq!(
        first.alerts,
        all.alerts[..25],
        "the most urgent 25, in the inbox's order"
    );
    assert_eq!(first.total, all.total, "the count is of every live alert");
}
