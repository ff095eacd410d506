//! The whole order lifecycle on the simulator's clock: 30 days over the demo data with
//! the seeded buyer playing, on every marketplace profile; the buyer scripted over
//! `/_sim/buyer/{id}`; revisions used up and modified work delivered; a dispute that
//! support settles.

mod common;

use chrono::Duration;
use common::{Api, start};
use reqwest::StatusCode;
use sellerdesk_api::{Delivery, Order, OrderAction, OrderStatus, Party};
use sellerdesk_rules::review_ends_at;
use sellerdesk_sim::{BuyerStep, SimConfig, profiles};

fn config(profile: &str) -> SimConfig {
    SimConfig {
        profile_id: profile.to_string(),
        ..SimConfig::demo(start())
    }
}

fn modified(text: &str) -> OrderAction {
    OrderAction::Deliver(Delivery {
        description: text.into(),
        files: vec![],
        no_file_confirmed: true,
        outside_platform: false,
        modified: true,
    })
}

#[tokio::test]
async fn thirty_days_play_out_every_delivered_order() {
    for profile in profiles() {
        let sim = common::sim(config(&profile.id).with_buyer()).await;
        let handle = sim.handle();
        let delivered: Vec<Order> = handle
            .orders()
            .into_iter()
            .filter(|o| o.status == OrderStatus::Delivered)
            .collect();
        assert_eq!(delivered.len(), 4, "the demo has four delivered orders");
        let seq_before = handle.orders().iter().map(|o| o.seq).max().unwrap();
        // Day by day, so the check below sees every order at every step.
        for day in 1..=30 {
            let now = handle.advance_clock(Duration::days(1));
            for order in handle.orders() {
                if order.status != OrderStatus::Delivered {
                    continue;
                }
                let ends =
                    review_ends_at(&order, &profile).expect("a delivered order has a window");
                // hostjane: "please send the Buyer their Final Work within 24 hours."
                let grace = if profile.id == "hostjane" {
                    Duration::hours(24)
                } else {
                    Duration::zero()
                };
                assert!(
                    now <= ends + grace,
                    "{} {}: still delivered on day {day}, past its review window ({ends})",
                    profile.id,
                    order.id
                );
            }
        }
        for before in &delivered {
            let after = handle.order(&before.id).unwrap();
            assert!(
                matches!(
                    after.status,
                    OrderStatus::Completed
                        | OrderStatus::RevisionRequested
                        | OrderStatus::Disputed
                        // A dispute that support settled: back to work, or canceled.
                        | OrderStatus::InProgress
                        | OrderStatus::Canceled
                ),
                "{} {}: ended {:?}",
                profile.id,
                before.id,
                after.status
            );
            assert!(
                after.seq > seq_before,
                "{} {}: every change bumps seq",
                profile.id,
                before.id
            );
            assert!(after.updated_at > before.updated_at, "and updated_at");
            if after.status == OrderStatus::Completed {
                let done = after.completed_at.expect("completed_at is stamped");
                let ends = review_ends_at(before, &profile).unwrap();
                let grace = if profile.id == "hostjane" {
                    Duration::hours(24)
                } else {
                    Duration::zero()
                };
                assert!(
                    done <= ends + grace,
                    "{} {}: completed within its window",
                    profile.id,
                    before.id
                );
            }
            if matches!(
                after.status,
                OrderStatus::InProgress | OrderStatus::Canceled
            ) {
                // Back to work or canceled: support settled a dispute, or (crackerjack:
                // "If the other party does not respond to the request within 48 hours,
                // the order will be canceled") the seller left the buyer's request unanswered.
                let settled = after.messages.iter().any(|m| m.from == Party::Support);
                let lapsed = after
                    .requests
                    .iter()
                    .any(|r| r.state == sellerdesk_api::RequestState::Expired);
                assert!(
                    settled || lapsed,
                    "{} {}: {:?} without a dispute or a lapsed request",
                    profile.id,
                    before.id,
                    after.status
                );
            }
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn the_demos_dispute_is_settled_by_support() {
    let sim = common::demo_sim().await;
    let handle = sim.handle();
    let disputed = handle
        .orders()
        .into_iter()
        .find(|o| o.status == OrderStatus::Disputed)
        .expect("the demo has a disputed order");
    handle.advance_clock(Duration::hours(3));
    assert_eq!(
        handle.order(&disputed.id).unwrap(),
        disputed,
        "support has not joined yet"
    );
    handle.advance_clock(Duration::days(2));
    let settled = handle.order(&disputed.id).unwrap();
    assert!(
        matches!(
            settled.status,
            OrderStatus::InProgress | OrderStatus::Canceled
        ),
        "{:?}",
        settled.status
    );
    let support: Vec<_> = settled
        .messages
        .iter()
        .filter(|m| m.from == Party::Support)
        .collect();
    assert_eq!(support.len(), 2, "support joined, then settled");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_same_clock_plays_the_same_story() {
    let story = || async {
        let sim = common::sim(config("crackerjack").with_buyer()).await;
        sim.handle().advance_clock(Duration::days(30));
        let orders: Vec<(String, OrderStatus, usize)> = sim
            .handle()
            .orders()
            .into_iter()
            .map(|o| (o.id, o.status, o.messages.len()))
            .collect();
        sim.shutdown().await;
        orders
    };
    assert_eq!(
        story().await,
        story().await,
        "the seeded buyers are deterministic"
    );
}

#[tokio::test]
async fn a_silent_buyer_lets_the_review_window_complete_the_order() {
    let sim = common::sim(config("fiverr")).await;
    let api = Api::new(&sim);
    let res = api
        .post("/_sim/buyer/D-1006")
        .json(&serde_json::json!({"do": "silent"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = api
        .post("/_sim/buyer/D-1006")
        .json(&serde_json::json!({"do": "extend_review", "days": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "a scripted step still runs");
    let order: Order = res.json().await.unwrap();
    assert_eq!(order.review_extension_days, 2);
    let profile = sim.handle().profile();
    let ends = review_ends_at(&order, &profile).unwrap();
    // Just before the end: still delivered. Fiverr: "within three days of the delivery's
    // due date", plus the two days the client added.
    let now = sim.handle().now();
    sim.handle()
        .advance_clock(ends - now - Duration::minutes(1));
    assert_eq!(
        sim.handle().order("D-1006").unwrap().status,
        OrderStatus::Delivered
    );
    sim.handle().advance_clock(Duration::minutes(2));
    let done = sim.handle().order("D-1006").unwrap();
    assert_eq!(
        done.status,
        OrderStatus::Completed,
        "auto-completed at the extended end"
    );
    assert_eq!(done.completed_at, Some(ends));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_revision_uses_one_up_and_modified_work_follows() {
    let sim = common::sim(config("hostjane")).await;
    let handle = sim.handle();
    let api = Api::new(&sim);
    // D-1027: two revisions included, one already used.
    let res = api
        .post("/_sim/buyer/D-1027")
        .json(&serde_json::json!({"do": "request_revision", "text": "Brighter colours please"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let asked: Order = res.json().await.unwrap();
    assert_eq!(asked.status, OrderStatus::RevisionRequested);
    assert!(
        asked
            .messages
            .last()
            .unwrap()
            .text
            .contains("Brighter colours")
    );
    let redone = handle
        .perform("D-1027", &modified("Brighter version"), "k1")
        .unwrap();
    assert_eq!(redone.status, OrderStatus::Delivered);
    assert_eq!(
        redone.revisions_used, 2,
        "the modified delivery used one revision up"
    );
    let res = api
        .post("/_sim/buyer/D-1027")
        .json(&serde_json::json!({"do": "request_revision"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "hostjane: \"The Buyer will have the number of deliveries you allocated\""
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_demos_revision_requested_orders_take_modified_work() {
    let sim = common::demo_sim().await;
    for id in ["D-1011", "D-1024"] {
        let order = sim
            .handle()
            .perform(id, &modified("Changes made as asked"), &format!("k-{id}"))
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(order.status, OrderStatus::Delivered, "{id} delivered again");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn hostjane_final_work_completes_the_order_and_starts_the_clearance() {
    let sim = common::sim(config("hostjane")).await;
    let handle = sim.handle();
    let accepted = handle.buyer("D-1013", &BuyerStep::AcceptDelivery).unwrap();
    assert_eq!(
        accepted.status,
        OrderStatus::Delivered,
        "accepted, Final Work awaited"
    );
    assert!(
        accepted.review.is_some(),
        "the review and flame rating come first"
    );
    handle.advance_clock(Duration::hours(3));
    let final_work = OrderAction::Deliver(Delivery {
        description: String::new(),
        files: vec![],
        no_file_confirmed: false,
        outside_platform: true,
        modified: false,
    });
    let done = handle.perform("D-1013", &final_work, "final").unwrap();
    assert_eq!(done.status, OrderStatus::Completed);
    assert_eq!(
        done.completed_at,
        Some(done.updated_at),
        "clearance counts from the Final Work"
    );
    // Another accepted order whose seller never sends the Final Work closes after 24 hours.
    handle.buyer("D-1006", &BuyerStep::AcceptDelivery).unwrap();
    handle.advance_clock(Duration::hours(25));
    assert_eq!(
        handle.order("D-1006").unwrap().status,
        OrderStatus::Completed
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_sellers_dispute_is_joined_and_settled_by_support() {
    let sim = common::sim(config("izea")).await;
    let api = Api::new(&sim);
    let res = api
        .post("/v1/orders/D-1001/actions")
        .header("idempotency-key", "dispute-1")
        .json(&serde_json::json!({"action": "open_dispute", "reason": "The buyer asks for work outside the contract."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disputed: Order = res.json().await.unwrap();
    assert_eq!(disputed.status, OrderStatus::Disputed);
    assert!(
        disputed
            .messages
            .last()
            .unwrap()
            .text
            .starts_with("Dispute Order:")
    );
    let handle = sim.handle();
    handle.advance_clock(Duration::hours(5));
    let joined = handle.order("D-1001").unwrap();
    assert_eq!(
        joined.status,
        OrderStatus::Disputed,
        "izea: a team member joins; no instant refund"
    );
    assert_eq!(joined.messages.last().unwrap().from, Party::Support);
    handle.advance_clock(Duration::days(2));
    let settled = handle.order("D-1001").unwrap();
    assert!(
        matches!(
            settled.status,
            OrderStatus::InProgress | OrderStatus::Canceled
        ),
        "support settles: {:?}",
        settled.status
    );
    let again = api
        .post("/v1/orders/D-1009/actions")
        .header("idempotency-key", "dispute-2")
        .json(&serde_json::json!({"action": "open_dispute", "reason": "late"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "a completed order cannot be disputed"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn izea_contract_update_and_crackerjack_start_date_travel_the_wire() {
    let sim = common::sim(config("izea")).await;
    let api = Api::new(&sim);
    let res = api
        .post("/v1/orders/D-1001/actions")
        .header("idempotency-key", "cu-1")
        .json(&serde_json::json!({
            "action": "open_request", "kind": "contract_update", "message": "More scope",
            "proposed_due_at": (start() + Duration::days(6)).to_rfc3339(),
            "form": {"revisions_included": 4, "price_change_minor": -2000}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let opened: Order = res.json().await.unwrap();
    let request = opened.requests.last().unwrap().clone();
    let answer = sim
        .handle()
        .buyer(
            "D-1001",
            &BuyerStep::AnswerRequest {
                request_id: request.id.clone(),
                accept: true,
            },
        )
        .unwrap();
    assert_eq!(answer.revisions_included, 4);
    assert_eq!(
        answer.base_price_minor,
        opened.base_price_minor - 2000,
        "the price went down"
    );
    let crackerjack = common::sim(config("crackerjack")).await;
    let res = Api::new(&crackerjack)
        .post("/v1/orders/D-1001/actions")
        .header("idempotency-key", "start-1")
        .json(&serde_json::json!({
            "action": "open_request", "kind": "change_order_time",
            "form": {"proposed_start_at": (start() + Duration::days(1)).to_rfc3339()}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "a change of the start date alone"
    );
    sim.shutdown().await;
    crackerjack.shutdown().await;
}

#[tokio::test]
async fn izea_cancel_order_brings_the_customer_experience_team_not_a_refund() {
    let sim = common::sim(config("izea")).await;
    let handle = sim.handle();
    // D-1002 is 3 h 20 min past due: IZEA lets the seller cancel ("You are able to
    // cancel an order if the order delivery date is past due").
    let cancel = OrderAction::Cancel {
        reason: "The buyer has not sent the brief.".into(),
    };
    let asked = handle.perform("D-1002", &cancel, "cancel-1").unwrap();
    // izea: "A member of the customer experience team will be alerted and will join your
    // chat as soon as possible."
    assert_eq!(asked.status, OrderStatus::Disputed, "not an instant refund");
    handle.advance_clock(Duration::hours(5));
    let joined = handle.order("D-1002").unwrap();
    assert_eq!(joined.status, OrderStatus::Disputed);
    assert_eq!(joined.messages.last().unwrap().from, Party::Support);
    assert!(
        joined
            .messages
            .last()
            .unwrap()
            .text
            .contains("customer experience team")
    );
    handle.advance_clock(Duration::days(2));
    let done = handle.order("D-1002").unwrap();
    assert_eq!(done.status, OrderStatus::Canceled, "the team cancels it");
    sim.shutdown().await;
}

#[tokio::test]
async fn fiverr_takes_modified_work_after_completion_and_the_order_stays_completed() {
    let sim = common::demo_sim().await;
    // fiverr: "If a client is dissatisfied with the completed work or needs a modification,
    // you can deliver the modified work."
    let before = sim.handle().order("D-1009").unwrap();
    assert_eq!(before.status, OrderStatus::Completed);
    let after = sim
        .handle()
        .perform("D-1009", &modified("Tweaked after completion"), "after-1")
        .unwrap();
    assert_eq!(
        after.status,
        OrderStatus::Completed,
        "completion is never undone"
    );
    assert_eq!(
        after.completed_at, before.completed_at,
        "the money already cleared"
    );
    assert_eq!(after.revisions_used, before.revisions_used + 1);
    sim.shutdown().await;
    let hostjane = common::sim(config("hostjane")).await;
    assert!(
        hostjane
            .handle()
            .perform("D-1009", &modified("Tweaked"), "after-2")
            .is_err(),
        "hostjane: a completed order takes no more deliveries"
    );
    hostjane.shutdown().await;
}

#[tokio::test]
async fn the_seeded_buyer_can_be_switched_on_over_http() {
    let sim = common::demo_sim().await;
    assert!(
        !sim.handle().buyer_plays(),
        "the demo's buyers act only when scripted"
    );
    let res = Api::new(&sim)
        .http
        .put(format!("{}/_sim/buyer", sim.base_url()))
        .bearer_auth(sim.token())
        .json(&serde_json::json!({"plays": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(sim.handle().buyer_plays());
    let seq = sim.handle().orders().iter().map(|o| o.seq).max().unwrap();
    sim.handle().advance_clock(Duration::days(10));
    let moved = sim.handle().orders().iter().map(|o| o.seq).max().unwrap();
    assert!(moved > seq, "ten days of buyers change orders");
    let unknown = Api::new(&sim)
        .post("/_sim/buyer/D-9999")
        .json(&serde_json::json!({"do": "accept_delivery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let bad = Api::new(&sim)
        .post("/_sim/buyer/D-1001")
        .json(&serde_json::json!({"do": "dance"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    sim.shutdown().await;
}
