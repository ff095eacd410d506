//! A tus 1.0 client on reqwest (no maintained Rust client exists): discovery, creation,
//! offset, streamed PATCH of one file range with an optional per-chunk checksum, and
//! termination. It speaks plain tus 1.0, so it works with any standard server.
//!
//! It stays on the account's origin: every URL it is asked to use (a `Location`, a URL
//! saved before a restart) must have the creation endpoint's scheme, host and port, and
//! is refused before any request otherwise; redirects are never followed. So the bearer
//! token and the seller's bytes only ever go to the account's server.

use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use futures_util::StreamExt as _;
use reqwest::{Method, StatusCode, Url, header};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};

pub const TUS_VERSION: &str = "1.0.0";
/// tus checksum extension: the chunk's checksum did not match; the chunk was discarded.
pub const CHECKSUM_MISMATCH: u16 = 460;

/// What OPTIONS told about the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerCaps {
    pub extensions: Vec<String>,
    pub max_size: Option<u64>,
    pub checksum_algorithms: Vec<String>,
}

impl ServerCaps {
    pub fn has_extension(&self, name: &str) -> bool {
        self.extensions.iter().any(|e| e.eq_ignore_ascii_case(name))
    }

    /// True when the server checks `Upload-Checksum: sha256 …`.
    pub fn checks_sha256(&self) -> bool {
        self.has_extension("checksum")
            && self
                .checksum_algorithms
                .iter()
                .any(|a| a.eq_ignore_ascii_case("sha256"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TusError {
    #[error("the upload is gone from the server (expired or removed)")]
    Gone,
    #[error("the server's offset differs from ours (409)")]
    OffsetConflict,
    #[error("the server found a checksum mismatch in the chunk (460)")]
    ChecksumMismatch,
    #[error("the server refuses a file this large: {0}")]
    TooLarge(String),
    #[error("the server answered {status}: {body}")]
    Status { status: StatusCode, body: String },
    #[error("network error: {0}")]
    Network(#[from] reqwest::Error),
    #[error("the server broke the tus protocol: {0}")]
    Protocol(String),
    #[error(
        "the upload server pointed to another address ({url}) than the marketplace account's ({account}); nothing was sent there. Check the account's address in Settings or ask the marketplace"
    )]
    ForeignOrigin { url: String, account: String },
    #[error(
        "the upload server answered {status} and asked to go to {to}; uploads only go to the marketplace account's own address, so nothing was sent there"
    )]
    Redirected { status: StatusCode, to: String },
    #[error("the upload address {url} cannot be used: {reason}")]
    BadEndpoint { url: String, reason: String },
}

impl TusError {
    /// Worth trying again after a pause (network trouble, 5xx, 429, 423 locked).
    pub fn is_retryable(&self) -> bool {
        match self {
            TusError::Network(_) | TusError::OffsetConflict | TusError::ChecksumMismatch => true,
            TusError::Status { status, .. } => {
                status.is_server_error()
                    || *status == StatusCode::TOO_MANY_REQUESTS
                    || status.as_u16() == 423
            }
            _ => false,
        }
    }
}

/// A tus client for one creation endpoint (e.g. `https://host/v1/uploads`).
#[derive(Clone)]
pub struct TusClient {
    http: reqwest::Client,
    endpoint: Url,
    bearer: Option<String>,
}

impl std::fmt::Debug for TusClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is never printed.
        f.debug_struct("TusClient")
            .field("endpoint", &self.endpoint.as_str())
            .finish()
    }
}

/// Encodes `Upload-Metadata`: `key base64(value)` pairs joined by commas.
pub fn encode_metadata(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {}", B64.encode(v.as_bytes())))
        .collect::<Vec<_>>()
        .join(",")
}

