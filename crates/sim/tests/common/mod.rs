//! Helpers shared by the simulator's HTTP tests: a simulator on a random loopback port
//! with a fixed start, an authenticated client, and checks of problem+json answers.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use reqwest::header::{CONTENT_TYPE, DATE};
use reqwest::{Response, StatusCode};
use sellerdesk_api::{PROBLEM_JSON, Problem};
use sellerdesk_sim::{RunningSim, SimConfig};

pub mod tus;

/// The simulators' clocks start here (plus real time elapsed).
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0)
        .single()
        .expect("a valid start instant")
}

/// The demo simulator (fiverr, demo-token, 30 orders) starting at [`start`].
pub async fn demo_sim() -> RunningSim {
    sim(SimConfig::demo(start())).await
}

pub async fn sim(config: SimConfig) -> RunningSim {
    sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("the simulator must start on a free loopback port")
}

/// A client for one simulator: `get` sends its token, `anonymous` sends none.
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl Api {
    pub fn new(sim: &RunningSim) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: sim.base_url(),
            token: sim.token().to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(self.url(path)).bearer_auth(&self.token)
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.post(self.url(path)).bearer_auth(&self.token)
    }

    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.delete(self.url(path)).bearer_auth(&self.token)
    }

    pub fn anonymous(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(self.url(path))
    }

    /// Sends and returns the response, failing the test on transport errors.
    pub async fn send(request: reqwest::RequestBuilder) -> Response {
        request
            .send()
            .await
            .expect("the simulator must answer on loopback")
    }

    /// GET with the token and decode a 200 JSON body.
    pub async fn json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let response = Api::send(self.get(path)).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path} must succeed");
        response
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path} must return the documented JSON: {e}"))
    }
}

/// Asserts an error response is problem+json with the given status, and returns it.
pub async fn expect_problem(response: Response, status: StatusCode, what: &str) -> Problem {
    assert_eq!(response.status(), status, "{what}: status");
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        content_type, PROBLEM_JSON,
        "{what}: errors are problem+json"
    );
    let body = response.bytes().await.expect("a complete error body");
    let problem: Problem = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{what}: the body must be a Problem ({e}): {body:?}"));
    assert_eq!(
        problem.status,
        status.as_u16(),
        "{what}: the problem repeats the status"
    );
    assert!(
        problem.detail.as_deref().is_some_and(|d| !d.is_empty()),
        "{what}: the problem must say what went wrong"
    );
    problem
}

/// The response's `Date` header as an instant.
pub fn date_of(response: &Response) -> DateTime<Utc> {
    let raw = response
        .headers()
        .get(DATE)
        .expect("every response carries a Date header")
        .to_str()
        .expect("an ASCII Date header");
    DateTime::parse_from_rfc2822(raw)
        .unwrap_or_else(|e| panic!("Date {raw:?} must be an HTTP date: {e}"))
        .with_timezone(&Utc)
}

/// Asserts `Date` shows the simulator's clock (to the second it was formatted in).
pub fn assert_date_is_sim_clock(response: &Response, sim_now: DateTime<Utc>, what: &str) {
    let date = date_of(response);
    let gap = (date - sim_now).num_milliseconds().abs();
    assert!(
        gap <= 2_000,
        "{what}: Date {date} must be the simulator's clock {sim_now} (off by {gap} ms)"
    );
}
