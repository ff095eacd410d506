//! Error responses: RFC 9457 problem details with `application/problem+json`.

use axum::http::header::{CONTENT_TYPE, HeaderName};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sellerdesk_api::{PROBLEM_JSON, Problem};

/// An error response; `title` is the status's reason phrase (the `type` is
/// `about:blank`), `detail` says what went wrong with this request.
#[derive(Debug, Clone)]
pub(crate) struct ApiProblem {
    status: StatusCode,
    detail: String,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiProblem {
    pub(crate) fn new(status: StatusCode, detail: impl Into<String>) -> ApiProblem {
        ApiProblem {
            status,
            detail: detail.into(),
            headers: Vec::new(),
        }
    }

    pub(crate) fn bad_request(detail: impl Into<String>) -> ApiProblem {
        ApiProblem::new(StatusCode::BAD_REQUEST, detail)
    }

    pub(crate) fn not_found(detail: impl Into<String>) -> ApiProblem {
        ApiProblem::new(StatusCode::NOT_FOUND, detail)
    }

    pub(crate) fn with_header(mut self, name: HeaderName, value: HeaderValue) -> ApiProblem {
        self.headers.push((name, value));
        self
    }
}

impl IntoResponse for ApiProblem {
    fn into_response(self) -> Response {
        let title = self.status.canonical_reason().unwrap_or("Error");
        let problem = Problem::new(self.status.as_u16(), title, self.detail);
        let body = serde_json::to_vec(&problem).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (self.status, [(CONTENT_TYPE, PROBLEM_JSON)], body).into_response();
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}
