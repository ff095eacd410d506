//! The HTTP client: bearer auth, problem+json errors, `Retry-After`, and the server's
//! `Date` so the app can correct the device clock.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::{Response, StatusCode, header};
use sellerdesk_api::{IDEMPOTENCY_KEY, Order, OrderAction, OrderPage, Problem, Profile};
use serde::de::DeserializeOwned;

use super::ApiError;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The whole request, body included, must be done within this deadline...
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// ...and the server must not go silent for longer than this while answering.
const READ_TIMEOUT: Duration = Duration::from_secs(20);
/// Largest body accepted for a page of orders (a 500-order page of demo orders is
/// about 1 MiB).
pub const MAX_PAGE_BYTES: usize = 64 << 20;
/// Largest body accepted for the profile or one order (an action's answer).
pub const MAX_SMALL_BYTES: usize = 8 << 20;
/// Largest error body read (only its start is shown anyway).
const MAX_ERROR_BYTES: usize = 64 << 10;
/// Longest `Retry-After` believed; a longer one waits this long.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

/// A decoded response body with the server's clock at the time it answered.
#[derive(Debug, Clone)]
pub struct Fetched<T> {
    pub value: T,
    pub server_date: Option<DateTime<Utc>>,
}

#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base_url: String,
    token: String,
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token is a secret: never print it.
        f.debug_struct("ApiClient")
            .field("base_url", &self.base_url)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl ApiClient {
    /// `base_url` must be https, or http on a loopback address (the simulator).
    pub fn new(base_url: &str, token: &str) -> Result<ApiClient, ApiError> {
        let base_url = base_url.trim_end_matches('/').to_string();
        check_url(&base_url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .read_timeout(READ_TIMEOUT)
            .user_agent(concat!("sellerdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::InvalidUrl {
                url: base_url.clone(),
                reason: e.to_string(),
            })?;
        Ok(ApiClient {
            http,
            base_url,
            token: token.to_string(),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The token, for the upload client of the same account (never logged or shown).
    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    pub async fn profile(&self) -> Result<Fetched<Profile>, ApiError> {
        self.get_json("/v1/profile", &[], MAX_SMALL_BYTES).await
    }

    /// One page of orders changed after `since` (None = from the beginning).
    pub async fn orders_page(
        &self,
        since: Option<&str>,
        limit: u32,
    ) -> Result<Fetched<OrderPage>, ApiError> {
        let limit = limit.to_string();
        let mut query = vec![("limit", limit.as_str())];
        if let Some(cursor) = since {
            query.push(("since", cursor));
        }
        self.get_json("/v1/orders", &query, MAX_PAGE_BYTES).await
    }

    /// Pushes one seller action. The same `idempotency_key` may be sent any number of
    /// times: the marketplace applies it once and answers each retry the same way.
    pub async fn post_action(
        &self,
        order_id: &str,
        action: &OrderAction,
        idempotency_key: &str,
    ) -> Result<Fetched<Order>, ApiError> {
        let path = format!("/v1/orders/{}/actions", url_segment(order_id));
        let response = self
            .http
            .post(format!("{}{}", self.base_url, path))
            .bearer_auth(&self.token)
            .header(IDEMPOTENCY_KEY, idempotency_key)
            .json(action)
            .send()
            .await
            .map_err(ApiError::from_reqwest)?;
        decode(&path, response, MAX_SMALL_BYTES).await
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        max_bytes: usize,
    ) -> Result<Fetched<T>, ApiError> {
        let response = self
            .http
            .get(format!("{}{}", self.base_url, path))
            .bearer_auth(&self.token)
            .query(query)
            .send()
            .await
            .map_err(ApiError::from_reqwest)?;
        decode(path, response, max_bytes).await
    }
}

/// Checks the status and decodes a JSON body, keeping the server's `Date`.
async fn decode<T: DeserializeOwned>(
    path: &str,
    response: Response,
    max_bytes: usize,
) -> Result<Fetched<T>, ApiError> {
    let server_date = server_date(&response);
    let response = check_status(response).await?;
    let bytes = read_capped(response, max_bytes)
        .await?
        .map_err(|read| ApiError::TooLarge {
            path: path.to_string(),
            limit: max_bytes,
            read,
        })?;
    let value = decode_body(path, &bytes)?;
    Ok(Fetched { value, server_date })
}

/// Reads a body up to `max` bytes; `Ok(Err(n))` when it is longer (`n` bytes read or
/// announced), without reading the rest.
async fn read_capped(mut response: Response, max: usize) -> Result<Result<Vec<u8>, u64>, ApiError> {
    if let Some(len) = response.content_length()
        && len > max as u64
    {
        return Ok(Err(len));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ApiError::from_reqwest)? {
        if body.len() + chunk.len() > max {
            return Ok(Err((body.len() + chunk.len()) as u64));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Ok(body))
}

/// Decodes a response body; anything that is not the expected JSON is `Malformed`, with
/// the route and the start of the body in the message. Never panics, whatever the bytes.
pub fn decode_body<T: DeserializeOwned>(path: &str, bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::Malformed(format!("{path}: {e} (body starts {:?})", preview(bytes))))
}

/// An id as one URL path segment (percent-encoding anything but unreserved characters).
fn url_segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn check_url(url: &str) -> Result<(), ApiError> {
    let invalid = |reason: &str| ApiError::InvalidUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => match parsed.host() {
            Some(url::Host::Ipv4(ip)) if ip.is_loopback() => Ok(()),
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => Ok(()),
            Some(url::Host::Domain("localhost")) => Ok(()),
            _ => Err(invalid(
                "plain http is only allowed to this computer (loopback); use https",
            )),
        },
        _ => Err(invalid("the address must start with https://")),
    }
}

fn server_date(response: &Response) -> Option<DateTime<Utc>> {
    let value = response.headers().get(header::DATE)?.to_str().ok()?;
    DateTime::parse_from_rfc2822(value)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

async fn check_status(response: Response) -> Result<Response, ApiError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|secs| Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    let body = match read_capped(response, MAX_ERROR_BYTES).await {
        Ok(Ok(body)) => body,
        Ok(Err(_)) | Err(_) => Vec::new(),
    };
    let detail = match serde_json::from_slice::<Problem>(&body) {
        Ok(problem) => match problem.detail {
            Some(detail) => format!("{}: {detail}", problem.title),
            None => problem.title,
        },
        Err(_) => preview(&body),
    };
    let code = status.as_u16();
    Err(match status {
        StatusCode::TOO_MANY_REQUESTS => ApiError::RateLimited { retry_after },
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => ApiError::Unauthorized {
            status: code,
            detail,
        },
        StatusCode::REQUEST_TIMEOUT => ApiError::Timeout,
        s if s.is_server_error() => ApiError::Server {
            status: code,
            detail,
        },
        _ => ApiError::Rejected {
            status: code,
            detail,
        },
    })
}

/// The first bytes of a body, for error messages.
fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(80)]);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_accepted() {
        let cases = [
            ("https://api.example.com", true),
            ("http://127.0.0.1:8787", true),
            ("http://localhost:8787/", true),
            ("http://[::1]:9", true),
            ("http://api.example.com", false),
            ("ftp://127.0.0.1", false),
            ("not a url", false),
        ];
        for (url, ok) in cases {
            assert_eq!(ApiClient::new(url, "t").is_ok(), ok, "{url}");
        }
    }

    #[test]
    fn debug_never_shows_the_token() {
        let client = ApiClient::new("http://127.0.0.1:1", "s3cret-token").unwrap();
        assert!(
            !format!("{client:?}").contains("s3cret"),
            "the token must be redacted"
        );
    }
}
