//! Errors of the Marketplace API client and whether a retry can help.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("cannot reach the marketplace: {0}")]
    Unreachable(String),
    #[error("connection to the marketplace failed: {0}")]
    Network(String),
    #[error("the marketplace did not answer in time")]
    Timeout,
    #[error("the marketplace is rate limiting requests")]
    RateLimited { retry_after: Option<Duration> },
    #[error("server error {status}: {detail}")]
    Server { status: u16, detail: String },
    #[error("the marketplace refused the token ({status}): {detail}")]
    Unauthorized { status: u16, detail: String },
    #[error("request rejected ({status}): {detail}")]
    Rejected { status: u16, detail: String },
    #[error("malformed response from the marketplace: {0}")]
    Malformed(String),
    #[error(
        "the marketplace's answer to {path} is too large ({read} bytes or more; at most {limit} accepted)"
    )]
    TooLarge {
        path: String,
        limit: usize,
        read: u64,
    },
    #[error("invalid marketplace address {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
}

impl ApiError {
    /// Whether the same request may succeed later without the user changing anything.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Unreachable(_)
            | ApiError::Network(_)
            | ApiError::Timeout
            | ApiError::RateLimited { .. }
            | ApiError::Server { .. }
            | ApiError::Malformed(_) => true,
            ApiError::Unauthorized { .. }
            | ApiError::Rejected { .. }
            | ApiError::TooLarge { .. }
            | ApiError::InvalidUrl { .. } => false,
        }
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// The marketplace refused the token (expired or revoked): the seller must sign in
    /// again; nothing the app queued is wrong.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. })
    }

    /// The marketplace could not be reached at all (as opposed to answering badly).
    pub fn is_offline(&self) -> bool {
        matches!(self, ApiError::Unreachable(_))
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> ApiError {
        if e.is_timeout() {
            ApiError::Timeout
        } else if e.is_connect() {
            ApiError::Unreachable(source_chain(&e))
        } else if e.is_decode() {
            ApiError::Malformed(source_chain(&e))
        } else {
            ApiError::Network(source_chain(&e))
        }
    }
}

/// reqwest's top-level message is vague ("error sending request"); the cause says why.
fn source_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        out.push_str(": ");
        out.push_str(&inner.to_string());
        cur = inner.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_table() {
        let cases = [
            (ApiError::Unreachable("refused".into()), true),
            (ApiError::Network("reset".into()), true),
            (ApiError::Timeout, true),
            (ApiError::RateLimited { retry_after: None }, true),
            (
                ApiError::Server {
                    status: 503,
                    detail: String::new(),
                },
                true,
            ),
            (ApiError::Malformed("x".into()), true),
            (
                ApiError::Unauthorized {
                    status: 401,
                    detail: String::new(),
                },
                false,
            ),
            (
                ApiError::Rejected {
                    status: 400,
                    detail: String::new(),
                },
                false,
            ),
        ];
        for (err, retryable) in cases {
            assert_eq!(err.is_retryable(), retryable, "retryable({err:?})");
        }
    }
}
