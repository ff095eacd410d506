//! `POST /v1/orders/{id}/actions`: seller actions applied with the marketplace's rules,
//! exactly once per Idempotency-Key, even when the answer is lost on the way back.

mod common;

use common::{Api, demo_sim, expect_problem};
use reqwest::StatusCode;
use sellerdesk_api::{Order, OrderStatus};
use sellerdesk_sim::{Fault, FaultPlan};
use serde_json::json;

fn action(
    api: &Api,
    order: &str,
    key: Option<&str>,
    body: serde_json::Value,
) -> reqwest::RequestBuilder {
    let mut request = api.post(&format!("/v1/orders/{order}/actions")).json(&body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request
}

#[tokio::test]
async fn an_action_is_applied_once_per_key() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let first = Api::send(action(
        &api,
        "D-1003",
        Some("k-1"),
        json!({"action": "accept"}),
    ))
    .await;
    assert_eq!(first.status(), StatusCode::OK);
    let accepted: Order = first.json().await.unwrap();
    assert_eq!(
        accepted.status,
        OrderStatus::Accepted,
        "a new order is accepted"
    );

    let again = Api::send(action(
        &api,
        "D-1003",
        Some("k-1"),
        json!({"action": "accept"}),
    ))
    .await;
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "a retry gets the first answer, not a refusal"
    );
    let replayed: Order = again.json().await.unwrap();
    assert_eq!(
        replayed.seq, accepted.seq,
        "a retried key must not change the order again"
    );
    assert_eq!(sim.handle().action_counts(), (1, 1));

    let reused = Api::send(action(
        &api,
        "D-1003",
        Some("k-1"),
        json!({"action": "decline"}),
    ))
    .await;
    expect_problem(
        reused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "same key, other action",
    )
    .await;
    let no_key = Api::send(action(&api, "D-1003", None, json!({"action": "decline"}))).await;
    expect_problem(no_key, StatusCode::BAD_REQUEST, "no Idempotency-Key").await;
    let refused = Api::send(action(
        &api,
        "D-1001",
        Some("k-2"),
        json!({"action": "accept"}),
    ))
    .await;
    expect_problem(
        refused,
        StatusCode::CONFLICT,
        "accepting an order in progress",
    )
    .await;
    let unknown = Api::send(action(
        &api,
        "D-9999",
        Some("k-3"),
        json!({"action": "accept"}),
    ))
    .await;
    expect_problem(unknown, StatusCode::NOT_FOUND, "unknown order").await;
    let anonymous = Api::send(
        reqwest::Client::new()
            .post(api.url("/v1/orders/D-1012/actions"))
            .header("Idempotency-Key", "k-4")
            .json(&json!({"action": "accept"})),
    )
    .await;
    expect_problem(anonymous, StatusCode::UNAUTHORIZED, "no token").await;
    assert_eq!(
        sim.handle().order("D-1012").unwrap().status,
        OrderStatus::AwaitingAcceptance
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_lost_answer_is_retried_safely() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    sim.handle().set_fault(FaultPlan {
        fault: Fault::DropConnection,
        count: Some(1),
    });
    let lost = action(
        &api,
        "D-1010",
        Some("k-9"),
        json!({"action": "accept_request", "request_id": "D-1010-R1"}),
    )
    .send()
    .await;
    let body_lost = match lost {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(body_lost, "the injected reset must cut the answer");
    assert_eq!(
        sim.handle().action_counts(),
        (1, 1),
        "the action was applied before the answer was lost"
    );

    let retry = Api::send(action(
        &api,
        "D-1010",
        Some("k-9"),
        json!({"action": "accept_request", "request_id": "D-1010-R1"}),
    ))
    .await;
    assert_eq!(retry.status(), StatusCode::OK);
    let order: Order = retry.json().await.unwrap();
    assert_eq!(
        order.requests[0].state,
        sellerdesk_api::RequestState::Accepted
    );
    assert_eq!(
        sim.handle().action_counts(),
        (1, 1),
        "the retry must not apply it twice"
    );
    sim.shutdown().await;
}
