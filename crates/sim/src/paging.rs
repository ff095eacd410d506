//! Parsing and checking the `since` cursor and `limit` of `GET /v1/orders`.

use sellerdesk_api::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT};

/// A checked page request: orders with `seq > since`, at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageRequest {
    pub since: u64,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PageError {
    #[error("malformed cursor {0:?}: pass back a next_cursor from an earlier page, or omit since")]
    BadCursor(String),
    #[error("limit must be a whole number from 1 to {MAX_PAGE_LIMIT}, got {0:?}")]
    BadLimit(String),
}

impl PageRequest {
    /// `since` absent = from the start; `limit` absent = [`DEFAULT_PAGE_LIMIT`].
    pub(crate) fn parse(
        since: Option<&str>,
        limit: Option<&str>,
    ) -> Result<PageRequest, PageError> {
        let since = match since {
            None => 0,
            Some(raw) => digits(raw).ok_or_else(|| PageError::BadCursor(raw.to_string()))?,
        };
        let limit = match limit {
            None => DEFAULT_PAGE_LIMIT,
            Some(raw) => digits(raw)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| (1..=MAX_PAGE_LIMIT).contains(n))
                .ok_or_else(|| PageError::BadLimit(raw.to_string()))?,
        };
        Ok(PageRequest { since, limit })
    }
}

/// A plain decimal number: ASCII digits only (no sign, no spaces), fitting in u64.
fn digits(raw: &str) -> Option<u64> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_and_limits_are_checked() {
        let ok = |since, limit| Ok(PageRequest { since, limit });
        let bad_cursor = |s: &str| Err(PageError::BadCursor(s.to_string()));
        let bad_limit = |s: &str| Err(PageError::BadLimit(s.to_string()));
        let cases = [
            (None, None, ok(0, DEFAULT_PAGE_LIMIT)),
            (Some("0"), Some("1"), ok(0, 1)),
            (Some("30"), Some("7"), ok(30, 7)),
            (Some("007"), Some("500"), ok(7, 500)),
            (
                Some("18446744073709551615"),
                None,
                ok(u64::MAX, DEFAULT_PAGE_LIMIT),
            ),
            (Some(""), None, bad_cursor("")),
            (Some("abc"), None, bad_cursor("abc")),
            (Some("-1"), None, bad_cursor("-1")),
            (Some("+1"), None, bad_cursor("+1")),
            (Some(" 1"), None, bad_cursor(" 1")),
            (Some("1.5"), None, bad_cursor("1.5")),
            (
                Some("18446744073709551616"),
                None,
                bad_cursor("18446744073709551616"),
            ),
            (None, Some("0"), bad_limit("0")),
            (None, Some("501"), bad_limit("501")),
            (None, Some("-3"), bad_limit("-3")),
            (None, Some("ten"), bad_limit("ten")),
            (None, Some(""), bad_limit("")),
            (None, Some("99999999999"), bad_limit("99999999999")),
        ];
        for (since, limit, want) in cases {
            assert_eq!(
                PageRequest::parse(since, limit),
                want,
                "since={since:?} limit={limit:?}"
            );
        }
    }
}
