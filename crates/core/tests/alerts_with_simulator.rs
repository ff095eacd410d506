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

    let first = ws.take_due_alerts(*chrono::Local::now().offset()).unwrap();
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
        ws.take_due_alerts(*chrono::Local::now().offset())
            .unwrap()
            .is_empty(),
        "nothing is raised twice"
    );

    // The badge: every new order and every open buyer request, as alerted.
    let waiting = first
        .iter()
        .filter(|a| matches!(a.kind, AlertKind::NewOrder | AlertKind::RequestReceived))
        .count();
    assert!(waiting >= 2, "the demo has new orders and open requests");
    assert_eq!(ws.needs_response_count().unwrap(), waiting);
    // D-1017's request (expiring within the hour; D-1010's is kept for the next step).
    let request = first
        .iter()
        .find(|a| a.order_id == "D-1017" && a.kind == AlertKind::RequestExpiring)
        .and_then(|a| a.request_id.clone())
        .unwrap();
    ws.enqueue_action(
        "acct",
        "D-1017",
        &sellerdesk_api::OrderAction::AcceptRequest {
            request_id: request,
        },
    )
    .unwrap();
    assert!(ws.sync_once().await.error.is_none());
    assert_eq!(
        ws.needs_response_count().unwrap(),
        waiting - 1,
        "an answered request leaves the badge"
    );

    // Five hours later on the marketplace: D-1010's request crosses its 6 h threshold.
    sim.handle().advance_clock(Duration::hours(5));
    assert!(ws.sync_once().await.error.is_none());
    let later = ws.take_due_alerts(*chrono::Local::now().offset()).unwrap();
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

#[tokio::test]
async fn the_sellers_settings_decide_which_alerts_are_raised() {
    use sellerdesk_core::alerts::{AlertSettings, QuietWindow};
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let open = || {
        Workspace::with_store(
            Store::open(&db).unwrap(),
            vec![(
                Account::new("acct", "Demo", &sim.base_url()),
                sim.token().to_string(),
            )],
            false,
            system_clock(),
        )
        .unwrap()
    };
    let ws = open();
    assert!(ws.sync_once().await.error.is_none());
    assert_eq!(ws.alert_settings().unwrap(), AlertSettings::default());

    // A muted account raises nothing, and the setting survives a restart.
    let muted = AlertSettings {
        muted_accounts: vec!["acct".into()],
        ..AlertSettings::default()
    };
    ws.save_alert_settings(&muted).unwrap();
    drop(ws);
    let ws = open();
    assert_eq!(ws.alert_settings().unwrap().muted_accounts, ["acct"]);
    assert!(
        ws.take_due_alerts(*chrono::Local::now().offset())
            .unwrap()
            .is_empty(),
        "muted"
    );

    // Quiet all day long but one minute: nothing either.
    let now = Utc::now();
    let start = (now + Duration::minutes(2)).format("%H:%M").to_string();
    let end = (now + Duration::minutes(1)).format("%H:%M").to_string();
    let quiet = AlertSettings {
        quiet_hours: Some(QuietWindow { start, end }),
        ..AlertSettings::default()
    };
    ws.save_alert_settings(&quiet).unwrap();
    let utc = chrono::FixedOffset::east_opt(0).unwrap();
    assert!(ws.take_due_alerts(utc).unwrap().is_empty(), "quiet");

    // Only D-1010's request alerts with a single 12 h threshold and the other kinds off.
    let narrow = AlertSettings {
        request_expiring_hours: vec![12],
        off: vec![
            AlertKind::NewOrder,
            AlertKind::DeliveryDue,
            AlertKind::DeliveryLate,
            AlertKind::RequestReceived,
            AlertKind::AutoCompleting,
        ],
        ..AlertSettings::default()
    };
    let narrow = ws.save_alert_settings(&narrow).unwrap();
    let due = ws.take_due_alerts(utc).unwrap();
    assert!(!due.is_empty());
    assert!(
        due.iter().all(|a| a.kind == AlertKind::RequestExpiring),
        "{due:#?}"
    );
    assert!(
        due.iter()
            .any(|a| a.order_id == "D-1010" && a.key.ends_with("/expiring/12h")),
        "D-1010's request is 8 h from expiry: past the 12 h threshold: {due:#?}"
    );
    let bad = AlertSettings {
        delivery_due_hours: vec![0],
        ..AlertSettings::default()
    };
    let err = ws.save_alert_settings(&bad).unwrap_err();
    assert!(err.message.contains("0 h"), "{}", err.message);
    assert_eq!(
        ws.alert_settings().unwrap(),
        narrow,
        "a refused save changes nothing"
    );
    sim.shutdown().await;
}

/// Two marketplaces whose clocks disagree by two days: each account's orders are planned
/// on its own marketplace's clock, so the same demo data raises the same alerts on both
/// (on the first account's clock the second's late delivery would not be late yet, and
/// its request expiring within the hour would be two days away).
#[tokio::test]
async fn each_account_is_planned_on_its_own_marketplaces_clock() {
    let now = Utc::now();
    let mut accounts = Vec::new();
    let mut sims = Vec::new();
    for (id, start) in [("behind", now), ("ahead", now + Duration::days(2))] {
        let sim = sellerdesk_sim::spawn(SimConfig::demo(start), ([127, 0, 0, 1], 0).into())
            .await
            .unwrap();
        accounts.push((
            Account::new(id, id, &sim.base_url()),
            sim.token().to_string(),
        ));
        sims.push(sim);
    }
    let ws = Workspace::with_store(
        Store::open_in_memory().unwrap(),
        accounts,
        false,
        system_clock(),
    )
    .unwrap();
    assert!(ws.sync_once().await.error.is_none());
    let ahead = ws.server_now("ahead").unwrap() - ws.server_now("behind").unwrap();
    assert!(
        (ahead - Duration::days(2)).num_minutes().abs() <= 1,
        "the second marketplace's clock is two days ahead: {ahead}"
    );

    let alerts = ws
        .take_due_alerts(chrono::FixedOffset::east_opt(0).unwrap())
        .unwrap();
    let of = |account: &str| {
        let mut seen: Vec<(AlertKind, String)> = alerts
            .iter()
            .filter(|a| a.account_id == account)
            .map(|a| (a.kind, a.order_id.clone()))
            .collect();
        seen.sort();
        seen
    };
    assert!(
        of("ahead").contains(&(AlertKind::DeliveryLate, "D-1002".to_string()))
            && of("ahead").contains(&(AlertKind::RequestExpiring, "D-1017".to_string())),
        "on its own clock the second marketplace's D-1002 is late and D-1017's request expires: {:#?}",
        of("ahead")
    );
    assert_eq!(
        of("ahead"),
        of("behind"),
        "the same data, each on its own clock"
    );
}
