//! The `/v1` routes over HTTP: the router serves exactly `V1_ROUTES`, one order by id,
//! 404 and 405 as problems, and the profile the simulator was started with.

mod common;

use common::{Api, demo_sim, expect_problem, sim, start};
use reqwest::StatusCode;
use sellerdesk_api::{Order, OrderStatus, Profile};
use sellerdesk_sim::{SimConfig, V1_ROUTES, profiles};

#[tokio::test]
async fn the_router_serves_exactly_the_listed_v1_routes() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    for (_, path) in V1_ROUTES.iter().filter(|(m, _)| *m == "get") {
        let concrete = path.replace("{id}", "D-1001");
        let response = Api::send(api.get(&concrete)).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "listed route {path} must be served"
        );
    }
    for unlisted in [
        "/v1",
        "/v1/",
        "/v1/orders/D-1001/requests",
        "/v1/uploads/u1/parts",
        "/v1/profiles",
    ] {
        let response = Api::send(api.get(unlisted)).await;
        expect_problem(
            response,
            StatusCode::NOT_FOUND,
            &format!("unlisted {unlisted}"),
        )
        .await;
    }
    let listing = Api::send(api.get("/v1/uploads")).await;
    expect_problem(
        listing,
        StatusCode::METHOD_NOT_ALLOWED,
        "uploads cannot be listed",
    )
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn one_order_by_id_or_a_404_problem() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let order: Order = api.json("/v1/orders/D-1001").await;
    assert_eq!(order.title, "Minimalist logo for a coffee roastery");
    assert_eq!(
        order.buyer.display_name, "Zoë Müller",
        "non-ASCII names survive the wire"
    );
    assert_eq!(
        order.gross_minor(),
        14_500,
        "base 120.00 + source files 25.00"
    );
    assert_eq!(
        order,
        sim.handle().order("D-1001").expect("stored"),
        "the wire shows the stored order"
    );
    let late: Order = api.json("/v1/orders/D-1002").await;
    assert!(late.due_at < start(), "D-1002 is already late at start");
    assert_eq!(late.status, OrderStatus::InProgress);

    for id in ["D-9999", "d-1001", "D-1001%20"] {
        let response = Api::send(api.get(&format!("/v1/orders/{id}"))).await;
        let problem = expect_problem(response, StatusCode::NOT_FOUND, &format!("order {id}")).await;
        assert_eq!(
            problem.title, "Not Found",
            "the title is the status phrase (type about:blank)"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unsupported_method_is_a_405_problem() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    for (request, what) in [
        (api.post("/v1/orders"), "POST /v1/orders"),
        (api.delete("/v1/orders/D-1001"), "DELETE /v1/orders/D-1001"),
        (api.post("/v1/profile"), "POST /v1/profile"),
    ] {
        expect_problem(
            Api::send(request).await,
            StatusCode::METHOD_NOT_ALLOWED,
            what,
        )
        .await;
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn the_profile_route_serves_the_configured_marketplace() {
    for expected in profiles() {
        let config = SimConfig {
            profile_id: expected.id.clone(),
            token: format!("token-{}", expected.id),
            start: start(),
            demo_data: false,
            demo_ids: None,
            upload_dir: None,
            buyer: false,
        };
        let sim = sim(config).await;
        let profile: Profile = Api::new(&sim).json("/v1/profile").await;
        assert_eq!(
            profile, expected,
            "GET /v1/profile on a {} simulator",
            expected.id
        );
        sim.shutdown().await;
    }
    let unknown = SimConfig {
        profile_id: "etsy".into(),
        ..SimConfig::demo(start())
    };
    let err = sellerdesk_sim::spawn(unknown, ([127, 0, 0, 1], 0).into())
        .await
        .expect_err("an unknown profile must not start");
    assert!(
        err.to_string().contains("etsy"),
        "the error names the profile: {err}"
    );
}
