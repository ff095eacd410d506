//! The Deliver action: files uploaded with tus are checked against what the seller
//! says (complete, same size, same SHA-256), and a retried delivery is applied once.

mod common;

use common::tus::{bytes, sha256_hex, upload_id};
use common::{Api, demo_sim, expect_problem};
use reqwest::StatusCode;
use sellerdesk_api::{Order, OrderStatus};
use sellerdesk_sim::RunningSim;
use serde_json::{Value, json};

/// The first demo order with `status`.
fn order_in(sim: &RunningSim, status: OrderStatus) -> Order {
    sim.handle()
        .orders()
        .into_iter()
        .find(|o| o.status == status)
        .unwrap_or_else(|| panic!("a demo order {status:?}"))
}

async fn deliver(api: &Api, order: &str, key: &str, delivery: Value) -> reqwest::Response {
    let mut body = delivery;
    body["action"] = json!("deliver");
    Api::send(
        api.post(&format!("/v1/orders/{order}/actions"))
            .header("Idempotency-Key", key)
            .json(&body),
    )
    .await
}

fn file(upload_id: &str, name: &str, data: &[u8]) -> Value {
    json!({
        "upload_id": upload_id,
        "name": name,
        "size": data.len(),
        "sha256": sha256_hex(data),
    })
}

#[tokio::test]
async fn an_uploaded_file_is_delivered() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let order = order_in(&sim, OrderStatus::InProgress);
    let data = bytes(200_000);
    let id = api.upload(&data, "logo.png").await;
    let response = deliver(
        &api,
        &order.id,
        "deliver-1",
        json!({"description": "Final logo, three sizes", "files": [file(&id, "logo.png", &data)]}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "the delivery is taken");
    let delivered: Order = response.json().await.expect("the order");
    assert_eq!(delivered.status, OrderStatus::Delivered);
    let gap = (delivered.delivered_at.expect("delivered_at is set") - sim.handle().now())
        .num_seconds()
        .abs();
    assert!(gap <= 2, "delivered_at is the simulator's now");
    assert!(
        delivered.seq > order.seq,
        "a delivery is a change in the feed"
    );
    let recorded = sim.handle().deliveries(&order.id);
    assert_eq!(recorded.len(), 1, "one delivery recorded");
    assert_eq!(recorded[0].files[0].upload_id, id);
    assert_eq!(recorded[0].description, "Final logo, three sizes");
}

#[tokio::test]
async fn a_delivery_without_a_file_needs_the_sellers_confirmation() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let order = order_in(&sim, OrderStatus::InProgress);
    let refused = deliver(&api, &order.id, "k-1", json!({"description": "Done"})).await;
    let problem = expect_problem(refused, StatusCode::CONFLICT, "no file, no confirmation").await;
    let detail = problem.detail.unwrap_or_default();
    assert!(
        detail.contains("no_file_confirmed"),
        "the reason names the fix: {detail}"
    );
    let blank = deliver(
        &api,
        &order.id,
        "k-2",
        json!({"description": "  ", "no_file_confirmed": true}),
    )
    .await;
    expect_problem(blank, StatusCode::CONFLICT, "an empty description").await;
    assert!(
        sim.handle().deliveries(&order.id).is_empty(),
        "nothing delivered yet"
    );
    let confirmed = deliver(
        &api,
        &order.id,
        "k-3",
        json!({"description": "Sent by e-mail", "no_file_confirmed": true}),
    )
    .await;
    assert_eq!(
        confirmed.status(),
        StatusCode::OK,
        "confirmed without a file"
    );
    let outside = deliver(
        &api,
        &order_in(&sim, OrderStatus::InProgress).id,
        "k-4",
        json!({"description": "", "outside_platform": true}),
    )
    .await;
    assert_eq!(
        outside.status(),
        StatusCode::OK,
        "delivered outside the platform"
    );
}

