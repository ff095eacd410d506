//! The core's pull against the real marketplace simulator over loopback: paging,
//! incremental changes, the server clock, and every fault the simulator can inject.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use sellerdesk_api::OrderStatus;
use sellerdesk_core::api::{ApiClient, ApiError};
use sellerdesk_core::store::{Account, Store};
use sellerdesk_core::sync::{SyncError, SyncState, SyncStatus, pull_orders};
use sellerdesk_core::sync_loop::spawn_sync_loop;
use sellerdesk_core::{EventSink, Workspace, system_clock};
use sellerdesk_sim::{Fault, FaultPlan, RunningSim, SimConfig};

async fn sim() -> RunningSim {
    sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts on loopback")
}

fn store_for(sim: &RunningSim) -> Store {
    let store = Store::open_in_memory().unwrap();
    store
        .save_account(&Account::new("acct", "Test", &sim.base_url()))
        .unwrap();
    store
}

async fn pull(
    client: &ApiClient,
    store: &Store,
    limit: u32,
) -> Result<sellerdesk_core::sync::PullReport, SyncError> {
    pull_orders(client, store, "acct", limit, &Utc::now).await
}

#[tokio::test]
async fn pages_through_every_order_then_pulls_only_changes() {
    let sim = sim().await;
    let store = store_for(&sim);
    let client = ApiClient::new(&sim.base_url(), sim.token()).unwrap();

    let first = pull(&client, &store, 7).await.expect("initial pull");
    assert_eq!(first.received, 30, "all demo orders arrive");
    assert_eq!(first.pages, 5, "30 orders at 7 per page take 5 pages");
    assert_eq!(store.order_count("acct").unwrap(), 30);
    assert!(
        store.profile("acct").unwrap().is_some(),
        "the marketplace profile is stored"
    );

    let again = pull(&client, &store, 7).await.unwrap();
    assert!(
        again.changed.is_empty(),
        "nothing changed on the server, nothing written: {again:?}"
    );

    sim.handle().set_status("D-1003", OrderStatus::Delivered);
    let delta = pull(&client, &store, 7).await.unwrap();
    assert_eq!(
        delta.changed,
        vec!["D-1003".to_string()],
        "only the changed order is pulled"
    );
    assert_eq!(
        store.order("acct", "D-1003").unwrap().unwrap().status,
        OrderStatus::Delivered
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_server_clock_drives_countdowns() {
    let sim = sim().await;
    let store = store_for(&sim);
    let client = ApiClient::new(&sim.base_url(), sim.token()).unwrap();
    sim.handle().advance_clock(Duration::days(3));
    let report = pull(&client, &store, 200).await.unwrap();
    let three_days = Duration::days(3).num_milliseconds();
    assert!(
        (report.clock_offset_ms - three_days).abs() < 5_000,
        "offset must follow the server's Date header: {} ms",
        report.clock_offset_ms
    );
    let ws = Workspace::with_store(store, vec![], false, system_clock()).unwrap();
    let rows = ws.order_rows().unwrap();
    let logo = rows
        .iter()
        .find(|r| r.id == "D-1001")
        .expect("D-1001 listed");
    let label = &logo.countdown.as_ref().unwrap().label;
    assert!(
        label.starts_with("late by 19h"),
        "due 2d 4h 30m after start, seen 3 days later: {label}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn every_fault_is_classified_and_loses_nothing() {
    let sim = sim().await;
    let store = store_for(&sim);
    let client = ApiClient::new(&sim.base_url(), sim.token()).unwrap();
    pull(&client, &store, 200).await.unwrap();
    let cursor = store.sync_state("acct").unwrap().cursor;
    sim.handle().set_status("D-1004", OrderStatus::Delivered);

    type Expect = fn(&ApiError) -> bool;
    let cases: Vec<(Fault, Expect)> = vec![
        (Fault::ServerError, |e| {
            matches!(e, ApiError::Server { status: 500, .. })
        }),
        (Fault::Garbage, |e| matches!(e, ApiError::Malformed(_))),
        (Fault::DropConnection, |e| {
            matches!(e, ApiError::Network(_) | ApiError::Malformed(_))
        }),
        (
            Fault::RateLimited {
                retry_after_secs: 7,
            },
            |e| e.retry_after() == Some(StdDuration::from_secs(7)),
        ),
    ];
    for (fault, expected) in cases {
        sim.handle().set_fault(FaultPlan {
            fault: fault.clone(),
            count: None,
        });
        let err = pull(&client, &store, 200)
            .await
            .expect_err("a faulty server must fail the pull");
        let SyncError::Api(api) = &err else {
            panic!("{fault:?}: not an API error: {err:?}")
        };
        assert!(expected(api), "{fault:?} classified as {api:?}");
        assert!(err.is_retryable(), "{fault:?} must be retryable");
        assert_eq!(
            store.sync_state("acct").unwrap().cursor,
            cursor,
            "{fault:?} must not move the cursor"
        );
        assert_eq!(
            store.order_count("acct").unwrap(),
            30,
            "{fault:?} must not lose orders"
        );
        sim.handle().clear_faults();
    }
    let ok = pull(&client, &store, 200)
        .await
        .expect("pull works again once faults clear");
    assert_eq!(
        ok.changed,
        vec!["D-1004".to_string()],
        "the change made during the faults arrives"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_wrong_token_is_permanent_and_a_dead_server_is_offline() {
    let sim = sim().await;
    let store = store_for(&sim);
    let bad = ApiClient::new(&sim.base_url(), "wrong-token").unwrap();
    let err = pull(&bad, &store, 200).await.unwrap_err();
    assert!(
        matches!(
            err,
            SyncError::Api(ApiError::Unauthorized { status: 401, .. })
        ),
        "{err:?}"
    );
    assert!(
        !err.is_retryable(),
        "a refused token needs the user, not a retry"
    );

    let client = ApiClient::new(&sim.base_url(), sim.token()).unwrap();
    sim.shutdown().await;
    let err = pull(&client, &store, 200).await.unwrap_err();
    assert!(err.is_offline(), "a closed port means offline: {err:?}");
    assert!(err.is_retryable());
}

#[derive(Default)]
struct Recorder {
    statuses: Mutex<Vec<SyncStatus>>,
    changed: Mutex<Vec<String>>,
}

impl EventSink for Recorder {
    fn changes(&self, batch: &sellerdesk_core::desk::ChangeBatch) {
        let ids = batch
            .changes
            .iter()
            .filter(|c| c.what == sellerdesk_core::desk::ChangeKind::Order)
            .filter_map(|c| c.order_id.clone());
        self.changed.lock().unwrap().extend(ids);
    }
    fn sync_status(&self, status: &SyncStatus) {
        self.statuses.lock().unwrap().push(status.clone());
    }
}

async fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn the_sync_loop_reports_failure_with_a_retry_and_recovers_on_demand() {
    let sim = sim().await;
    sim.handle().set_fault(FaultPlan {
        fault: Fault::Garbage,
        count: None,
    });
    let account = Account::new("acct", "Test", &sim.base_url());
    let ws = Arc::new(
        Workspace::with_store(
            Store::open_in_memory().unwrap(),
            vec![(account, sim.token().to_string())],
            false,
            system_clock(),
        )
        .unwrap(),
    );
    let sink = Arc::new(Recorder::default());
    let handle = spawn_sync_loop(ws.clone(), sink.clone(), StdDuration::from_secs(3600));

    wait_until("a failed status", || {
        ws.sync_status().state == SyncState::Failed
    })
    .await;
    let failed = ws.sync_status();
    assert!(
        failed.message.starts_with("Sync failed — retrying in"),
        "{}",
        failed.message
    );
    assert!(
        failed.next_retry_secs.is_some(),
        "a retry must be scheduled"
    );
    assert!(ws.order_rows().unwrap().is_empty());

    sim.handle().clear_faults();
    handle.sync_now();
    wait_until("an ok status", || ws.sync_status().state == SyncState::Ok).await;
    assert_eq!(
        ws.order_rows().unwrap().len(),
        25,
        "active demo orders after recovery"
    );
    assert_eq!(
        sink.changed.lock().unwrap().len(),
        30,
        "one change event per order pulled"
    );
    let states: Vec<SyncState> = sink
        .statuses
        .lock()
        .unwrap()
        .iter()
        .map(|s| s.state)
        .collect();
    assert!(
        states
            .windows(2)
            .any(|w| w == [SyncState::Failed, SyncState::Syncing]),
        "the window saw failed then syncing: {states:?}"
    );
    handle.stop();
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unanswered_request_expires_48_hours_after_it_opened() {
    let sim = sim().await;
    let store = store_for(&sim);
    let client = ApiClient::new(&sim.base_url(), sim.token()).unwrap();
    pull(&client, &store, 200).await.unwrap();
    let pending = |id: &str| {
        store.order("acct", id).unwrap().unwrap().requests[0].state
            == sellerdesk_api::RequestState::Pending
    };
    assert!(
        pending("D-1010") && pending("D-1017"),
        "demo requests start pending"
    );

    // D-1017's progress-update request opened 47 h before start: 2 hours later it is over.
    sim.handle().advance_clock(Duration::hours(2));
    let report = pull(&client, &store, 200).await.unwrap();
    assert_eq!(
        report.changed,
        vec!["D-1017".to_string()],
        "only D-1017's request is due"
    );
    let d1017 = store.order("acct", "D-1017").unwrap().unwrap();
    // crackerjack: "For Cancel and Provide a Progress requests: If the other party does not
    // respond to the request within 48 hours, the order will be canceled"
    assert_eq!(d1017.status, OrderStatus::Canceled);
    assert_eq!(
        d1017.requests[0].state,
        sellerdesk_api::RequestState::Expired
    );
    assert!(
        pending("D-1010"),
        "D-1010's request (opened 40 h before start) still runs"
    );

    sim.handle().advance_clock(Duration::hours(7));
    pull(&client, &store, 200).await.unwrap();
    let d1010 = store.order("acct", "D-1010").unwrap().unwrap();
    // "For Change Order Time and Additional work requests: ... the request will be
    // automatically canceled, and no changes will be made to the order."
    assert_eq!(
        d1010.requests[0].state,
        sellerdesk_api::RequestState::Expired
    );
    assert_eq!(
        d1010.status,
        OrderStatus::InProgress,
        "the order itself is unchanged"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn one_account_that_does_not_answer_is_named_and_the_others_still_sync() {
    let (up, down, refusing) = (sim().await, sim().await, sim().await);
    let dead_url = down.base_url();
    down.shutdown().await;
    let accounts = vec![
        (
            Account::new("up", "Shop A", &up.base_url()),
            up.token().to_string(),
        ),
        (Account::new("down", "Shop B", &dead_url), "t".to_string()),
        (
            Account::new("refused", "Shop C", &refusing.base_url()),
            "a-revoked-token".to_string(),
        ),
    ];
    let ws = Workspace::with_store(
        Store::open_in_memory().unwrap(),
        accounts,
        false,
        system_clock(),
    )
    .unwrap();

    let round = ws.sync_once().await;
    let status = ws.status_after(&round, Some(5));
    let by_id = |id: &str| {
        status
            .accounts
            .iter()
            .find(|a| a.account_id == id)
            .unwrap_or_else(|| panic!("{id} has its own status: {status:?}"))
            .clone()
    };
    let (a, b, c) = (by_id("up"), by_id("down"), by_id("refused"));
    assert_eq!((a.state, a.reason.as_str()), (SyncState::Ok, ""));
    assert!(a.last_success_at.is_some(), "the synced account says when");
    assert_eq!(b.state, SyncState::Offline, "{b:?}");
    assert!(b.reason.contains("does not answer"), "{b:?}");
    assert_eq!(b.last_success_at, None);
    assert_eq!(c.state, SyncState::SignIn, "{c:?}");
    assert!(c.reason.contains("refused its token"), "{c:?}");
    assert!(
        status.message.contains("Shop B") && !status.message.starts_with("Offline"),
        "the sentence names the silent account instead of a global Offline: {}",
        status.message
    );
    assert_eq!(
        ws.order_rows().unwrap().len(),
        25,
        "the answering account's orders are all there"
    );
}
