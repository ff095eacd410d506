//! Injected failures: the simulator misbehaves on purpose so clients can be tested
//! against errors, rate limits, garbage, dropped connections and slowness.

use std::time::Duration as StdDuration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use serde::{Deserialize, Serialize};

use crate::SimHandle;
use crate::problem::ApiProblem;

/// A way for the next `/v1/` requests to fail. On the wire (`POST /_sim/faults`) a
/// fault is tagged by `kind`: `{"kind": "rate_limited", "retry_after_secs": 7}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// 500 with a problem+json body.
    ServerError,
    /// 200, `Content-Type: application/json`, a body that is not JSON.
    Garbage,
    /// The real response's status and headers, then part of its body, then the
    /// connection is cut: the client fails while reading the body.
    DropConnection,
    /// 429 with `Retry-After: <retry_after_secs>` and a problem+json body.
    RateLimited { retry_after_secs: u32 },
    /// The real response, `millis` late.
    Latency { millis: u64 },
    /// Upload bodies only (tus `PATCH`, or `POST` with a body): keeps the first `bytes`
    /// of the body, then cuts the connection without an answer, as a network drop
    /// mid-upload would. Other requests pass and do not use up the fault.
    CutUploadAfter { bytes: u64 },
}

impl Fault {
    /// Whether only an upload body can carry this fault.
    pub(crate) fn needs_upload_body(&self) -> bool {
        matches!(self, Fault::CutUploadAfter { .. })
    }
}

/// The byte count of a [`Fault::CutUploadAfter`] taken for this request, handed to the
/// upload handler in the request's extensions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CutUploadAfter(pub u64);

/// A fault and how many `/v1/` requests it applies to (`None` = until cleared).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultPlan {
    pub fault: Fault,
    #[serde(default)]
    pub count: Option<u32>,
}

impl FaultPlan {
    /// The fault for the next request only.
    pub fn once(fault: Fault) -> FaultPlan {
        FaultPlan {
            fault,
            count: Some(1),
        }
    }

    /// The fault for every request until cleared.
    pub fn always(fault: Fault) -> FaultPlan {
        FaultPlan { fault, count: None }
    }
}

/// What a garbage response carries: a proxy's error page, labelled as JSON.
pub(crate) const GARBAGE_BODY: &str =
    "<html><body><h1>502 Bad Gateway</h1>upstream hiccup</body></html>";

/// How long a dropped connection stays open after the partial body, so the client
/// surely receives the headers before the reset.
const DROP_PAUSE: StdDuration = StdDuration::from_millis(50);

/// Takes one use of the planned fault, clearing the plan when its count runs out.
pub(crate) fn take_fault(slot: &mut Option<FaultPlan>, upload_body: bool) -> Option<Fault> {
    let plan = slot.as_mut()?;
    if plan.fault.needs_upload_body() && !upload_body {
        return None;
    }
    let fault = plan.fault.clone();
    match &mut plan.count {
        None => {}
        Some(0) | Some(1) => *slot = None,
        Some(n) => *n -= 1,
    }
    Some(fault)
}

/// Middleware on the `/v1/` routes (inside authentication): applies the planned fault.
pub(crate) async fn apply(
    State(sim): State<SimHandle>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(fault) = sim.take_fault(crate::routes::is_upload_body(&request)) else {
        return next.run(request).await;
    };
    tracing::debug!(?fault, path = request.uri().path(), "injecting fault");
    match fault {
        Fault::ServerError => ApiProblem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "simulated server error (fault injected)",
        )
        .into_response(),
        Fault::Garbage => (
            StatusCode::OK,
            [(CONTENT_TYPE, "application/json")],
            GARBAGE_BODY,
        )
            .into_response(),
        Fault::RateLimited { retry_after_secs } => ApiProblem::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("simulated rate limit: retry after {retry_after_secs} s (fault injected)"),
        )
        .with_header(RETRY_AFTER, HeaderValue::from(retry_after_secs))
        .into_response(),
        Fault::Latency { millis } => {
            tokio::time::sleep(StdDuration::from_millis(millis)).await;
            next.run(request).await
        }
        Fault::DropConnection => cut_short(next.run(request).await).await,
        Fault::CutUploadAfter { bytes } => {
            request.extensions_mut().insert(CutUploadAfter(bytes));
            next.run(request).await
        }
    }
}