#[tokio::test]
async fn files_must_match_complete_uploads() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let order = order_in(&sim, OrderStatus::InProgress);
    let data = bytes(10_000);
    let complete = api.upload(&data, "cover.jpg").await;
    let partial = upload_id(&api.create_upload(10_000, "").await);
    api.patch_upload(&format!("/v1/uploads/{partial}"), 0, data[..4_000].to_vec())
        .await;
    let mut wrong_hash = file(&complete, "cover.jpg", &data);
    wrong_hash["sha256"] = json!(sha256_hex(b"something else"));
    let mut wrong_size = file(&complete, "cover.jpg", &data);
    wrong_size["size"] = json!(9_999);
    let mut too_big = file(&complete, "cover.jpg", &data);
    too_big["size"] = json!((5u64 << 30) + 1);
    let cases = [
        (
            file(&partial, "draft.jpg", &data),
            "incomplete",
            "draft.jpg",
        ),
        (wrong_hash, "does not match", "cover.jpg"),
        (wrong_size, "says 9999 bytes", "cover.jpg"),
        (too_big, "share a link", "cover.jpg"),
        (file("u-nope", "ghost.jpg", &data), "no upload", "ghost.jpg"),
    ];
    for (i, (bad, why, name)) in cases.into_iter().enumerate() {
        let files = json!([file(&complete, "cover.jpg", &data), bad]);
        let response = deliver(
            &api,
            &order.id,
            &format!("bad-{i}"),
            json!({"description": "Here you go", "files": files}),
        )
        .await;
        let problem = expect_problem(response, StatusCode::CONFLICT, why).await;
        let detail = problem.detail.unwrap_or_default();
        assert!(detail.contains(why), "refused because {why}: {detail}");
        assert!(
            detail.contains(name),
            "the refusal names the file {name}: {detail}"
        );
    }
    let unchanged = sim.handle().order(&order.id).expect("the order");
    assert_eq!(
        unchanged.status,
        OrderStatus::InProgress,
        "refusals change nothing"
    );
    assert!(sim.handle().deliveries(&order.id).is_empty());
}

#[tokio::test]
async fn only_work_in_progress_or_a_revision_is_delivered() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let confirmed = json!({"description": "Done", "no_file_confirmed": true});
    for status in [OrderStatus::AwaitingAcceptance, OrderStatus::Completed] {
        let order = order_in(&sim, status);
        let response = deliver(&api, &order.id, &format!("s-{status:?}"), confirmed.clone()).await;
        expect_problem(response, StatusCode::CONFLICT, &format!("{status:?}")).await;
    }
    let revision = order_in(&sim, OrderStatus::RevisionRequested);
    let plain = deliver(&api, &revision.id, "r-1", confirmed.clone()).await;
    expect_problem(plain, StatusCode::CONFLICT, "a revision needs `modified`").await;
    let mut modified = confirmed;
    modified["modified"] = json!(true);
    let response = deliver(&api, &revision.id, "r-2", modified).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "modified work answers a revision"
    );
    let order: Order = response.json().await.expect("the order");
    assert_eq!(order.status, OrderStatus::Delivered);
}

#[tokio::test]
async fn a_retried_delivery_is_applied_once() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let order = order_in(&sim, OrderStatus::InProgress);
    let data = bytes(1_000);
    let id = api.upload(&data, "notes.txt").await;
    let delivery = json!({"description": "Notes", "files": [file(&id, "notes.txt", &data)]});
    let first: Order = deliver(&api, &order.id, "once", delivery.clone())
        .await
        .json()
        .await
        .expect("the order");
    let again = deliver(&api, &order.id, "once", delivery).await;
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "a retry gets the first outcome"
    );
    let second: Order = again.json().await.expect("the order");
    assert_eq!(second.seq, first.seq, "the retry changed nothing");
    assert_eq!(
        sim.handle().deliveries(&order.id).len(),
        1,
        "delivered once"
    );
    let stored = sim.handle().order(&order.id).expect("the order");
    assert_eq!(stored.seq, first.seq, "no second change in the feed");
}
