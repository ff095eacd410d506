//! Checks of the demo orders: the fixed orders the app's end-to-end test relies on, the
//! status mix, and timestamps that make sense together.

use std::collections::BTreeMap;

use chrono::TimeZone;

use super::*;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).single().unwrap()
}

fn by_id(orders: &[Order], id: &str) -> Order {
    orders
        .iter()
        .find(|o| o.id == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} must be a demo order"))
}

#[test]
fn thirty_orders_with_ids_and_seqs_in_order() {
    let orders = demo_orders(start());
    assert_eq!(orders.len(), 30, "exactly 30 demo orders");
    for (i, order) in orders.iter().enumerate() {
        let n = i as u64 + 1;
        assert_eq!(order.id, format!("D-{}", 1000 + n), "ids run D-1001…D-1030");
        assert_eq!(order.seq, n, "seq runs 1…30 in id order");
    }
    assert_eq!(
        orders,
        demo_orders(start()),
        "demo data must be deterministic"
    );
}

#[test]
fn d_1001_is_the_logo_due_in_2_days_4_hours_30_minutes() {
    let order = by_id(&demo_orders(start()), "D-1001");
    assert_eq!(order.title, "Minimalist logo for a coffee roastery");
    assert_eq!(order.status, OrderStatus::InProgress);
    assert_eq!(order.buyer.display_name, "Zoë Müller");
    assert_eq!(order.buyer.username, "zoe_m");
    assert_eq!(order.base_price_minor, 12_000);
    assert_eq!(
        order.extras,
        vec![Extra {
            title: "Source files".into(),
            price_minor: 2_500
        }],
        "one extra: source files for $25"
    );
    assert_eq!((order.revisions_included, order.revisions_used), (3, 0));
    assert_eq!(
        order.due_at,
        start() + Duration::days(2) + Duration::hours(4) + Duration::minutes(30),
        "the e2e test expects D-1001 due 2d 4h 30m after start"
    );
}

#[test]
fn d_1002_is_the_podcast_edit_already_late() {
    let order = by_id(&demo_orders(start()), "D-1002");
    assert_eq!(order.title, "Podcast episode edit (45 min)");
    assert_eq!(order.status, OrderStatus::InProgress);
    assert_eq!(
        order.due_at,
        start() - Duration::hours(3) - Duration::minutes(20),
        "the e2e test expects D-1002 late by 3h 20m at start"
    );
}

#[test]
fn every_status_appears_in_the_planned_numbers() {
    let mut counts: BTreeMap<OrderStatus, usize> = BTreeMap::new();
    for order in demo_orders(start()) {
        *counts.entry(order.status).or_default() += 1;
    }
    let want = [
        (OrderStatus::AwaitingAcceptance, 4),
        (OrderStatus::PendingRequirements, 2),
        (OrderStatus::Accepted, 3),
        (OrderStatus::InProgress, 9),
        (OrderStatus::Delivered, 4),
        (OrderStatus::RevisionRequested, 2),
        (OrderStatus::Completed, 3),
        (OrderStatus::Canceled, 2),
        (OrderStatus::Disputed, 1),
    ];
    for (status, n) in want {
        assert_eq!(
            counts.get(&status).copied().unwrap_or(0),
            n,
            "number of {status:?} orders"
        );
    }
    let active = demo_orders(start())
        .iter()
        .filter(|o| o.status.is_active())
        .count();
    assert_eq!(active, 25, "the app lists 25 active demo orders");
}

#[test]
fn timestamps_are_consistent_with_each_status() {
    let start = start();
    for o in demo_orders(start) {
        let id = &o.id;
        assert!(o.created_at < o.due_at, "{id}: created before due");
        assert!(
            o.created_at < start,
            "{id}: created before the simulator starts"
        );
        assert!(
            o.updated_at >= o.created_at && o.updated_at <= start,
            "{id}: updated between creation and start"
        );
        assert!(
            o.due_at >= start - Duration::days(3) && o.due_at <= start + Duration::days(30),
            "{id}: due between 3 days overdue and 30 days ahead"
        );
        let delivered = matches!(
            o.status,
            OrderStatus::Delivered
                | OrderStatus::RevisionRequested
                | OrderStatus::Completed
                | OrderStatus::Disputed
        );
        assert_eq!(
            o.delivered_at.is_some(),
            delivered,
            "{id}: delivered_at set iff {:?} had a delivery",
            o.status
        );
        assert_eq!(
            o.completed_at.is_some(),
            o.status == OrderStatus::Completed,
            "{id}: completed_at iff completed"
        );
        if let Some(d) = o.delivered_at {
            assert!(
                d > o.created_at && d < start,
                "{id}: delivered after creation, before start"
            );
            assert!(
                d <= o.updated_at,
                "{id}: the delivery is part of the order's history"
            );
        }
        if let (Some(d), Some(c)) = (o.delivered_at, o.completed_at) {
            assert!(
                c > d && c < start,
                "{id}: completed after delivery, before start"
            );
        }
        if o.status == OrderStatus::Delivered {
            assert!(
                d_within(o.delivered_at, start, 3),
                "{id}: still inside a 3-day review window at start"
            );
        }
    }
}

fn d_within(at: Option<DateTime<Utc>>, start: DateTime<Utc>, days: i64) -> bool {
    at.is_some_and(|at| start - at < Duration::days(days))
}

#[test]
fn prices_revisions_and_buyers_look_real() {
    let orders = demo_orders(start());
    for o in &orders {
        assert_eq!(o.currency, "USD", "{}: demo prices are USD", o.id);
        assert!(
            o.base_price_minor >= 1_000,
            "{}: base price in cents, at least $10",
            o.id
        );
        assert!(
            (1..=3).contains(&o.revisions_included),
            "{}: 1–3 revisions included",
            o.id
        );
        assert!(
            o.revisions_used <= o.revisions_included,
            "{}: never more revisions used than included",
            o.id
        );
        if o.status == OrderStatus::RevisionRequested {
            assert!(
                o.revisions_used >= 1,
                "{}: a revision request uses a revision",
                o.id
            );
        }
    }
    assert!(
        orders.iter().filter(|o| !o.extras.is_empty()).count() >= 5,
        "several orders have extras"
    );
    for name in ["Zoë Müller", "José Álvarez", "Łukasz Nowak"] {
        assert!(
            orders.iter().any(|o| o.buyer.display_name == name),
            "{name} buys something"
        );
    }
}
