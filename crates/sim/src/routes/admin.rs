//! Simulator controls over HTTP (`/_sim/`), for tests in other processes and manual
//! play: read and advance the clock, set and clear faults. Not part of the API.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::problem::ApiProblem;
use crate::{FaultPlan, SimHandle};

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

/// Parses a JSON body whatever its content type, answering problem+json on errors.
fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiProblem> {
    serde_json::from_slice(body).map_err(|e| ApiProblem::bad_request(format!("bad JSON body: {e}")))
}
