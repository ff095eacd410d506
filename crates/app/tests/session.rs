//! The app without a window: `start` on the embedded demo marketplaces with a recording
//! surface, over a temp data folder. The first sync reaches the surface as change
//! batches and a needs-you count, and a seller action taken through the session (the
//! window's path) is pushed by the engine, named in a batch, and applied.

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

    let rows = session.read("rows", |w| w.order_rows()).unwrap();
    let new = rows
        .iter()
        .find(|r| r.account_id == "demo" && r.status == RowStatus::AwaitingAcceptance)
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
    // Applied by the marketplace: the next pull shows the order past acceptance.
    let key = OrderKey {
        account_id: account.clone(),
        order_id: order.clone(),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let rows = session.read("row", |w| w.order_rows_of(std::slice::from_ref(&key)));
        let status = rows.unwrap().first().map(|r| r.status);
        if status.is_some_and(|s| s != RowStatus::AwaitingAcceptance) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the accepted order stays {status:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
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

#[test]
fn the_demo_connects_one_account_per_marketplace_profile() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let session =
        sellerdesk_app::start(rt.handle(), dir.path(), None, Arc::new(Recorder::default()));
    let accounts = session.read("accounts", |w| w.accounts()).unwrap();
    let mut profiles: Vec<&str> = sellerdesk_app::demo::DEMO_MARKETPLACES
        .iter()
        .map(|m| m.0)
        .collect();
    profiles.sort();
    assert_eq!(
        profiles,
        ["crackerjack", "fiverr", "hostjane", "izea", "podcasterpros"]
    );
    assert_eq!(accounts.len(), 5, "five demo accounts: {accounts:?}");
    let round = rt.block_on(session.ws().unwrap().sync_once());
    assert!(
        round.error.is_none(),
        "every demo marketplace syncs: {:?}",
        round.error
    );
    let info = session.read("info", |w| Ok(w.app_info())).unwrap();
    assert_eq!(
        info.marketplace, "5 marketplaces",
        "the header names how many"
    );
    assert_eq!(
        info.marketplaces.len(),
        5,
        "its tooltip names each: {info:?}"
    );
    let rows = session.read("rows", |w| w.order_rows()).unwrap();
    for account in &accounts {
        assert!(
            rows.iter().any(|r| r.account_id == account.id),
            "{} lists its orders",
            account.id
        );
    }
}
