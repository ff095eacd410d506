//! The Desk with no window: a recording sink over a temp database and the real
//! simulator. A seller action is pushed once by the engine without any wake call from
//! the caller, and a batch names its order; a finished upload leads to the deliver action
//! being pushed; a notification answer goes through the same method as the window's.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use sellerdesk_api::{OrderStatus, RequestState};
use sellerdesk_core::alerts::{Alert, AlertKind};
use sellerdesk_core::desk::{AlertAnswer, ChangeBatch, ChangeKind, Desk, DeskEvents};
use sellerdesk_core::detail::{Id, SellerAction};
use sellerdesk_core::store::{Account, DraftContent, DraftFile, Store};
use sellerdesk_core::sync::{SyncState, SyncStatus};
use sellerdesk_core::uploads::UploadProgress;
use sellerdesk_core::{Workspace, system_clock};
use sellerdesk_sim::{RunningSim, SimConfig};

#[derive(Default)]
struct Recorder {
    batches: Mutex<Vec<ChangeBatch>>,
    statuses: Mutex<Vec<SyncStatus>>,
    progress: Mutex<Vec<UploadProgress>>,
}

impl DeskEvents for Recorder {
    fn changes(&self, batch: &ChangeBatch) {
        self.batches.lock().unwrap().push(batch.clone());
    }
    fn sync_status(&self, status: &SyncStatus) {
        self.statuses.lock().unwrap().push(status.clone());
    }
    fn upload_progress(&self, progress: &UploadProgress) {
        self.progress.lock().unwrap().push(progress.clone());
    }
}

impl Recorder {
    fn named(&self, order: &str, what: ChangeKind) -> usize {
        self.batches
            .lock()
            .unwrap()
            .iter()
            .filter(|b| {
                b.changes
                    .iter()
                    .any(|c| c.order_id.as_deref() == Some(order) && c.what == what)
            })
            .count()
    }
}

/// Polls `cond` every 20 ms until it holds, failing after 20 s with `what`.
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn start(dir: &Path) -> (RunningSim, Arc<Desk>, Arc<Recorder>) {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = Workspace::with_store(
        Store::open(&dir.join("sellerdesk.db")).unwrap(),
        vec![(
            Account::new("acct", "Test", &sim.base_url()),
            sim.token().to_string(),
        )],
        false,
        system_clock(),
    )
    .unwrap();
    let recorder = Arc::new(Recorder::default());
    // An hour between rounds: anything sooner must come from a wake inside the core.
    let desk = Desk::start(Arc::new(ws), recorder.clone(), Duration::from_secs(3600));
    let r = recorder.clone();
    until("the first round synced", || {
        r.statuses
            .lock()
            .unwrap()
            .iter()
            .any(|s| s.state == SyncState::Ok)
    })
    .await;
    (sim, desk, recorder)
}

fn id(s: &str) -> Id {
    Id::try_from(s).unwrap()
}

#[tokio::test]
async fn an_action_is_pushed_once_by_the_engine_and_a_batch_names_its_order() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, desk, recorder) = start(dir.path()).await;
    let action = SellerAction::AcceptRequest {
        request_id: id("D-1010-R1"),
    };
    let detail = desk.perform(&id("acct"), &id("D-1010"), &action).unwrap();
    assert_eq!(detail.outbox.len(), 1, "shown at once as pending");
    assert!(
        recorder.named("D-1010", ChangeKind::Outbox) >= 1,
        "the operation's batch names the order's outbox"
    );
    let handle = sim.handle();
    until("the engine pushed the accept", || {
        handle.order("D-1010").unwrap().requests[0].state == RequestState::Accepted
    })
    .await;
    let ws = desk.workspace();
    until("the outbox drained", || {
        ws.store().pending_actions("acct").unwrap().is_empty()
    })
    .await;
    let r = recorder.clone();
    until("the engine's round names the order", || {
        r.named("D-1010", ChangeKind::Order) >= 2
    })
    .await;
    assert_eq!(
        handle
            .order("D-1010")
            .unwrap()
            .requests
            .iter()
            .filter(|r| r.state == RequestState::Accepted)
            .count(),
        1,
        "applied once"
    );
    desk.stop();
}

#[tokio::test]
async fn a_finished_upload_leads_to_the_deliver_action_being_pushed() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, desk, recorder) = start(dir.path()).await;
    let order = sim
        .handle()
        .orders()
        .into_iter()
        .find(|o| o.status == OrderStatus::InProgress)
        .unwrap()
        .id;
    let path = dir.path().join("logo.png");
    std::fs::write(&path, vec![7u8; 300_000]).unwrap();
    let content = DraftContent {
        description: "The logo in three sizes".into(),
        files: vec![DraftFile {
            path: path.display().to_string(),
            name: "logo.png".into(),
            size: 300_000,
        }],
        ..DraftContent::default()
    };
    desk.save_draft(&id("acct"), &id(&order), None, &content)
        .unwrap();
    assert_eq!(recorder.named(&order, ChangeKind::Draft), 1);
    desk.submit_delivery(&id("acct"), &id(&order)).unwrap();
    let handle = sim.handle();
    until("the delivery reached the marketplace", || {
        handle.order(&order).unwrap().status == OrderStatus::Delivered
    })
    .await;
    assert!(
        !recorder.progress.lock().unwrap().is_empty(),
        "upload progress reached the sink"
    );
    assert!(
        recorder.named(&order, ChangeKind::Deliveries) >= 2,
        "submitting and finishing name the order's deliveries"
    );
    desk.stop();
}

#[tokio::test]
async fn a_notification_answer_goes_through_the_windows_method() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, desk, recorder) = start(dir.path()).await;
    let alert = Alert {
        key: "acct/D-1007/D-1007-R1/received".into(),
        kind: AlertKind::RequestReceived,
        account_id: "acct".into(),
        order_id: "D-1007".into(),
        request_id: Some("D-1007-R1".into()),
        title: "New request".into(),
        body: String::new(),
        actions: vec![
            ("accept".into(), "Accept".into()),
            ("decline".into(), "Decline".into()),
            ("default".into(), "Open order".into()),
        ],
    };
    assert_eq!(
        desk.answer_alert(&alert, "default").unwrap(),
        AlertAnswer::Open
    );
    assert_eq!(
        desk.answer_alert(&alert, "__closed").unwrap(),
        AlertAnswer::Ignore
    );
    assert_eq!(
        recorder.named("D-1007", ChangeKind::Outbox),
        0,
        "nothing queued yet"
    );
    let answer = desk.answer_alert(&alert, "decline").unwrap();
    assert_eq!(
        answer,
        AlertAnswer::Act(SellerAction::DeclineRequest {
            request_id: id("D-1007-R1")
        })
    );
    assert_eq!(
        recorder.named("D-1007", ChangeKind::Outbox),
        1,
        "the same batch as a window action"
    );
    let handle = sim.handle();
    until("the decline reached the marketplace", || {
        handle.order("D-1007").unwrap().requests[0].state == RequestState::Declined
    })
    .await;
    desk.stop();
}
