//! The app without a window: `start` on the embedded demo marketplaces with a recording
//! surface, over a temp data folder. The first sync reaches the surface as change
//! batches and a needs-you count, and a seller action taken through the session (the
//! window's path) is pushed by the engine and named in a batch, with the count moving.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sellerdesk_app::Surface;
use sellerdesk_core::ipc::{
    Alert, ChangeBatch, Id, OrderKey, RowStatus, SellerAction, SyncStatus, UploadProgress,
};

#[derive(Default)]
struct Recorded {
    batches: Vec<ChangeBatch>,
    needs_you: Vec<usize>,
    statuses: usize,
}

#[derive(Default)]
struct Recorder(Mutex<Recorded>);

impl Surface for Recorder {
    fn changes(&self, batch: &ChangeBatch) {
        self.0.lock().unwrap().batches.push(batch.clone());
    }
    fn sync_status(&self, _: &SyncStatus) {
        self.0.lock().unwrap().statuses += 1;
    }
    fn upload_progress(&self, _: &UploadProgress) {}
    fn needs_you(&self, count: usize) {
        self.0.lock().unwrap().needs_you.push(count);
    }
    fn alerts(&self, _: &[Alert]) {}
    fn open_order(&self, _: &OrderKey) {}
}

/// Waits until `done` holds of what the surface recorded (a state, never a fixed sleep).
fn wait_for(surface: &Recorder, what: &str, done: impl Fn(&Recorded) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(&surface.0.lock().unwrap()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_demo_session_syncs_to_its_surface_and_a_sellers_action_goes_out_once() {
    assert!(
        std::env::var_os(sellerdesk_app::env::API_URL_VAR).is_none(),
        "the test runs on the embedded demo"
    );
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let surface = Arc::new(Recorder::default());
    let session = sellerdesk_app::start(rt.handle(), dir.path(), None, surface.clone());
    assert!(session.demo, "no marketplace configured: the demo");
    wait_for(&surface, "the first sync's orders", |r| {
        r.batches
            .iter()
            .any(|b| b.changes.iter().any(|c| c.order_id.is_some()))
    });
    wait_for(&surface, "a needs-you count", |r| {
        r.needs_you.last().is_some_and(|&n| n > 0)
    });
    let before = *surface.0.lock().unwrap().needs_you.last().unwrap();

    let rows = session.read("rows", |w| w.order_rows()).unwrap();
    let new = rows
        .iter()
        .find(|r| r.status == RowStatus::AwaitingAcceptance)
        .expect("the demo has an order awaiting acceptance");
    let (account, order) = (
        Id::try_from(&*new.account_id).unwrap(),
        Id::try_from(&*new.id).unwrap(),
    );
    session
        .perform(&account, &order, &SellerAction::Accept)
        .unwrap();
    wait_for(&surface, "a batch naming the accepted order", |r| {
        r.batches.iter().any(|b| {
            b.changes
                .iter()
                .any(|c| c.order_id.as_deref() == Some(new.id.as_str()))
        })
    });
    wait_for(
        &surface,
        "the count to drop once the marketplace has it",
        |r| r.needs_you.last().is_some_and(|&n| n < before),
    );
    let detail = session
        .read("detail", |w| w.order_detail(&new.account_id, &new.id))
        .unwrap();
    assert!(
        detail
            .outbox
            .iter()
            .all(|o| o.state != sellerdesk_core::ipc::OutboxViewState::Pending),
        "pushed by the engine with no wake call from here: {:?}",
        detail.outbox
    );
    assert!(
        surface.0.lock().unwrap().statuses > 0,
        "sync states reach the surface"
    );
}
