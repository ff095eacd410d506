//! "Deliver" as the window does it, through the upload hub against the real simulator:
//! the saved draft becomes a delivery, its file is uploaded, the sync pushes it and the
//! order is delivered once; the order's detail follows each step; a canceled delivery
//! comes back as the draft; an order that cannot take a delivery keeps the draft.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use sellerdesk_api::OrderStatus;
use sellerdesk_core::store::{
    Account, DeliveryState, DraftContent, DraftFile, JobState, OutboxState, Store,
};
use sellerdesk_core::uploads::UploadHub;
use sellerdesk_core::{ErrorCode, Workspace, system_clock};
use sellerdesk_sim::{RunningSim, SimConfig};

async fn sim() -> RunningSim {
    sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

fn order_with(sim: &RunningSim, status: OrderStatus) -> String {
    sim.handle()
        .orders()
        .into_iter()
        .find(|o| o.status == status)
        .unwrap_or_else(|| panic!("a demo order {status:?}"))
        .id
}

async fn workspace(sim: &RunningSim, dir: &Path) -> Arc<Workspace> {
    let account = Account::new("acct", "Test", &sim.base_url());
    let ws = Workspace::with_store(
        Store::open(&dir.join("sellerdesk.db")).unwrap(),
        vec![(account, sim.token().to_string())],
        false,
        system_clock(),
    )
    .unwrap();
    assert!(ws.sync_once().await.error.is_none(), "first sync");
    Arc::new(ws)
}

fn file(dir: &Path, name: &str, len: usize) -> DraftFile {
    let path = dir.join(name);
    let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, bytes).unwrap();
    DraftFile {
        path: path.display().to_string(),
        name: name.to_string(),
        size: len as u64,
    }
}

fn draft(files: Vec<DraftFile>) -> DraftContent {
    DraftContent {
        description: "The logo in three sizes".into(),
        files,
        ..DraftContent::default()
    }
}

/// Waits until no upload of the hub is queued or running.
async fn uploads_settled(hub: &UploadHub, ws: &Workspace) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while hub
        .jobs(ws)
        .unwrap()
        .iter()
        .any(|j| matches!(j.state, JobState::Queued | JobState::Uploading))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "uploads never settled"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_saved_draft_is_uploaded_pushed_and_delivered_once() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&sim, dir.path()).await;
    let hub = UploadHub::new(&ws);
    let mut events = hub.subscribe();
    let order = order_with(&sim, OrderStatus::InProgress);
    let content = draft(vec![file(dir.path(), "logo.zip", 3 << 20)]);
    ws.save_draft("acct", &order, None, &content).unwrap();

    let delivery = hub.submit(&ws, "acct", &order).unwrap();
    assert_eq!(delivery.files, 1);
    assert!(
        ws.draft("acct", &order).unwrap().is_none(),
        "the draft became the delivery"
    );
    let detail = ws.order_detail("acct", &order).unwrap();
    assert_eq!(
        detail.delivery.as_ref().map(|d| d.id.as_str()),
        Some(delivery.id.as_str()),
        "the order's detail shows its delivery"
    );
    assert_eq!(detail.uploads.len(), 1);
    assert_eq!(detail.uploads[0].name, "logo.zip");

    uploads_settled(&hub, &ws).await;
    let mut last = None;
    while let Ok(p) = events.try_recv() {
        last = Some(p);
    }
    let last = last.expect("progress reached the hub's channel");
    assert_eq!(last.state, JobState::Done);
    assert_eq!(last.bytes_done, 3 << 20);
    let queued = hub.deliveries(&ws).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].state, DeliveryState::Queued);
    assert!(
        ws.order_detail("acct", &order).unwrap().delivery.is_none(),
        "a queued delivery shows as the pending deliver action"
    );

    assert!(ws.sync_once().await.error.is_none());
    assert!(
        ws.sync_once().await.error.is_none(),
        "a second round sends nothing again"
    );
    assert_eq!(
        sim.handle().order(&order).unwrap().status,
        OrderStatus::Delivered
    );
    let recorded = sim.handle().deliveries(&order);
    assert_eq!(recorded.len(), 1, "delivered exactly once");
    assert_eq!(recorded[0].files.len(), 1);
    assert_eq!(recorded[0].files[0].name, "logo.zip");
    assert!(
        ws.store()
            .open_actions_of("acct", &order)
            .unwrap()
            .iter()
            .all(|i| i.state != OutboxState::Failed)
    );
    assert_eq!(
        ws.order_detail("acct", &order).unwrap().row.status,
        sellerdesk_core::view::RowStatus::Delivered
    );
}

#[tokio::test]
async fn a_canceled_delivery_comes_back_as_the_draft() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&sim, dir.path()).await;
    let hub = UploadHub::new(&ws);
    let order = order_with(&sim, OrderStatus::InProgress);
    let content = draft(vec![file(dir.path(), "video.mp4", 2 << 20)]);
    ws.save_draft("acct", &order, None, &content).unwrap();
    let delivery = hub.submit(&ws, "acct", &order).unwrap();
    let job = hub.jobs(&ws).unwrap()[0].id.clone();
    hub.pause(&ws, &job).unwrap();
    hub.cancel(&ws, &delivery.id).await.unwrap();

    let back = ws
        .draft("acct", &order)
        .unwrap()
        .expect("the draft is back");
    assert_eq!(back.draft.content.description, content.description);
    assert_eq!(back.draft.content.files, content.files);
    assert_eq!(
        hub.deliveries(&ws).unwrap()[0].state,
        DeliveryState::Canceled
    );
    assert!(
        hub.jobs(&ws)
            .unwrap()
            .iter()
            .all(|j| j.state == JobState::Canceled)
    );
    assert!(ws.order_detail("acct", &order).unwrap().delivery.is_none());
    ws.sync_once().await;
    assert!(
        sim.handle().deliveries(&order).is_empty(),
        "nothing was delivered"
    );

    // The draft that came back can be sent again: the uploads list it first.
    let again = hub.submit(&ws, "acct", &order).unwrap();
    let listed: Vec<String> = hub
        .jobs(&ws)
        .unwrap()
        .into_iter()
        .map(|j| j.delivery_id)
        .collect();
    assert_eq!(
        listed,
        [again.id.clone(), delivery.id.clone()],
        "newest delivery first in the uploads list"
    );
    uploads_settled(&hub, &ws).await;
}

#[tokio::test]
async fn an_order_that_cannot_take_a_delivery_keeps_the_draft() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&sim, dir.path()).await;
    let hub = UploadHub::new(&ws);
    let order = order_with(&sim, OrderStatus::Delivered);
    ws.save_draft(
        "acct",
        &order,
        None,
        &draft(vec![file(dir.path(), "a.txt", 10)]),
    )
    .unwrap();
    let err = hub.submit(&ws, "acct", &order).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAllowed, "{err:?}");
    assert!(
        ws.draft("acct", &order).unwrap().is_some(),
        "the draft is kept"
    );
    assert!(hub.jobs(&ws).unwrap().is_empty(), "no byte was sent");

    let other = order_with(&sim, OrderStatus::InProgress);
    let missing = DraftFile {
        path: dir.path().join("gone.bin").display().to_string(),
        name: "gone.bin".into(),
        size: 5,
    };
    ws.save_draft("acct", &other, None, &draft(vec![missing]))
        .unwrap();
    let err = hub.submit(&ws, "acct", &other).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("gone.bin"), "{}", err.message);
    assert!(
        ws.draft("acct", &other).unwrap().is_some(),
        "the draft is kept"
    );
}
