//! The HTTP surface: Marketplace API v1 under `/v1/`, test controls under `/_sim/`,
//! bearer auth, problem+json errors, the simulator clock in every `Date`, and the
//! injected faults.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Duration;
use sellerdesk_api::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, OrderPage, PROBLEM_JSON, Problem};
use serde::Deserialize;

use crate::clock::http_date;
use crate::state::{Fault, FaultPlan, Shared};

/// Every `/v1` route the simulator serves, as (method, OpenAPI path). The OpenAPI file
/// must describe exactly these (a test checks).
pub const V1_ROUTES: &[(&str, &str)] = &[
    ("get", "/v1/profile"),
    ("get", "/v1/orders"),
    ("get", "/v1/orders/{id}"),
];

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let v1 = Router::new()
        .route("/v1/profile", get(profile))
        .route("/v1/orders", get(list_orders))
        .route("/v1/orders/{id}", get(get_order))
        .layer(from_fn_with_state(shared.clone(), inject_faults));
    let admin = Router::new()
        .route("/_sim/clock", get(clock))
        .route("/_sim/clock/advance", post(advance_clock))
        .route("/_sim/faults", post(set_faults).delete(clear_faults));
    v1.merge(admin)
        .fallback(not_found)
        .layer(from_fn_with_state(shared.clone(), require_token))
        .layer(from_fn_with_state(shared.clone(), date_header))
        .with_state(shared)
}

pub(crate) fn problem(status: StatusCode, title: &str, detail: impl Into<String>) -> Response {
    let body = Problem::new(status.as_u16(), title, detail);
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

async fn date_header(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&http_date(shared.clock.now())) {
        response.headers_mut().insert(header::DATE, value);
    }
    response
}

async fn require_token(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let expected = format!("Bearer {}", shared.token);
    let given = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if given != Some(expected.as_str()) {
        let mut response = problem(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "a valid bearer token is required",
        );
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    next.run(request).await
}

async fn inject_faults(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    match shared.take_fault() {
        None => next.run(request).await,
        Some(Fault::ServerError) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "injected fault",
        ),
        Some(Fault::Garbage) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "<html>502 Bad Gateway</html>\u{0}\u{1}{\"orders\": [",
        )
            .into_response(),
        Some(Fault::DropConnection) => {
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from_static(b"{\"orders\": [{\"id\": \"D-10")),
                Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected reset")),
            ];
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(futures_util::stream::iter(chunks)))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        Some(Fault::RateLimited { retry_after_secs }) => {
            let mut response = problem(
                StatusCode::TOO_MANY_REQUESTS,
                "Too Many Requests",
                format!("retry after {retry_after_secs} s"),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        Some(Fault::Latency { millis }) => {
            tokio::time::sleep(std::time::Duration::from_millis(millis)).await;
            next.run(request).await
        }
    }
}

async fn not_found() -> Response {
    problem(StatusCode::NOT_FOUND, "Not Found", "no such route")
}

async fn profile(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.profile.clone()).into_response()
}

#[derive(Deserialize)]
struct ListParams {
    since: Option<String>,
    limit: Option<String>,
}

async fn list_orders(State(shared): State<Arc<Shared>>, Query(params): Query<ListParams>) -> Response {
    let since = match params.since.as_deref() {
        None | Some("") => 0,
        Some(s) => match s.parse::<u64>() {
            Ok(n) => n,
            Err(_) => {
                return problem(StatusCode::BAD_REQUEST, "Bad cursor", format!("since={s:?} is not a cursor this server issued"));
            }
        },
    };
    let limit = match params.limit.as_deref() {
        None => DEFAULT_PAGE_LIMIT,
        Some(s) => match s.parse::<u32>() {
            Ok(n) if (1..=MAX_PAGE_LIMIT).contains(&n) => n,
            _ => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "Bad limit",
                    format!("limit must be 1..={MAX_PAGE_LIMIT}, got {s:?}"),
                );
            }
        },
    };
    let state = shared.state();
    let mut changed: Vec<_> = state.orders.values().filter(|o| o.seq > since).collect();
    changed.sort_by_key(|o| o.seq);
    let has_more = changed.len() > limit as usize;
    let orders: Vec<_> = changed.into_iter().take(limit as usize).cloned().collect();
    let next_cursor = orders.last().map_or(since, |o| o.seq).to_string();
    Json(OrderPage {
        orders,
        next_cursor,
        has_more,
    })
    .into_response()
}

async fn get_order(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match shared.state().orders.get(&id) {
        Some(order) => Json(order.clone()).into_response(),
        None => problem(StatusCode::NOT_FOUND, "Not Found", format!("no order {id}")),
    }
}

async fn clock(State(shared): State<Arc<Shared>>) -> Response {
    Json(serde_json::json!({"now": shared.clock.now()})).into_response()
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

async fn advance_clock(State(shared): State<Arc<Shared>>, Json(body): Json<Advance>) -> Response {
    let now = shared.clock.advance(Duration::seconds(body.seconds));
    Json(serde_json::json!({"now": now})).into_response()
}

async fn set_faults(State(shared): State<Arc<Shared>>, Json(plan): Json<FaultPlan>) -> Response {
    *shared.faults.lock().unwrap_or_else(|p| p.into_inner()) = Some(plan);
    StatusCode::NO_CONTENT.into_response()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    *shared.faults.lock().unwrap_or_else(|p| p.into_inner()) = None;
    StatusCode::NO_CONTENT.into_response()
}