fn split_list(value: Option<&header::HeaderValue>) -> Vec<String> {
    value
        .and_then(|v| v.to_str().ok())
        .map(|s| {
            s.split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn offset_of(resp: &reqwest::Response) -> Result<u64, TusError> {
    resp.headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| TusError::Protocol("missing or invalid Upload-Offset".into()))
}

async fn status_error(resp: reqwest::Response) -> TusError {
    let status = resp.status();
    if status.is_redirection() {
        // Redirects are not followed (see `TusClient::new`): say where it pointed.
        let to = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(|l| shown(&resp.url().join(l).ok(), l))
            .unwrap_or_else(|| "nowhere".into());
        return TusError::Redirected { status, to };
    }
    let body = resp.text().await.unwrap_or_default();
    let body: String = body.chars().take(500).collect();
    match status {
        StatusCode::NOT_FOUND | StatusCode::GONE => TusError::Gone,
        StatusCode::CONFLICT => TusError::OffsetConflict,
        StatusCode::PAYLOAD_TOO_LARGE => TusError::TooLarge(body),
        s if s.as_u16() == CHECKSUM_MISMATCH => TusError::ChecksumMismatch,
        _ => TusError::Status { status, body },
    }
}

/// A URL as a seller may read it: its origin and path, without user info or query.
fn shown(parsed: &Option<Url>, raw: &str) -> String {
    match parsed {
        Some(u) => format!("{}{}", u.origin().ascii_serialization(), u.path()),
        None => raw.chars().take(200).collect(),
    }
}

/// The creation endpoint, if it is https, or plain http to this computer (loopback).
fn check_endpoint(endpoint: &str) -> Result<Url, TusError> {
    let bad = |reason: &str| TusError::BadEndpoint {
        url: endpoint.chars().take(200).collect(),
        reason: reason.to_string(),
    };
    let url = Url::parse(endpoint).map_err(|e| bad(&e.to_string()))?;
    match (url.scheme(), url.host()) {
        ("https", Some(_)) => Ok(url),
        ("http", Some(url::Host::Ipv4(ip))) if ip.is_loopback() => Ok(url),
        ("http", Some(url::Host::Ipv6(ip))) if ip.is_loopback() => Ok(url),
        ("http", Some(url::Host::Domain("localhost"))) => Ok(url),
        ("http", _) => Err(bad(
            "plain http is only allowed to this computer (loopback); use https",
        )),
        _ => Err(bad("the address must start with https://")),
    }
}

impl TusClient {
    /// A client for `endpoint` (https, or http on loopback only). `bearer` is sent only
    /// to URLs on the endpoint's origin.
    pub fn new(endpoint: &str, bearer: Option<String>) -> Result<TusClient, TusError> {
        let endpoint = check_endpoint(endpoint)?;
        let http = reqwest::Client::builder()
            // A redirect could lead the token and the file elsewhere, or from https to
            // http: none is followed, a 3xx is an error (`TusError::Redirected`).
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            // No whole-request timeout (a chunk may take long); a stalled read still ends.
            .read_timeout(Duration::from_secs(60))
            .build()?;
        Ok(TusClient {
            http,
            endpoint,
            bearer,
        })
    }

    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// Refuses a URL off the endpoint's origin (scheme, host and port).
    pub fn check_origin(&self, url: &Url) -> Result<(), TusError> {
        if url.origin() == self.endpoint.origin() {
            Ok(())
        } else {
            Err(TusError::ForeignOrigin {
                url: shown(&Some(url.clone()), url.as_str()),
                account: self.endpoint.origin().ascii_serialization(),
            })
        }
    }

    /// A request to `url`, refused before anything is sent when `url` is on another
    /// origin: the token is only ever attached to the account's own server.
    fn request(&self, method: Method, url: &Url) -> Result<reqwest::RequestBuilder, TusError> {
        self.check_origin(url)?;
        let rb = self
            .http
            .request(method, url.clone())
            .header("Tus-Resumable", TUS_VERSION);
        Ok(match &self.bearer {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        })
    }

    /// OPTIONS: extensions, maximum size and checksum algorithms.
    pub async fn options(&self) -> Result<ServerCaps, TusError> {
        let resp = self
            .request(Method::OPTIONS, &self.endpoint)?
            .send()
            .await?;
        if !(resp.status().is_success()) {
            return Err(status_error(resp).await);
        }
        let h = resp.headers();
        Ok(ServerCaps {
            extensions: split_list(h.get("tus-extension")),
            max_size: h
                .get("tus-max-size")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok()),
            checksum_algorithms: split_list(h.get("tus-checksum-algorithm")),
        })
    }

    /// POST: creates an upload of `length` bytes; returns its absolute URL.
    pub async fn create(&self, length: u64, metadata: &[(&str, &str)]) -> Result<Url, TusError> {
        let resp = self
            .request(Method::POST, &self.endpoint)?
            .header("Upload-Length", length.to_string())
            .header("Upload-Metadata", encode_metadata(metadata))
            .header(header::CONTENT_LENGTH, "0")
            .send()
            .await?;
        if resp.status() != StatusCode::CREATED {
            return Err(status_error(resp).await);
        }
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| TusError::Protocol("201 without Location".into()))?;
        // Location may be absolute or relative to the creation URL; either way it must
        // stay on the account's origin, or no byte goes to it.
        let url = self
            .endpoint
            .join(location)
            .map_err(|e| TusError::Protocol(format!("bad Location {location:?}: {e}")))?;
        self.check_origin(&url)?;
        Ok(url)
    }

    /// HEAD: the server's offset of the upload.
    pub async fn offset(&self, url: &Url) -> Result<u64, TusError> {
        let resp = self
            .request(Method::HEAD, url)?
            .header(header::CACHE_CONTROL, "no-store")
            .send()
            .await?;
        if !resp.status().is_success() {
            return Err(status_error(resp).await);
        }
        offset_of(&resp)
    }

    /// PATCH: streams `len` bytes of `path` from `offset` (the server's offset) with an
    /// optional `Upload-Checksum` (e.g. `sha256 <base64>`); returns the new offset.
    /// `on_bytes` sees each piece as it is read from disk, before it is sent.
    pub async fn patch_file_range(
        &self,
        url: &Url,
        path: &Path,
        offset: u64,
        len: u64,
        checksum: Option<String>,
        on_bytes: impl FnMut(&[u8]) -> std::io::Result<()> + Send + 'static,
    ) -> Result<u64, TusError> {
        // Checked before the file is opened: a foreign URL reads and sends nothing.
        let rb = self.request(Method::PATCH, url)?;
        let stream = file_range_stream(path, offset, len, on_bytes);
        let mut rb = rb
            .header(header::CONTENT_TYPE, "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .header(header::CONTENT_LENGTH, len.to_string())
            .body(reqwest::Body::wrap_stream(stream));
        if let Some(c) = checksum {
            rb = rb.header("Upload-Checksum", c);
        }
        let resp = rb.send().await?;
        if resp.status() != StatusCode::NO_CONTENT && !resp.status().is_success() {
            return Err(status_error(resp).await);
        }
        offset_of(&resp)
    }

    /// DELETE (termination extension). An upload already gone counts as terminated.
    pub async fn terminate(&self, url: &Url) -> Result<(), TusError> {
        let resp = self.request(Method::DELETE, url)?.send().await?;
        match resp.status() {
            s if s.is_success() => Ok(()),
            StatusCode::NOT_FOUND | StatusCode::GONE => Ok(()),
            _ => Err(status_error(resp).await),
        }
    }
}

/// Size of each read from disk while streaming: memory stays at a few of these.
pub const READ_BUF: usize = 256 * 1024;

/// A stream of `len` bytes of `path` from `offset`, read in [`READ_BUF`] pieces.
fn file_range_stream(
    path: &Path,
    offset: u64,
    len: u64,
    on_bytes: impl FnMut(&[u8]) -> std::io::Result<()> + Send + 'static,
) -> impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> + Send + 'static {
    struct State<F> {
        path: std::path::PathBuf,
        file: Option<tokio::fs::File>,
        offset: u64,
        left: u64,
        on_bytes: F,
    }
    let state = State {
        path: path.to_path_buf(),
        file: None,
        offset,
        left: len,
        on_bytes,
    };
    futures_util::stream::unfold(state, |mut st| async move {
        if st.left == 0 {
            return None;
        }
        let step = async {
            if st.file.is_none() {
                let mut f = tokio::fs::File::open(&st.path).await?;
                f.seek(std::io::SeekFrom::Start(st.offset)).await?;
                st.file = Some(f);
            }
            let want = st.left.min(READ_BUF as u64) as usize;
            let mut buf = vec![0u8; want];
            let file = st.file.as_mut().expect("opened above");
            let n = file.read(&mut buf).await?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("{} became shorter while uploading", st.path.display()),
                ));
            }
            buf.truncate(n);
            (st.on_bytes)(&buf)?;
            st.left -= n as u64;
            Ok(buf)
        }
        .await;
        match step {
            Ok(buf) => Some((Ok(buf), st)),
            Err(e) => {
                st.left = 0;
                Some((Err(e), st))
            }
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_key_space_base64_joined_by_commas() {
        assert_eq!(
            encode_metadata(&[("filename", "a b.txt"), ("order_id", "D-1")]),
            "filename YSBiLnR4dA==,order_id RC0x"
        );
    }

    #[test]
    fn retryable_errors_are_network_and_server_side_only() {
        let st = |s: u16| TusError::Status {
            status: StatusCode::from_u16(s).unwrap(),
            body: String::new(),
        };
        assert!(st(503).is_retryable(), "5xx must be retried");
        assert!(st(429).is_retryable(), "429 must be retried");
        assert!(!st(403).is_retryable(), "403 must not be retried");
        assert!(!TusError::Gone.is_retryable(), "gone needs a new upload");
        assert!(!TusError::TooLarge(String::new()).is_retryable());
    }

    #[test]
    fn the_endpoint_is_https_or_plain_http_on_loopback_only() {
        for ok in [
            "https://market.example/v1/uploads",
            "http://127.0.0.1:8787/v1/uploads",
            "http://[::1]:8787/v1/uploads",
            "http://localhost:8787/v1/uploads",
        ] {
            assert!(TusClient::new(ok, None).is_ok(), "{ok} must be accepted");
        }
        for bad in [
            "http://market.example/v1/uploads",
            "http://10.0.0.1/v1/uploads",
            "ftp://market.example/v1/uploads",
            "not a url",
        ] {
            let err = TusClient::new(bad, None).unwrap_err();
            assert!(
                matches!(err, TusError::BadEndpoint { .. }),
                "{bad} must be refused as an endpoint, got {err:?}"
            );
        }
    }

    #[test]
    fn only_urls_on_the_endpoints_scheme_host_and_port_are_used() {
        let client = TusClient::new("https://market.example/v1/uploads", Some("t".into())).unwrap();
        for same in [
            "https://market.example/v1/uploads/abc",
            "https://market.example:443/files/abc",
            "https://MARKET.example/x",
        ] {
            let url = Url::parse(same).unwrap();
            assert!(
                client.check_origin(&url).is_ok(),
                "{same} is on the account's origin and must be allowed"
            );
        }
        for foreign in [
            "http://market.example/v1/uploads/abc",
            "https://market.example:8443/v1/uploads/abc",
            "https://other-host.invalid/files/x",
            "https://market.example.evil.invalid/files/x",
        ] {
            let url = Url::parse(foreign).unwrap();
            let err = client.check_origin(&url).unwrap_err();
            assert!(
                matches!(err, TusError::ForeignOrigin { .. }) && !err.is_retryable(),
                "{foreign} is another origin and must be refused for good, got {err:?}"
            );
            let msg = err.to_string();
            assert!(
                msg.contains("https://market.example") && msg.contains("nothing was sent"),
                "the message must name the account's address and say nothing left: {msg}"
            );
        }
    }

    #[test]
    fn caps_know_sha256_only_with_the_checksum_extension() {
        let mut caps = ServerCaps {
            extensions: vec!["creation".into(), "checksum".into()],
            max_size: None,
            checksum_algorithms: vec!["sha1".into(), "sha256".into()],
        };
        assert!(caps.checks_sha256());
        caps.extensions.pop();
        assert!(!caps.checks_sha256(), "no checksum extension: no header");
    }
}
