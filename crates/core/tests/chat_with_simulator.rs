//! Order chat against the real simulator: the demo conversation is pulled, a message
//! written offline shows at once as pending, is sent exactly once when the marketplace
//! answers again (a dropped response retried with the same key), and a refused message
//! keeps its text for the seller to edit.

mod common;
use common::workspace;

use chrono::Utc;
use sellerdesk_api::{OrderAction, Party};
use sellerdesk_core::ErrorCode;
use sellerdesk_core::detail::SellerAction;
use sellerdesk_sim::{Fault, FaultPlan, SimConfig};

fn message(text: &str) -> SellerAction {
    SellerAction::SendMessage { text: text.into() }
}

#[tokio::test]
async fn a_message_written_offline_is_sent_once_when_the_marketplace_is_back() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = workspace(&sim.base_url(), sim.token());
    assert!(ws.sync_once().await.error.is_none());
    let pulled = ws.order_detail("acct", "D-1001").unwrap().messages;
    let server = sim.handle().order("D-1001").unwrap().messages;
    assert!(!server.is_empty(), "the demo has a conversation");
    assert_eq!(
        pulled.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        server.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        "the chat is pulled with the order, oldest first"
    );
    assert!(pulled.iter().all(|m| !m.pending));

    // Offline: the marketplace is gone.
    let addr = sim.local_addr();
    let start = sim.handle().now();
    let token = sim.token().to_string();
    sim.shutdown().await;
    let action = message("  I'll send the dark version tonight.  ")
        .to_wire()
        .unwrap();
    ws.enqueue_action("acct", "D-1001", &action).unwrap();
    let offline = ws.sync_once().await;
    assert!(
        offline.error.as_ref().is_some_and(|e| e.is_offline()),
        "{:?}",
        offline.error
    );
    let detail = ws.order_detail("acct", "D-1001").unwrap();
    let last = detail.messages.last().unwrap();
    assert_eq!(last.text, "I'll send the dark version tonight.");
    assert!(last.pending, "shown at once, pending");
    assert_eq!(last.from, Party::Seller);

    // Back on the same address, but the answer to the push is cut after the server
    // applied it: the retry with the same key must not send the message twice.
    let mut config = SimConfig::demo(start);
    config.token = token;
    let sim = sellerdesk_sim::spawn(config, addr).await.unwrap();
    sim.handle().set_fault(FaultPlan {
        fault: Fault::DropConnection,
        count: Some(1),
    });
    for _ in 0..5 {
        if ws.store().pending_actions("acct").unwrap().is_empty() {
            break;
        }
        ws.sync_once().await;
    }
    assert!(ws.store().pending_actions("acct").unwrap().is_empty());
    ws.sync_once().await;
    let on_server = sim.handle().order("D-1001").unwrap().messages;
    let mine: Vec<_> = on_server
        .iter()
        .filter(|m| m.text == "I'll send the dark version tonight.")
        .collect();
    assert_eq!(mine.len(), 1, "sent exactly once");
    assert_eq!(mine[0].from, Party::Seller);
    let detail = ws.order_detail("acct", "D-1001").unwrap();
    assert_eq!(
        detail.messages.len(),
        on_server.len(),
        "local equals server"
    );
    assert!(detail.messages.iter().all(|m| !m.pending));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_refused_message_keeps_its_text_and_bad_input_is_stopped_early() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = workspace(&sim.base_url(), sim.token());
    assert!(ws.sync_once().await.error.is_none());

    for text in ["   ", &"x".repeat(5001)] {
        let err = message(text).to_wire().unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(
            err.message.contains("1 to 5000 characters"),
            "{}",
            err.message
        );
    }

    // A message that slipped past the window (e.g. an older build) is refused by the
    // marketplace: it stays on the order with the reason and the seller's words.
    let long = "y".repeat(5001);
    ws.enqueue_action(
        "acct",
        "D-1002",
        &OrderAction::SendMessage { text: long.clone() },
    )
    .unwrap();
    ws.sync_once().await;
    let detail = ws.order_detail("acct", "D-1002").unwrap();
    let refused = common::refused(&detail, "1 to 5000 characters");
    assert_eq!(refused.text.as_deref(), Some(long.as_str()), "text kept");
    assert!(
        detail.messages.iter().all(|m| m.text != long),
        "a refused message is not shown as sent or pending"
    );
    sim.shutdown().await;
}
