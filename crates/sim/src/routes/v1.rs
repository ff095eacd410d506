//! Handlers of Marketplace API v1: the profile, the order change feed, one order.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use sellerdesk_api::{IDEMPOTENCY_KEY, Order, OrderAction, OrderPage, Profile};
use serde::Deserialize;

use crate::SimHandle;
use crate::handle::ActionError;
use crate::paging::PageRequest;
use crate::problem::ApiProblem;

pub(crate) async fn profile(State(sim): State<SimHandle>) -> Json<Profile> {
    Json(sim.profile())
}

/// Raw query of `GET /v1/orders`; checked by [`PageRequest::parse`].
#[derive(Debug, Deserialize)]
pub(crate) struct OrdersQuery {
    since: Option<String>,
    limit: Option<String>,
}

pub(crate) async fn list_orders(
    State(sim): State<SimHandle>,
    query: Result<Query<OrdersQuery>, QueryRejection>,
) -> Result<Json<OrderPage>, ApiProblem> {
    let Query(query) = query.map_err(|e| ApiProblem::bad_request(e.body_text()))?;
    let request = PageRequest::parse(query.since.as_deref(), query.limit.as_deref())
        .map_err(|e| ApiProblem::bad_request(e.to_string()))?;
    Ok(Json(sim.page(request.since, request.limit)))
}

pub(crate) async fn get_order(
    State(sim): State<SimHandle>,
    Path(id): Path<String>,
) -> Result<Json<Order>, ApiProblem> {
    sim.order(&id)
        .map(Json)
        .ok_or_else(|| ApiProblem::not_found(format!("no order {id:?}")))
}

/// `POST /v1/orders/{id}/actions`: applies a seller action once per `Idempotency-Key`.
pub(crate) async fn order_action(
    State(sim): State<SimHandle>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: Result<Json<OrderAction>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Order>, ApiProblem> {
    let key = headers
        .get(IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| {
            ApiProblem::bad_request("an Idempotency-Key header (1..=200 characters) is required")
        })?;
    let Json(action) = body.map_err(|e| ApiProblem::bad_request(e.body_text()))?;
    sim.perform(&id, &action, key)
        .map(Json)
        .map_err(|e| match e {
            ActionError::NotFound(_) => ApiProblem::not_found(e.to_string()),
            ActionError::Refused(_) => {
                ApiProblem::new(axum::http::StatusCode::CONFLICT, e.to_string())
            }
            ActionError::KeyReused(_) => {
                ApiProblem::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
        })
}
