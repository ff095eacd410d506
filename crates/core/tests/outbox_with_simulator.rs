//! The outbox against the real simulator: seller actions queued while offline or while
//! the marketplace misbehaves are applied exactly once, in order, and a refused one keeps
//! the marketplace's reason.

mod common;
use common::workspace;

use chrono::Utc;
use sellerdesk_api::{OrderAction, OrderStatus, RequestState};
use sellerdesk_core::store::OutboxState;

use sellerdesk_sim::{Fault, FaultPlan, SimConfig};

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

/// Issue #4's bar: 500 actions pushed while the marketplace fails at random (10 % server
/// errors, 5 % connection resets after the action ran, 5 % rate limiting) and keeps
/// changing; afterwards every action was applied exactly once and the app's orders equal
/// the marketplace's.
#[tokio::test]
async fn five_hundred_actions_through_random_faults_apply_exactly_once() {
    const N: usize = 500;
    let mut config = SimConfig::demo(Utc::now());
    config.demo_data = false;
    let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let template = sellerdesk_sim::demo_orders(sim.handle().now())
        .into_iter()
        .find(|o| o.status == OrderStatus::AwaitingAcceptance)
        .unwrap();
    for i in 0..N {
        let mut order = template.clone();
        order.id = format!("N-{i:04}");
        sim.handle().upsert_order(order);
    }
    // Orders the seller does not touch, which the marketplace keeps changing meanwhile.
    let bystander = sellerdesk_sim::demo_orders(sim.handle().now())
        .into_iter()
        .find(|o| o.status == OrderStatus::InProgress)
        .unwrap();
    for i in 0..20 {
        let mut order = bystander.clone();
        order.id = format!("X-{i:02}");
        sim.handle().upsert_order(order);
    }
    let ws = workspace(&sim.base_url(), sim.token());
    assert!(ws.sync_once().await.error.is_none(), "initial sync");
    for i in 0..N {
        let action = if i % 3 == 0 {
            OrderAction::Decline
        } else {
            OrderAction::Accept
        };
        ws.enqueue_action("acct", &format!("N-{i:04}"), &action)
            .unwrap();
    }
    sim.handle().set_fault_mix(sellerdesk_sim::FaultMix {
        rates: vec![
            (Fault::ServerError, 100),
            (Fault::DropConnection, 50),
            (
                Fault::RateLimited {
                    retry_after_secs: 0,
                },
                50,
            ),
        ],
        seed: 2026,
    });
    let mut rounds = 0;
    let mut failed_rounds = 0;
    while rounds < 5_000 {
        let mut changing = sim
            .handle()
            .order(&format!("X-{:02}", rounds % 20))
            .unwrap();
        changing.revisions_used += 1;
        sim.handle().upsert_order(changing);
        let round = ws.sync_once().await;
        rounds += 1;
        failed_rounds += usize::from(round.error.is_some());
        if round.error.is_none() && ws.store().pending_actions("acct").unwrap().is_empty() {
            break;
        }
    }
    assert!(
        failed_rounds > 10,
        "the faults really happened ({failed_rounds} failed rounds)"
    );
    assert!(
        ws.store().pending_actions("acct").unwrap().is_empty(),
        "the outbox drained in {rounds} rounds"
    );
    assert_eq!(
        sim.handle().action_counts(),
        (N, N),
        "each of the {N} actions applied exactly once"
    );

    sim.handle().clear_faults();
    assert!(ws.sync_once().await.error.is_none());
    for order in sim.handle().orders() {
        let local = ws.store().order("acct", &order.id).unwrap().unwrap();
        assert_eq!(
            local, order,
            "{} differs between the app and the marketplace",
            order.id
        );
        let Some(i) = order.id.strip_prefix("N-") else {
            continue;
        };
        let i: usize = i.parse().unwrap();
        let expected = if i.is_multiple_of(3) {
            OrderStatus::Canceled
        } else {
            OrderStatus::Accepted
        };
        assert_eq!(
            order.status, expected,
            "{}: the action it was sent",
            order.id
        );
    }
    println!("{N} actions in {rounds} sync rounds, {failed_rounds} of them hit by faults");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_review_reply_is_sent_once_and_a_second_one_is_refused_with_the_reason() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = workspace(&sim.base_url(), sim.token());
    assert!(ws.sync_once().await.error.is_none());
    let reply = |text: &str| OrderAction::ReplyToReview { text: text.into() };
    ws.enqueue_action("acct", "D-1009", &reply("Thank you!"))
        .unwrap();
    ws.enqueue_action("acct", "D-1009", &reply("One more thing…"))
        .unwrap();
    assert!(ws.sync_once().await.error.is_none());
    let review = ws
        .store()
        .order("acct", "D-1009")
        .unwrap()
        .unwrap()
        .review
        .unwrap();
    assert_eq!(
        review.reply.as_deref(),
        Some("Thank you!"),
        "the first reply lands"
    );
    let refused = ws.store().open_actions_of("acct", "D-1009").unwrap();
    assert_eq!(refused.len(), 1);
    // HostJane: "Take care responding to reviews, you can only do so once."
    let reason = refused[0].last_error.as_deref().unwrap_or_default();
    assert!(
        reason.contains("409"),
        "refused by the marketplace: {reason}"
    );
    sim.shutdown().await;
}
