//! Bearer-token authentication of `/v1/` and `/_sim/` requests.

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::SimHandle;
use crate::problem::ApiProblem;

/// Lets the request through only with `Authorization: Bearer <the simulator's token>`;
/// otherwise 401 with `WWW-Authenticate: Bearer`. The token is never logged.
pub(crate) async fn require_bearer(
    State(sim): State<SimHandle>,
    request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(AUTHORIZATION)
        .map(|value| bearer_token(value.as_bytes()));
    let (challenge, detail) = match presented {
        Some(Some(token)) if same(token, sim.token().as_bytes()) => return next.run(request).await,
        Some(Some(_)) => (
            r#"Bearer error="invalid_token""#,
            "the bearer token is not valid for this marketplace",
        ),
        Some(None) => (
            "Bearer",
            "the Authorization header must use the Bearer scheme",
        ),
        None => ("Bearer", "missing Authorization: Bearer <token>"),
    };
    ApiProblem::new(StatusCode::UNAUTHORIZED, detail)
        .with_header(WWW_AUTHENTICATE, HeaderValue::from_static(challenge))
        .into_response()
}

/// The credentials of a `Bearer` header (scheme case-insensitive), or None for any
/// other scheme.
fn bearer_token(header: &[u8]) -> Option<&[u8]> {
    let (scheme, rest) = header.split_at_checked(7)?;
    if !scheme.eq_ignore_ascii_case(b"bearer ") {
        return None;
    }
    Some(rest.trim_ascii())
}

/// Compares without stopping at the first difference, so timing says nothing about
/// how much of a guessed token was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bearer_scheme_yields_a_token() {
        let cases: [(&str, Option<&str>); 6] = [
            ("Bearer abc", Some("abc")),
            ("bearer abc", Some("abc")),
            ("BEARER  abc ", Some("abc")),
            ("Basic YWJjOmRlZg==", None),
            ("Bearer", None),
            ("Token abc", None),
        ];
        for (header, want) in cases {
            assert_eq!(
                bearer_token(header.as_bytes()),
                want.map(str::as_bytes),
                "token in {header:?}"
            );
        }
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(same(b"demo-token", b"demo-token"));
        assert!(!same(b"demo-token", b"demo-tokeN"), "case matters");
        assert!(!same(b"demo", b"demo-token"), "a prefix is not the token");
        assert!(!same(b"", b"demo-token"), "an empty token is not the token");
    }
}
