//! Bearer authentication over HTTP: every `/v1/` and `/_sim/` route refuses a missing,
//! wrong or non-Bearer credential with 401 problem+json and `WWW-Authenticate: Bearer`.

mod common;

use common::{Api, demo_sim, expect_problem};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use sellerdesk_sim::V1_ROUTES;

/// Concrete paths for every `GET /v1` route, plus the admin clock. (The POST route's
/// token check is in `actions.rs`.)
fn guarded_paths() -> Vec<String> {
    V1_ROUTES
        .iter()
        .filter(|(method, _)| *method == "get")
        .map(|(_, path)| path.replace("{id}", "D-1001"))
        .chain(["/_sim/clock".to_string()])
        .collect()
}

#[tokio::test]
async fn requests_without_the_right_bearer_token_are_401() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    // (Authorization header, or None to send none)
    let credentials: [Option<&str>; 5] = [
        None,
        Some("Bearer wrong-token"),
        Some("Bearer "),
        Some("Basic ZGVtbzpkZW1vLXRva2Vu"),
        Some("demo-token"),
    ];
    for path in guarded_paths() {
        for credential in credentials {
            let mut request = api.anonymous(&path);
            if let Some(value) = credential {
                request = request.header(AUTHORIZATION, value);
            }
            let response = Api::send(request).await;
            let what = format!("GET {path} with Authorization {credential:?}");
            let challenge = response
                .headers()
                .get(WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            expect_problem(response, StatusCode::UNAUTHORIZED, &what).await;
            assert!(
                challenge
                    .as_deref()
                    .is_some_and(|c| c.starts_with("Bearer")),
                "{what}: a 401 must challenge with WWW-Authenticate: Bearer, got {challenge:?}"
            );
        }
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn the_right_token_opens_every_route_whatever_the_scheme_case() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    for path in guarded_paths() {
        let response = Api::send(api.get(&path)).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "GET {path} with the token"
        );
        let lower = Api::send(
            api.anonymous(&path)
                .header(AUTHORIZATION, format!("bearer {}", sim.token())),
        )
        .await;
        assert_eq!(
            lower.status(),
            StatusCode::OK,
            "GET {path}: the scheme is case-insensitive"
        );
    }
    sim.shutdown().await;
}
