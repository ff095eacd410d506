//! Planner tables: thresholds crossed, dedupe across restarts, quiet hours, expired
//! requests never alerted.

use super::*;
use crate::test_orders::{order, profile, t0};
use chrono::FixedOffset;
use sellerdesk_api::OrderRequest;

fn with_request(opened_ago: Duration, by: Party, state: RequestState) -> Order {
    let mut o = order("D-1", 1);
    o.due_at = t0() + Duration::days(10);
    o.requests.push(OrderRequest {
        id: "R1".into(),
        kind: RequestKind::ChangeOrderTime,
        opened_by: by,
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

fn keys(orders: Vec<Order>, now: DateTime<Utc>, shown: &HashSet<String>) -> Vec<String> {
    let orders: Vec<(String, Order)> = orders.into_iter().map(|o| ("a".to_string(), o)).collect();
    plan_alerts(
        &orders,
        &|_| Some(profile()),
        now,
        shown,
        &AlertSettings::default(),
        FixedOffset::east_opt(0).unwrap(),
    )
    .into_iter()
    .map(|a| a.key)
    .collect()
}

#[test]
fn request_expiry_thresholds_table() {
    // (hours since the request opened, expected expiry alert) — crackerjack: a request
    // expires 48 hours after it opened.
    let cases = [
        (1, None),
        (23, None),
        (24, Some("a/D-1/R1/expiring/24h")),
        (42, Some("a/D-1/R1/expiring/6h")),
        (47, Some("a/D-1/R1/expiring/1h")),
        (48, None), // expired: never alerted
        (60, None),
    ];
    for (opened_ago, expected) in cases {
        let o = with_request(
            Duration::hours(opened_ago),
            Party::Buyer,
            RequestState::Pending,
        );
        let got = keys(vec![o], t0(), &HashSet::new());
        let expiring: Vec<&String> = got.iter().filter(|k| k.contains("expiring")).collect();
        assert_eq!(
            expiring.first().map(|k| k.as_str()),
            expected,
            "{opened_ago} h after opening: {got:?}"
        );
        assert!(
            expiring.len() <= 1,
            "only the most urgent threshold: {got:?}"
        );
        assert_eq!(
            got.iter().any(|k| k.ends_with("/received")),
            opened_ago < 48,
            "a live buyer request is announced"
        );
    }
}

#[test]
fn the_sellers_own_request_and_answered_requests_raise_nothing_received() {
    let own = with_request(Duration::hours(1), Party::Seller, RequestState::Pending);
    assert!(
        keys(vec![own], t0(), &HashSet::new())
            .iter()
            .all(|k| !k.ends_with("/received"))
    );
    let answered = with_request(Duration::hours(47), Party::Buyer, RequestState::Declined);
    assert!(
        keys(vec![answered], t0(), &HashSet::new()).is_empty(),
        "nothing for an answered request"
    );
}

#[test]
fn delivery_thresholds_table() {
    let cases = [
        (Duration::hours(30), None),
        (Duration::hours(24), Some("a/D-1/due/24h")),
        (Duration::hours(3), Some("a/D-1/due/24h")),
        (Duration::hours(2), Some("a/D-1/due/2h")),
        (Duration::minutes(5), Some("a/D-1/due/2h")),
        (Duration::zero(), Some("a/D-1/late")),
        (-Duration::days(3), Some("a/D-1/late")),
    ];
    for (left, expected) in cases {
        let mut o = order("D-1", 1);
        o.due_at = t0() + left;
        let got = keys(vec![o], t0(), &HashSet::new());
        assert_eq!(got.first().map(String::as_str), expected, "due in {left}");
    }
}

#[test]
fn an_alert_fires_once_across_restarts_and_missed_ones_do_not_flood() {
    let mut o = order("D-1", 1);
    o.due_at = t0() + Duration::hours(1);
    // The app was closed while both delivery thresholds passed: one alert, the urgent one.
    let first = keys(vec![o.clone()], t0(), &HashSet::new());
    assert_eq!(first, vec!["a/D-1/due/2h".to_string()]);
    // The shown keys are remembered (in SQLite by the caller): nothing again after a restart.
    let shown: HashSet<String> = first.into_iter().collect();
    assert!(keys(vec![o.clone()], t0() + Duration::minutes(30), &shown).is_empty());
    // Once late, a new alert.
    assert_eq!(
        keys(vec![o], t0() + Duration::hours(2), &shown),
        vec!["a/D-1/late".to_string()]
    );
}

#[test]
fn new_orders_and_auto_completion() {
    let mut new = order("D-2", 1);
    new.status = OrderStatus::AwaitingAcceptance;
    let mut delivered = order("D-3", 1);
    delivered.status = OrderStatus::Delivered;
    delivered.delivered_at = Some(t0() - Duration::days(2) - Duration::hours(12));
    let got = keys(vec![new, delivered.clone()], t0(), &HashSet::new());
    assert_eq!(
        got,
        vec!["a/D-2/new".to_string(), "a/D-3/auto-complete".to_string()]
    );
    delivered.delivered_at = Some(t0() - Duration::days(1));
    assert!(
        keys(vec![delivered], t0(), &HashSet::new()).is_empty(),
        "2 days of review left: not yet"
    );
}

#[test]
fn quiet_hours_and_muted_accounts_raise_nothing() {
    let mut o = order("D-1", 1);
    o.due_at = t0() + Duration::hours(1);
    let orders = vec![("a".to_string(), o)];
    let utc = FixedOffset::east_opt(0).unwrap();
    let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    // t0 is 12:00 UTC.
    let window = |start: &str, end: &str| AlertSettings {
        quiet_hours: Some(QuietWindow {
            start: start.into(),
            end: end.into(),
        }),
        ..AlertSettings::default()
    };
    let night = QuietHours {
        start: at(22, 0),
        end: at(7, 0),
        offset: utc,
    };
    let none = HashSet::new();
    let plan = |settings: &AlertSettings, offset: FixedOffset| {
        plan_alerts(&orders, &|_| Some(profile()), t0(), &none, settings, offset)
    };
    assert!(
        plan(&window("11:00", "13:00"), utc).is_empty(),
        "inside quiet hours"
    );
    assert_eq!(
        plan(&window("22:00", "07:00"), utc).len(),
        1,
        "outside overnight quiet hours"
    );
    let paris_summer = FixedOffset::east_opt(2 * 3600).unwrap();
    assert!(
        plan(&window("13:30", "15:00"), paris_summer).is_empty(),
        "12:00 UTC is 14:00 at UTC+2: inside 13:30–15:00 local"
    );
    let muted = AlertSettings {
        muted_accounts: vec!["a".into()],
        ..AlertSettings::default()
    };
    assert!(
        plan(&muted, utc).is_empty(),
        "a muted account raises nothing"
    );
    let off = AlertSettings {
        off: vec![AlertKind::DeliveryDue],
        ..AlertSettings::default()
    };
    assert!(
        plan(&off, utc).is_empty(),
        "a kind switched off raises nothing"
    );
    assert!(
        night.contains(t0() + Duration::hours(11)),
        "23:00 is inside 22:00–07:00"
    );
}

#[test]
fn a_buyers_request_offers_the_answers_that_cost_nothing() {
    let orders = |kind: RequestKind| {
        let mut o = with_request(Duration::hours(47), Party::Buyer, RequestState::Pending);
        o.requests[0].kind = kind;
        vec![("a".to_string(), o)]
    };
    let alert = |kind| {
        plan_alerts(
            &orders(kind),
            &|_| Some(profile()),
            t0(),
            &HashSet::new(),
            &AlertSettings::default(),
            FixedOffset::east_opt(0).unwrap(),
        )
        .into_iter()
        .find(|a| a.kind == AlertKind::RequestExpiring)
        .unwrap()
    };
    let actions = |kind| {
        alert(kind)
            .actions
            .into_iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        actions(RequestKind::ChangeOrderTime),
        ["accept", "decline", "default"]
    );
    assert_eq!(
        actions(RequestKind::AdditionalWork),
        ["accept", "decline", "default"]
    );
    assert_eq!(
        actions(RequestKind::Cancel),
        ["decline", "default"],
        "a cancel request is declined from the notification; accepting it refunds the buyer, so it asks first in the window"
    );
    assert_eq!(
        actions(RequestKind::ProgressUpdate),
        ["default"],
        "a progress update needs words: it is answered in the order view"
    );
    assert!(
        alert(RequestKind::Cancel)
            .body
            .ends_with("If unanswered, the order is canceled and the buyer refunded."),
        "the body says what ignoring a cancel request does"
    );
    assert!(
        alert(RequestKind::ChangeOrderTime)
            .body
            .ends_with("If unanswered, the request is canceled and the order stays as it is."),
        "the body says what ignoring a change of time does"
    );
}

#[test]
fn a_new_order_the_rules_let_the_seller_accept_offers_accept_and_leaves_declining_to_the_window() {
    let mut o = order("D-1", 1);
    o.status = OrderStatus::AwaitingAcceptance;
    let alerts = plan_alerts(
        &[("a".to_string(), o)],
        &|_| Some(profile()),
        t0(),
        &HashSet::new(),
        &AlertSettings::default(),
        FixedOffset::east_opt(0).unwrap(),
    );
    let new = alerts
        .iter()
        .find(|a| a.kind == AlertKind::NewOrder)
        .expect("a new order is alerted");
    let ids: Vec<&str> = new.actions.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["accept", "default"],
        "the window's Accept from the notification; declining an order asks first, in the window"
    );
    assert_eq!(new.request_id, None, "accept/decline mean the order itself");
}

#[test]
fn the_badge_counts_new_orders_and_open_buyer_requests() {
    let mut new = order("D-1", 1);
    new.status = OrderStatus::AwaitingAcceptance;
    let open = with_request(Duration::hours(10), Party::Buyer, RequestState::Pending);
    let expired = with_request(Duration::hours(49), Party::Buyer, RequestState::Pending);
    let own = with_request(Duration::hours(10), Party::Seller, RequestState::Pending);
    let answered = with_request(Duration::hours(10), Party::Buyer, RequestState::Accepted);
    let count = |orders: Vec<Order>| {
        let orders: Vec<(String, Order)> =
            orders.into_iter().map(|o| ("a".to_string(), o)).collect();
        needs_response(&orders, &|_| Some(profile()), t0())
    };
    assert_eq!(count(vec![new.clone(), open.clone()]), 2);
    assert_eq!(
        count(vec![expired, own, answered]),
        0,
        "expired, the seller's own and answered requests wait for nobody"
    );
    assert_eq!(count(vec![]), 0);
}
