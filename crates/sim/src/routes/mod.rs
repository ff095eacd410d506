//! The HTTP surface: Marketplace API v1 under `/v1/`, simulator controls under
//! `/_sim/`, and the layers every response goes through (the simulator's `Date`,
//! problem+json for unknown routes and methods).

mod admin;
mod auth;
mod tus;
mod v1;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::http::header::DATE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, head, post, put};

use crate::SimHandle;
use crate::clock::http_date;
use crate::faults;
use crate::problem::ApiProblem;

/// `GET` the marketplace profile.
pub const PROFILE_PATH: &str = "/v1/profile";
/// `GET` the order change feed, paged by cursor.
pub const ORDERS_PATH: &str = "/v1/orders";
/// `GET` one order.
pub const ORDER_PATH: &str = "/v1/orders/{id}";
/// `POST` a seller action on one order, with an `Idempotency-Key` header.
pub const ORDER_ACTIONS_PATH: &str = "/v1/orders/{id}/actions";
/// tus 1.0: `POST` creates an upload (`OPTIONS` lists what the server supports).
pub const UPLOADS_PATH: &str = "/v1/uploads";
/// tus 1.0: `HEAD` the offset, `PATCH` bytes at the offset, `DELETE` the upload.
pub const UPLOAD_PATH: &str = "/v1/uploads/{id}";
/// Every `/v1` route the router serves, as (method, path) in axum's and OpenAPI's
/// path syntax. `openapi/marketplace-v1.json` must describe exactly these (tested).
pub const V1_ROUTES: &[(&str, &str)] = &[
    ("get", PROFILE_PATH),
    ("get", ORDERS_PATH),
    ("get", ORDER_PATH),
    ("post", ORDER_ACTIONS_PATH),
    ("options", UPLOADS_PATH),
    ("post", UPLOADS_PATH),
    ("head", UPLOAD_PATH),
    ("patch", UPLOAD_PATH),
    ("delete", UPLOAD_PATH),
];

/// Whether the request carries upload bytes: a tus PATCH, or a creation POST with a
/// body (creation-with-upload). Upload faults wait for one of these.
pub(crate) fn is_upload_body(request: &Request) -> bool {
    let path = request.uri().path();
    match *request.method() {
        Method::PATCH => path.starts_with(UPLOADS_PATH),
        Method::POST => {
            path == UPLOADS_PATH
                && request
                    .headers()
                    .get(axum::http::header::CONTENT_TYPE)
                    .is_some_and(|v| v.as_bytes() == tus::OFFSET_OCTET_STREAM.as_bytes())
        }
        _ => false,
    }
}

pub(crate) fn router(sim: SimHandle) -> Router {
    // Upload bodies go up to the profile's file limit (5 GB): streamed to disk, never
    // collected, so axum's default 2 MB limit is off here.
    let uploads = Router::new()
        .route(UPLOADS_PATH, post(tus::create).options(tus::options))
        .route(
            UPLOAD_PATH,
            head(tus::head).patch(tus::patch).delete(tus::delete),
        )
        .route_layer(axum::middleware::from_fn(tus::require_tus))
        .layer(DefaultBodyLimit::disable());
    let api = Router::new()
        .merge(uploads)
        .route(PROFILE_PATH, get(v1::profile))
        .route(ORDERS_PATH, get(v1::list_orders))
        .route(ORDER_PATH, get(v1::get_order))
        .route(ORDER_ACTIONS_PATH, post(v1::order_action))
        // Layers run outside-in from the last added: count, authenticate, fault.
        .route_layer(from_fn_with_state(sim.clone(), faults::apply))
        .route_layer(from_fn_with_state(sim.clone(), auth::require_bearer))
        .route_layer(from_fn_with_state(sim.clone(), count_request));
    let admin = Router::new()
        .route("/_sim/clock", get(admin::clock))
        .route("/_sim/clock/advance", post(admin::advance_clock))
        .route("/_sim/buyer", put(admin::buyer_plays))
        .route("/_sim/buyer/{id}", post(admin::buyer_step))
        .route(
            "/_sim/faults",
            post(admin::set_fault).delete(admin::clear_faults),
        )
        .route_layer(from_fn_with_state(sim.clone(), auth::require_bearer));
    Router::new()
        .merge(api)
        .merge(admin)
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(from_fn_with_state(sim.clone(), stamp_date))
        .with_state(sim)
}

async fn count_request(State(sim): State<SimHandle>, request: Request, next: Next) -> Response {
    sim.count_request();
    next.run(request).await
}

/// Outermost layer: every response, errors and faults included, carries the
/// simulator's clock in `Date` (hyper only adds its own when none is set).
async fn stamp_date(State(sim): State<SimHandle>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    if let Ok(date) = HeaderValue::from_str(&http_date(sim.now())) {
        response.headers_mut().insert(DATE, date);
    }
    tracing::debug!(%method, %path, status = response.status().as_u16(), "request");
    response
}

async fn not_found(request: Request) -> ApiProblem {
    ApiProblem::not_found(format!("no route {}", request.uri().path()))
}

async fn method_not_allowed(request: Request) -> Response {
    ApiProblem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not allowed on {}",
            request.method(),
            request.uri().path()
        ),
    )
    .into_response()
}
