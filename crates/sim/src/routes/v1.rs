//! Handlers of Marketplace API v1: the profile, the order change feed, one order.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use sellerdesk_api::{Order, OrderPage, Profile};
use serde::Deserialize;

use crate::SimHandle;
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
