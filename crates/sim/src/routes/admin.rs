//! Simulator controls over HTTP (`/_sim/`), for tests in other processes and manual
//! play: read and advance the clock, set and clear faults, script the buyer. Not part of
//! the API.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::handle::ActionError;
use crate::problem::ApiProblem;
use crate::{BuyerStep, FaultPlan, SimHandle};

#[derive(Debug, Serialize)]
pub(crate) struct ClockView {
    now: String,
}

impl ClockView {
    fn at(now: DateTime<Utc>) -> Json<ClockView> {
        Json(ClockView {
            now: now.to_rfc3339_opts(SecondsFormat::Millis, true),
        })
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Advance {
    seconds: i64,
}

pub(crate) async fn clock(State(sim): State<SimHandle>) -> Json<ClockView> {
    ClockView::at(sim.now())
}

pub(crate) async fn advance_clock(
    State(sim): State<SimHandle>,
    body: Bytes,
) -> Result<Json<ClockView>, ApiProblem> {
    let Advance { seconds } = parse_json(&body)?;
    let by = Duration::try_seconds(seconds)
        .ok_or_else(|| ApiProblem::bad_request(format!("cannot move the clock by {seconds} s")))?;
    Ok(ClockView::at(sim.advance_clock(by)))
}

pub(crate) async fn set_fault(
    State(sim): State<SimHandle>,
    body: Bytes,
) -> Result<Json<FaultPlan>, ApiProblem> {
    let plan: FaultPlan = parse_json(&body)?;
    sim.set_fault(plan.clone());
    Ok(Json(plan))
}

pub(crate) async fn clear_faults(State(sim): State<SimHandle>) -> StatusCode {
    sim.clear_faults();
    StatusCode::NO_CONTENT
}

/// `POST /_sim/buyer/{id}` with a [`BuyerStep`] (`{"do": "accept_delivery"}`, …): the
/// order's buyer takes that step now. Answers the order, 404 or 409 with the reason.
pub(crate) async fn buyer_step(
    State(sim): State<SimHandle>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<sellerdesk_api::Order>, ApiProblem> {
    let step: BuyerStep = parse_json(&body)?;
    sim.buyer(&id, &step).map(Json).map_err(|e| match e {
        ActionError::NotFound(_) => ApiProblem::not_found(e.to_string()),
        _ => ApiProblem::new(StatusCode::CONFLICT, e.to_string()),
    })
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct BuyerPlay {
    plays: bool,
}

/// `PUT /_sim/buyer` with `{"plays": true|false}`: the seeded buyers act on their own, or not.
pub(crate) async fn buyer_plays(
    State(sim): State<SimHandle>,
    body: Bytes,
) -> Result<Json<BuyerPlay>, ApiProblem> {
    let BuyerPlay { plays } = parse_json(&body)?;
    sim.set_buyer_plays(plays);
    Ok(Json(BuyerPlay { plays }))
}

/// Parses a JSON body whatever its content type, answering problem+json on errors.
fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiProblem> {
    serde_json::from_slice(body).map_err(|e| ApiProblem::bad_request(format!("bad JSON body: {e}")))
}
