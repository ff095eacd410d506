//! The seller's own order requests and progress updates against the real simulator:
//! opening a change of order time, answering the buyer's progress-update request (posted
//! in the chat), a request refused by the marketplace's rules keeping the seller's words,
//! and bad input stopped before the outbox.

mod common;
use common::workspace;

use chrono::{Duration, Utc};
use sellerdesk_api::{Party, RequestKind, RequestState};
use sellerdesk_core::detail::{ActionKind, Id, OpenKind, SellerAction};
use sellerdesk_core::{ErrorCode, Workspace};
use sellerdesk_sim::SimConfig;

fn act(ws: &Workspace, order: &str, request: SellerAction) {
    let action = request.to_wire().unwrap();
    ws.enqueue_action("acct", order, &action).unwrap();
}

#[tokio::test]
async fn the_seller_opens_a_request_and_answers_a_progress_update() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = workspace(&sim.base_url(), sim.token());
    assert!(ws.sync_once().await.error.is_none());

    let before = ws.order_detail("acct", "D-1001").unwrap();
    let open_time = before
        .actions
        .iter()
        .find(|a| a.id == ActionKind::OpenChangeOrderTime)
        .unwrap();
    assert!(open_time.allowed, "{open_time:?}");
    let new_due = sim.handle().order("D-1001").unwrap().due_at + Duration::days(3);
    act(
        &ws,
        "D-1001",
        SellerAction::OpenRequest {
            text: "The client review moved; could we take three more days?".into(),
            request_kind: OpenKind::ChangeOrderTime,
            proposed_due_ms: Some(new_due.timestamp_millis()),
            price_minor: None,
        },
    );
    let progress = "Templates 1-6 done, 7-10 by tomorrow.";
    act(
        &ws,
        "D-1017",
        SellerAction::ProvideProgress {
            request_id: Id::try_from("D-1017-R1").unwrap(),
            text: progress.into(),
        },
    );
    assert!(ws.sync_once().await.error.is_none());
    assert!(ws.store().pending_actions("acct").unwrap().is_empty());

    let opened = sim.handle().order("D-1001").unwrap().requests;
    let mine = opened.last().expect("the request reached the marketplace");
    assert_eq!(mine.kind, RequestKind::ChangeOrderTime);
    assert_eq!(mine.opened_by, Party::Seller);
    assert_eq!(mine.state, RequestState::Pending);
    assert_eq!(
        mine.proposed_due_at.map(|d| d.timestamp_millis()),
        Some(new_due.timestamp_millis()),
        "the proposed date, to the millisecond the window sends"
    );
    let detail = ws.order_detail("acct", "D-1001").unwrap();
    let shown = detail.requests.last().unwrap();
    assert_eq!(
        (shown.kind, shown.opened_by),
        (RequestKind::ChangeOrderTime, Party::Seller)
    );
    assert!(
        detail
            .actions
            .iter()
            .filter(|a| a.id.is_open_request())
            .all(|a| !a.allowed),
        "one request at a time"
    );

    let answered = sim.handle().order("D-1017").unwrap();
    assert_eq!(answered.requests[0].state, RequestState::Accepted);
    assert!(
        answered
            .messages
            .iter()
            .any(|m| m.from == Party::Seller && m.text.ends_with(progress)),
        "the update is posted in the chat"
    );
    let detail = ws.order_detail("acct", "D-1017").unwrap();
    assert_eq!(detail.requests[0].state, RequestState::Accepted);
    assert!(detail.messages.iter().any(|m| m.text.ends_with(progress)));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_refused_request_keeps_its_words_and_bad_input_is_stopped_early() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = workspace(&sim.base_url(), sim.token());
    assert!(ws.sync_once().await.error.is_none());

    let bad = [
        (OpenKind::AdditionalWork, None, "price above zero"),
        (OpenKind::ChangeOrderTime, None, "propose the new due date"),
        (OpenKind::Cancel, None, "tell the buyer why"),
    ];
    for (kind, price, why) in bad {
        let err = SellerAction::OpenRequest {
            request_kind: kind,
            text: String::new(),
            proposed_due_ms: None,
            price_minor: price,
        }
        .to_wire()
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains(why), "{} vs {why}", err.message);
    }

    // D-1010 already has the buyer's pending request: the marketplace refuses another.
    let words = "Sorry, a family emergency: I cannot finish this order.";
    act(
        &ws,
        "D-1010",
        SellerAction::OpenRequest {
            text: words.into(),
            request_kind: OpenKind::Cancel,
            proposed_due_ms: None,
            price_minor: None,
        },
    );
    ws.sync_once().await;
    let detail = ws.order_detail("acct", "D-1010").unwrap();
    let refused = common::refused(&detail, "only one request can be open at a time");
    assert_eq!(refused.text.as_deref(), Some(words), "the words are kept");
    assert_eq!(
        sim.handle().order("D-1010").unwrap().requests.len(),
        1,
        "nothing opened"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_seller_cancels_a_late_order_alone_on_izea_only() {
    let mut config = SimConfig::demo(Utc::now());
    config.profile_id = "izea".into();
    let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = workspace(&sim.base_url(), sim.token());
    assert!(ws.sync_once().await.error.is_none());
    let now = sim.handle().now();
    let late = sim
        .handle()
        .orders()
        .into_iter()
        .find(|o| o.status == sellerdesk_api::OrderStatus::InProgress && o.due_at < now)
        .expect("a late demo order");
    let on_time = sim
        .handle()
        .orders()
        .into_iter()
        .find(|o| o.status == sellerdesk_api::OrderStatus::InProgress && o.due_at > now)
        .expect("an order on time");
    let allowed = |id: &str| {
        ws.order_detail("acct", id)
            .unwrap()
            .actions
            .into_iter()
            .find(|a| a.id == ActionKind::Cancel)
            .unwrap()
    };
    assert!(allowed(&late.id).allowed);
    assert!(!allowed(&on_time.id).allowed);
    for id in [&late.id, &on_time.id] {
        act(
            &ws,
            id,
            SellerAction::Cancel {
                text: "The buyer has not answered for a week.".into(),
            },
        );
    }
    ws.sync_once().await;
    // izea: "A member of the customer experience team will be alerted and will join your
    // chat as soon as possible": the order waits for them, then they cancel it.
    assert_eq!(
        sim.handle().order(&late.id).unwrap().status,
        sellerdesk_api::OrderStatus::Disputed
    );
    sim.handle().advance_clock(chrono::Duration::days(3));
    assert_eq!(
        sim.handle().order(&late.id).unwrap().status,
        sellerdesk_api::OrderStatus::Canceled
    );
    assert_eq!(
        sim.handle().order(&on_time.id).unwrap().status,
        sellerdesk_api::OrderStatus::InProgress,
        "an order on time is not canceled"
    );
    let detail = ws.order_detail("acct", &on_time.id).unwrap();
    common::refused(&detail, "past due");
    sim.shutdown().await;
}
