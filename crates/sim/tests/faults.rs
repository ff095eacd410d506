//! Injected faults over HTTP: each kind behaves as documented, counted faults run out,
//! faults touch only `/v1/`, and the admin routes set and clear them.

mod common;

use std::time::{Duration, Instant};

use common::{Api, assert_date_is_sim_clock, demo_sim, expect_problem};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use sellerdesk_api::{OrderPage, Profile};
use sellerdesk_sim::{Fault, FaultPlan};
use serde_json::json;

#[tokio::test]
async fn server_error_is_a_500_problem() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    sim.handle().set_fault(FaultPlan::once(Fault::ServerError));
    let response = Api::send(api.get("/v1/orders")).await;
    assert_date_is_sim_clock(&response, sim.handle().now(), "a faulted response");
    expect_problem(response, StatusCode::INTERNAL_SERVER_ERROR, "ServerError").await;
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limited_is_a_429_problem_with_retry_after() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    sim.handle().set_fault(FaultPlan::once(Fault::RateLimited {
        retry_after_secs: 7,
    }));
    let response = Api::send(api.get("/v1/orders")).await;
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    expect_problem(response, StatusCode::TOO_MANY_REQUESTS, "RateLimited").await;
    assert_eq!(
        retry_after.as_deref(),
        Some("7"),
        "Retry-After carries the planned seconds"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn garbage_is_a_200_labelled_json_that_does_not_parse() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    sim.handle().set_fault(FaultPlan::once(Fault::Garbage));
    let response = Api::send(api.get("/v1/orders")).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "garbage pretends to succeed"
    );
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    assert_eq!(
        content_type.as_deref(),
        Some("application/json"),
        "garbage claims to be JSON"
    );
    let body = response
        .bytes()
        .await
        .expect("the garbage body arrives whole");
    assert!(!body.is_empty(), "garbage is not an empty body");
    assert!(
        serde_json::from_slice::<serde_json::Value>(&body).is_err(),
        "the body must not be JSON"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn drop_connection_fails_while_reading_the_body() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    sim.handle()
        .set_fault(FaultPlan::once(Fault::DropConnection));
    let response = api
        .get("/v1/orders")
        .send()
        .await
        .expect("the status and headers arrive before the drop");
    assert_eq!(response.status(), StatusCode::OK, "the real status is sent");
    assert_date_is_sim_clock(&response, sim.handle().now(), "a dropped response");
    let body = response.bytes().await;
    assert!(
        body.is_err(),
        "reading the body must fail with a connection error, got {body:?}"
    );

    let page: OrderPage = api.json("/v1/orders").await;
    assert_eq!(
        page.orders.len(),
        30,
        "the next request is served normally on a new connection"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn latency_delays_the_real_answer() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    sim.handle()
        .set_fault(FaultPlan::once(Fault::Latency { millis: 400 }));
    let started = Instant::now();
    let profile: Profile = api.json("/v1/profile").await;
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "the answer must come 400 ms late"
    );
    assert_eq!(
        profile.id, "fiverr",
        "a late answer is still the real answer"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_counted_fault_hits_exactly_that_many_v1_requests() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    sim.handle().set_fault(FaultPlan {
        fault: Fault::ServerError,
        count: Some(2),
    });
    let admin = Api::send(api.get("/_sim/clock")).await;
    assert_eq!(
        admin.status(),
        StatusCode::OK,
        "faults never touch /_sim/ routes"
    );
    let statuses = [
        Api::send(api.get("/v1/profile")).await.status(),
        Api::send(api.get("/v1/orders")).await.status(),
        Api::send(api.get("/v1/orders")).await.status(),
    ];
    assert_eq!(
        statuses,
        [
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::OK
        ],
        "count 2 fails the next two /v1/ requests, then stops"
    );
    assert_eq!(
        sim.handle().request_count(),
        3,
        "only /v1/ requests are counted"
    );

    sim.handle()
        .set_fault(FaultPlan::always(Fault::ServerError));
    for _ in 0..3 {
        let status = Api::send(api.get("/v1/orders")).await.status();
        assert_eq!(
            status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "count None lasts until cleared"
        );
    }
    sim.handle().clear_faults();
    assert_eq!(
        Api::send(api.get("/v1/orders")).await.status(),
        StatusCode::OK,
        "cleared faults stop"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn unauthorized_requests_do_not_use_up_a_fault() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    sim.handle().set_fault(FaultPlan::once(Fault::Garbage));
    let anonymous = Api::send(api.anonymous("/v1/orders")).await;
    expect_problem(
        anonymous,
        StatusCode::UNAUTHORIZED,
        "no token while a fault is planned",
    )
    .await;
    let faulted = Api::send(api.get("/v1/orders"))
        .await
        .bytes()
        .await
        .expect("a body");
    assert!(
        serde_json::from_slice::<serde_json::Value>(&faulted).is_err(),
        "the fault waits for an authorized request"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_admin_routes_set_and_clear_faults() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let set = api
        .post("/_sim/faults")
        .json(&json!({"fault": {"kind": "rate_limited", "retry_after_secs": 3}, "count": null}));
    let response = Api::send(set).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "POST /_sim/faults accepts a plan"
    );
    let echoed: FaultPlan = response.json().await.expect("the plan is echoed back");
    assert_eq!(
        echoed,
        FaultPlan::always(Fault::RateLimited {
            retry_after_secs: 3
        })
    );
    for _ in 0..2 {
        let status = Api::send(api.get("/v1/orders")).await.status();
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "the plan applies until cleared"
        );
    }
    let cleared = Api::send(api.delete("/_sim/faults")).await;
    assert_eq!(
        cleared.status(),
        StatusCode::NO_CONTENT,
        "DELETE /_sim/faults clears"
    );
    assert_eq!(
        Api::send(api.get("/v1/orders")).await.status(),
        StatusCode::OK
    );

    for body in [
        json!({"fault": {"kind": "meteor"}}),
        json!({"count": 1}),
        json!("server_error"),
    ] {
        let response = Api::send(api.post("/_sim/faults").json(&body)).await;
        expect_problem(
            response,
            StatusCode::BAD_REQUEST,
            &format!("fault plan {body}"),
        )
        .await;
    }
    sim.shutdown().await;
}
