//! The simulator's clock on the wire: every response's `Date` is the simulator's time,
//! errors and admin routes included, and moving the clock moves `Date`.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{Api, assert_date_is_sim_clock, date_of, demo_sim, start};
use reqwest::StatusCode;
use sellerdesk_sim::SimConfig;
use serde_json::{Value, json};

#[tokio::test]
async fn every_response_carries_the_simulator_clock_in_date() {
    // Ten days behind the real clock, so a Date made by hyper would be caught.
    let sim = common::sim(SimConfig::demo(Utc::now() - Duration::days(10))).await;
    let api = Api::new(&sim);
    let cases: Vec<(&str, reqwest::RequestBuilder, StatusCode)> = vec![
        ("profile", api.get("/v1/profile"), StatusCode::OK),
        ("orders", api.get("/v1/orders"), StatusCode::OK),
        ("one order", api.get("/v1/orders/D-1001"), StatusCode::OK),
        (
            "unknown order",
            api.get("/v1/orders/nope"),
            StatusCode::NOT_FOUND,
        ),
        (
            "bad cursor",
            api.get("/v1/orders?since=x"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "no token",
            api.anonymous("/v1/orders"),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "unknown route",
            api.get("/v2/orders"),
            StatusCode::NOT_FOUND,
        ),
        (
            "wrong method",
            api.post("/v1/orders"),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        ("admin clock", api.get("/_sim/clock"), StatusCode::OK),
        (
            "admin faults cleared",
            api.delete("/_sim/faults"),
            StatusCode::NO_CONTENT,
        ),
    ];
    for (what, request, status) in cases {
        let response = Api::send(request).await;
        assert_eq!(response.status(), status, "{what}: status");
        assert_date_is_sim_clock(&response, sim.handle().now(), what);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn advancing_three_days_moves_date_three_days() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let before = date_of(&Api::send(api.get("/v1/profile")).await);
    sim.handle().advance_clock(Duration::days(3));
    let response = Api::send(api.get("/v1/profile")).await;
    assert_date_is_sim_clock(&response, sim.handle().now(), "after advancing");
    let moved = date_of(&response) - before;
    assert!(
        (moved - Duration::days(3)).num_seconds().abs() <= 2,
        "Date must move by 3 days, moved {moved}"
    );
    sim.shutdown().await;
}

async fn clock_now(response: reqwest::Response) -> DateTime<Utc> {
    assert_eq!(response.status(), StatusCode::OK, "clock routes answer 200");
    let body: Value = response.json().await.expect("a JSON clock body");
    let now = body["now"].as_str().expect("{\"now\": rfc3339}");
    DateTime::parse_from_rfc3339(now)
        .expect("now is RFC 3339")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn the_admin_routes_read_and_advance_the_clock() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let now = clock_now(Api::send(api.get("/_sim/clock")).await).await;
    assert!(
        (now - start()).num_seconds().abs() <= 5,
        "the clock starts at config.start: {now}"
    );

    let advance = api
        .post("/_sim/clock/advance")
        .json(&json!({"seconds": 3 * 86_400}));
    let advanced = clock_now(Api::send(advance).await).await;
    assert!(
        (advanced - now - Duration::days(3)).num_seconds().abs() <= 2,
        "POST /_sim/clock/advance moves the clock: {now} -> {advanced}"
    );
    assert!(
        (sim.handle().now() - advanced).num_seconds().abs() <= 2,
        "the handle sees the same clock"
    );
    let back = api
        .post("/_sim/clock/advance")
        .json(&json!({"seconds": -86_400}));
    let back = clock_now(Api::send(back).await).await;
    assert!(
        (advanced - back - Duration::days(1)).num_seconds().abs() <= 2,
        "negative seconds go back"
    );

    for body in [
        json!({"secs": 5}),
        json!({"seconds": "5"}),
        json!({"seconds": i64::MAX}),
    ] {
        let response = Api::send(api.post("/_sim/clock/advance").json(&body)).await;
        common::expect_problem(
            response,
            StatusCode::BAD_REQUEST,
            &format!("advance {body}"),
        )
        .await;
    }
    sim.shutdown().await;
}