/// Keeps the status and headers, sends the first half of the body, then fails the
/// body stream so the server aborts the connection mid-body.
async fn cut_short(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let full = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = full.slice(..full.len() / 2);
    parts.headers.remove(CONTENT_LENGTH);
    let cut = stream::once(async {
        tokio::time::sleep(DROP_PAUSE).await;
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated connection drop (fault injected)",
        ))
    });
    let chunks = stream::iter([Ok::<Bytes, std::io::Error>(half)]).chain(cut);
    Response::from_parts(parts, Body::from_stream(chunks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counted_fault_applies_exactly_count_times() {
        // (count, requests faulted before the plan clears; None = never clears)
        let cases = [(Some(1), Some(1)), (Some(3), Some(3)), (None, None)];
        for (count, faulted) in cases {
            let mut slot = Some(FaultPlan {
                fault: Fault::Garbage,
                count,
            });
            let mut seen = 0;
            while take_fault(&mut slot, false).is_some() && seen < 10 {
                seen += 1;
            }
            match faulted {
                Some(n) => {
                    assert_eq!(seen, n, "count {count:?} must fault exactly {n} requests");
                    assert!(slot.is_none(), "a used-up plan must clear itself");
                }
                None => assert!(slot.is_some(), "an uncounted plan stays until cleared"),
            }
        }
    }

    #[test]
    fn faults_have_a_tagged_wire_form() {
        let cases = [
            (Fault::ServerError, r#"{"kind":"server_error"}"#),
            (Fault::Garbage, r#"{"kind":"garbage"}"#),
            (Fault::DropConnection, r#"{"kind":"drop_connection"}"#),
            (
                Fault::RateLimited {
                    retry_after_secs: 7,
                },
                r#"{"kind":"rate_limited","retry_after_secs":7}"#,
            ),
            (
                Fault::Latency { millis: 250 },
                r#"{"kind":"latency","millis":250}"#,
            ),
            (
                Fault::CutUploadAfter { bytes: 1024 },
                r#"{"kind":"cut_upload_after","bytes":1024}"#,
            ),
        ];
        for (fault, json) in cases {
            assert_eq!(
                serde_json::to_string(&fault).unwrap(),
                json,
                "wire form of {fault:?}"
            );
            assert_eq!(
                serde_json::from_str::<Fault>(json).unwrap(),
                fault,
                "{json} parses back"
            );
        }
        let plan: FaultPlan = serde_json::from_str(r#"{"fault":{"kind":"garbage"}}"#).unwrap();
        assert_eq!(
            plan,
            FaultPlan::always(Fault::Garbage),
            "a missing count means until cleared"
        );
    }

    #[test]
    fn garbage_is_not_json() {
        assert!(
            serde_json::from_str::<serde_json::Value>(GARBAGE_BODY).is_err(),
            "the garbage body must fail JSON parsing"
        );
    }
}

/// Faults at random, each with its own rate per thousand `/v1/` requests, drawn from a
/// seeded generator so a failing run can be replayed. A planned fault
/// ([`FaultPlan`]) takes precedence over the mix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultMix {
    /// (fault, rate per 1000 requests); the rates add up to at most 1000.
    pub rates: Vec<(Fault, u32)>,
    pub seed: u64,
}

impl FaultMix {
    /// The fault for the next request, if any, advancing `state` (xorshift64).
    pub(crate) fn draw(&self, state: &mut u64) -> Option<Fault> {
        let mut x = *state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *state = x;
        let mut roll = (x % 1000) as u32;
        for (fault, rate) in &self.rates {
            if roll < *rate {
                return Some(fault.clone());
            }
            roll -= rate;
        }
        None
    }
}

#[cfg(test)]
mod mix_tests {
    use super::*;

    #[test]
    fn a_mix_draws_each_fault_near_its_rate_and_replays_from_its_seed() {
        let mix = FaultMix {
            rates: vec![(Fault::ServerError, 100), (Fault::DropConnection, 50)],
            seed: 7,
        };
        let draws = |seed: u64| {
            let mut state = seed;
            (0..10_000)
                .map(|_| mix.draw(&mut state))
                .collect::<Vec<_>>()
        };
        let run = draws(mix.seed);
        let errors = run
            .iter()
            .filter(|f| **f == Some(Fault::ServerError))
            .count();
        let drops = run
            .iter()
            .filter(|f| **f == Some(Fault::DropConnection))
            .count();
        assert!(
            (800..1200).contains(&errors),
            "10 % of 10,000 draws: {errors}"
        );
        assert!((350..650).contains(&drops), "5 % of 10,000 draws: {drops}");
        assert_eq!(
            run,
            draws(mix.seed),
            "the same seed replays the same faults"
        );
    }
}
