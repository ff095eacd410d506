//! Alerts planned from a real sync: the demo marketplace's due requests and deliveries
//! raise each alert once, and moving the marketplace's clock raises the next thresholds.

use chrono::{Duration, Utc};
use sellerdesk_core::alerts::AlertKind;
use sellerdesk_core::store::{Account, Store};
use sellerdesk_core::{Workspace, system_clock};
use sellerdesk_sim::SimConfig;

#[tokio::test]
async fn each_alert_is_raised_once_and_the_clock_brings_the_next() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let account = Account::new("acct", "Demo", &sim.base_url());
    let ws = Workspace::with_store(
        Store::open_in_memory().unwrap(),
        vec![(account, sim.token().to_string())],
        false,
        system_clock(),
    )
    .unwrap();
    assert!(ws.sync_once().await.error.is_none());

    let first = ws.take_due_alerts(None).unwrap();
    let has =
        |kind: AlertKind, order: &str| first.iter().any(|a| a.kind == kind && a.order_id == order);
    assert!(
        has(AlertKind::NewOrder, "D-1003"),
        "a new order awaiting acceptance: {first:#?}"
    );
    assert!(
        has(AlertKind::RequestExpiring, "D-1017"),
        "D-1017's request expires within the hour"
    );
    assert!(has(AlertKind::DeliveryLate, "D-1002"), "D-1002 is late");
    let d1010 = first
        .iter()
        .find(|a| a.kind == AlertKind::RequestExpiring && a.order_id == "D-1010")
        .expect("D-1010's change-time request is 8 h from expiry: the 24 h alert");
    let ids: Vec<&str> = d1010.actions.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["accept", "decline", "default"],
        "answerable from the notification"
    );

    assert!(
        ws.take_due_alerts(None).unwrap().is_empty(),
        "nothing is raised twice"
    );

    // Five hours later on the marketplace: D-1010's request crosses its 6 h threshold.
    sim.handle().advance_clock(Duration::hours(5));
    assert!(ws.sync_once().await.error.is_none());
    let later = ws.take_due_alerts(None).unwrap();
    assert!(
        later
            .iter()
            .any(|a| a.key.ends_with("D-1010-R1/expiring/6h")),
        "the next threshold fires: {later:#?}"
    );
    assert!(
        !later
            .iter()
            .any(|a| a.order_id == "D-1017" && a.kind == AlertKind::RequestExpiring),
        "an expired request is never alerted"
    );
    sim.shutdown().await;
}
