//! The outbox against the real simulator: seller actions queued while offline or while
//! the marketplace misbehaves are applied exactly once, in order, and a refused one keeps
//! the marketplace's reason.

use chrono::Utc;
use sellerdesk_api::{OrderAction, OrderStatus, RequestState};
use sellerdesk_core::store::{Account, OutboxState, Store};
use sellerdesk_core::{Workspace, system_clock};
use sellerdesk_sim::{Fault, FaultPlan, SimConfig};

fn workspace(base_url: &str, token: &str) -> Workspace {
    let account = Account::new("acct", "Test", base_url);
    Workspace::with_store(
        Store::open_in_memory().unwrap(),
        vec![(account, token.to_string())],
        false,
        system_clock(),
    )
    .unwrap()
}

#[tokio::test]
async fn actions_survive_faults_and_apply_exactly_once_in_order() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = workspace(&sim.base_url(), sim.token());
    assert!(ws.sync_once().await.error.is_none(), "initial sync");

    let request = |id: &str| id.to_string();
    let actions = [
        ("D-1003", OrderAction::Accept),
        // In order: the accept above lands first, so this decline must be refused.
        ("D-1003", OrderAction::Decline),
        ("D-1012", OrderAction::Decline),
        ("D-1020", OrderAction::Accept),
        ("D-1029", OrderAction::Accept),
        (
            "D-1010",
            OrderAction::AcceptRequest {
                request_id: request("D-1010-R1"),
            },
        ),
        (
            "D-1007",
            OrderAction::DeclineRequest {
                request_id: request("D-1007-R1"),
            },
        ),
        // The seller cannot accept an order already in progress.
        ("D-1001", OrderAction::Accept),
    ];
    for (order, action) in &actions {
        ws.enqueue_action("acct", order, action).unwrap();
    }

    // Every kind of trouble, one after another, while the outbox drains.
    let faults = [
        Fault::DropConnection,
        Fault::ServerError,
        Fault::RateLimited {
            retry_after_secs: 1,
        },
        Fault::Garbage,
        Fault::DropConnection,
    ];
    let mut rounds = 0;
    for fault in faults {
        sim.handle().set_fault(FaultPlan {
            fault,
            count: Some(1),
        });
        ws.sync_once().await;
        rounds += 1;
    }
    while !ws.store().pending_actions("acct").unwrap().is_empty() && rounds < 20 {
        ws.sync_once().await;
        rounds += 1;
    }
    assert!(
        ws.store().pending_actions("acct").unwrap().is_empty(),
        "the outbox drains"
    );

    let (keys, applied) = sim.handle().action_counts();
    assert_eq!(
        keys,
        actions.len(),
        "every action reached the marketplace under one key"
    );
    assert_eq!(
        applied, 6,
        "six actions are allowed; each was applied exactly once"
    );

    let server = |id: &str| sim.handle().order(id).unwrap();
    assert_eq!(
        server("D-1003").status,
        OrderStatus::Accepted,
        "accept came before decline"
    );
    assert_eq!(server("D-1012").status, OrderStatus::Canceled);
    assert_eq!(server("D-1020").status, OrderStatus::Accepted);
    assert_eq!(server("D-1010").requests[0].state, RequestState::Accepted);
    assert_eq!(server("D-1007").requests[0].state, RequestState::Declined);
    assert_eq!(
        server("D-1007").status,
        OrderStatus::InProgress,
        "a declined cancel keeps the order"
    );

    let refused: Vec<_> = ["D-1003", "D-1001"]
        .iter()
        .flat_map(|id| ws.store().open_actions_of("acct", id).unwrap())
        .collect();
    assert_eq!(
        refused.len(),
        2,
        "the two refused actions stay visible: {refused:?}"
    );
    for item in &refused {
        assert_eq!(item.state, OutboxState::Failed);
        let reason = item.last_error.as_deref().unwrap_or_default();
        assert!(
            reason.contains("cannot"),
            "the marketplace's reason is kept: {reason}"
        );
    }

    // Local state equals server state once the round is clean.
    assert!(ws.sync_once().await.error.is_none());
    for order in sim.handle().orders() {
        let local = ws.store().order("acct", &order.id).unwrap().unwrap();
        assert_eq!(
            local, order,
            "{} differs between the app and the marketplace",
            order.id
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn actions_taken_offline_are_applied_in_order_once_the_marketplace_is_back() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let addr = sim.local_addr();
    let ws = workspace(&sim.base_url(), sim.token());
    assert!(ws.sync_once().await.error.is_none());
    let start = sim.handle().now();
    sim.shutdown().await;

    ws.enqueue_action("acct", "D-1003", &OrderAction::Accept)
        .unwrap();
    ws.enqueue_action("acct", "D-1003", &OrderAction::Decline)
        .unwrap();
    let offline = ws.sync_once().await;
    assert!(
        offline.error.as_ref().is_some_and(|e| e.is_offline()),
        "{:?}",
        offline.error
    );
    assert_eq!(
        ws.store().pending_actions("acct").unwrap().len(),
        2,
        "nothing is lost offline"
    );

    // The marketplace comes back on the same address.
    let mut config = SimConfig::demo(start);
    config.token = sim_token();
    let back = sellerdesk_sim::spawn(config, addr).await.unwrap();
    assert!(ws.sync_once().await.error.is_none(), "sync works again");
    assert!(ws.store().pending_actions("acct").unwrap().is_empty());
    assert_eq!(
        back.handle().order("D-1003").unwrap().status,
        OrderStatus::Accepted,
        "applied in order: accept, then the decline is refused"
    );
    assert_eq!(back.handle().action_counts(), (2, 1));
    back.shutdown().await;
}

fn sim_token() -> String {
    SimConfig::demo(Utc::now()).token
}
