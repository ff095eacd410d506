//! tus 1.0 handlers at `/v1/uploads`: core protocol plus the creation,
//! creation-with-upload, checksum, termination and expiration extensions. The bytes
//! and the bookkeeping live in [`crate::uploads`]; here are headers and statuses.

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures_util::stream;

use crate::SimHandle;
use crate::clock::http_date;
use crate::faults::CutUploadAfter;
use crate::problem::ApiProblem;
use crate::uploads::{
    Checksum, UploadError, Written, encode_metadata, parse_checksum, parse_metadata,
};

pub(crate) const TUS_VERSION: &str = "1.0.0";
pub(crate) const TUS_EXTENSIONS: &str =
    "creation,creation-with-upload,checksum,termination,expiration";
pub(crate) const TUS_CHECKSUM_ALGORITHMS: &str = "sha1,sha256";
/// The body type of PATCH (and of POST with creation-with-upload).
pub(crate) const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";

const TUS_RESUMABLE: HeaderName = HeaderName::from_static("tus-resumable");
const TUS_VERSION_H: HeaderName = HeaderName::from_static("tus-version");
const UPLOAD_OFFSET: HeaderName = HeaderName::from_static("upload-offset");
const UPLOAD_LENGTH: HeaderName = HeaderName::from_static("upload-length");
const UPLOAD_METADATA: HeaderName = HeaderName::from_static("upload-metadata");
const UPLOAD_EXPIRES: HeaderName = HeaderName::from_static("upload-expires");
const UPLOAD_CHECKSUM: HeaderName = HeaderName::from_static("upload-checksum");
const UPLOAD_DEFER_LENGTH: HeaderName = HeaderName::from_static("upload-defer-length");

/// tus's status for a checksum mismatch.
pub(crate) const CHECKSUM_MISMATCH: u16 = 460;

/// Route layer of the upload routes: every request but OPTIONS must say
/// `Tus-Resumable: 1.0.0` (else 412 with `Tus-Version`); every answer says it too.
pub(crate) async fn require_tus(request: Request, next: Next) -> Response {
    let says = request
        .headers()
        .get(&TUS_RESUMABLE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut response = if request.method() != Method::OPTIONS
        && says.as_deref() != Some(TUS_VERSION)
    {
        ApiProblem::new(
            StatusCode::PRECONDITION_FAILED,
            format!(
                "this server speaks tus {TUS_VERSION}; send `Tus-Resumable: {TUS_VERSION}` (got {})",
                says.map_or("none".to_string(), |v| format!("{v:?}"))
            ),
        )
        .with_header(TUS_VERSION_H, HeaderValue::from_static(TUS_VERSION))
        .into_response()
    } else {
        next.run(request).await
    };
    response
        .headers_mut()
        .insert(TUS_RESUMABLE, HeaderValue::from_static(TUS_VERSION));
    response
}

/// `OPTIONS`: what this server supports.
pub(crate) async fn options(State(sim): State<SimHandle>) -> Response {
    let max = sim.profile().max_file_bytes;
    (
        StatusCode::NO_CONTENT,
        [
            (TUS_VERSION_H, HeaderValue::from_static(TUS_VERSION)),
            (
                HeaderName::from_static("tus-extension"),
                HeaderValue::from_static(TUS_EXTENSIONS),
            ),
            (
                HeaderName::from_static("tus-max-size"),
                HeaderValue::from(max),
            ),
            (
                HeaderName::from_static("tus-checksum-algorithm"),
                HeaderValue::from_static(TUS_CHECKSUM_ALGORITHMS),
            ),
        ],
    )
        .into_response()
}

/// `POST /v1/uploads`: creation, and creation-with-upload when a body comes along.
pub(crate) async fn create(
    State(sim): State<SimHandle>,
    cut: Option<Extension<CutUploadAfter>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiProblem> {
    if headers.contains_key(&UPLOAD_DEFER_LENGTH) {
        return Err(ApiProblem::bad_request(
            "Upload-Defer-Length is not supported: send Upload-Length",
        ));
    }
    let length = number(&headers, &UPLOAD_LENGTH)?
        .ok_or_else(|| ApiProblem::bad_request("Upload-Length is required"))?;
    let max = sim.profile().max_file_bytes;
    if length > max {
        return Err(ApiProblem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the file is {length} bytes; this marketplace takes files up to {max} bytes ({}); share a link to the file instead",
                human(max)
            ),
        ));
    }
    let metadata = match headers.get(&UPLOAD_METADATA) {
        None => Default::default(),
        Some(value) => {
            parse_metadata(value.to_str().unwrap_or("\u{fffd}")).map_err(ApiProblem::bad_request)?
        }
    };
    let with_body = is_offset_stream(&headers);
    if !with_body && number(&headers, &CONTENT_LENGTH)?.unwrap_or(0) > 0 {
        return Err(unsupported_body(&headers));
    }
    let checksum = checksum(&headers)?;
    let store = sim.upload_store();
    let created = store
        .create(length, metadata, sim.now())
        .await
        .map_err(problem)?;
    let location = format!("{}/{}", crate::routes::UPLOADS_PATH, created.id);
    let mut offset = 0;
    let mut expires_at = created.expires_at;
    if with_body {
        let written = write(&sim, &created.id, 0, checksum, body, cut).await?;
        if written.cut {
            return Ok(cut_connection());
        }
        offset = written.offset;
        expires_at = written.expires_at;
    }
    tracing::debug!(id = %created.id, length, offset, "upload created");
    let mut response = (StatusCode::CREATED, [(LOCATION, location)]).into_response();
    let headers = response.headers_mut();
    headers.insert(UPLOAD_OFFSET, HeaderValue::from(offset));
    headers.insert(UPLOAD_EXPIRES, date(expires_at));
    Ok(response)
}

/// `HEAD /v1/uploads/{id}`: how far the upload got.
pub(crate) async fn head(
    State(sim): State<SimHandle>,
    Path(id): Path<String>,
) -> Result<Response, ApiProblem> {
    let info = sim.upload_store().info(&id, sim.now()).map_err(problem)?;
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    headers.insert(UPLOAD_OFFSET, HeaderValue::from(info.offset));
    headers.insert(UPLOAD_LENGTH, HeaderValue::from(info.length));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(UPLOAD_EXPIRES, date(info.expires_at));
    if !info.metadata.is_empty()
        && let Ok(value) = HeaderValue::from_str(&encode_metadata(&info.metadata))
    {
        headers.insert(UPLOAD_METADATA, value);
    }
    Ok(response)
}

/// `PATCH /v1/uploads/{id}`: appends the body at `Upload-Offset`.
pub(crate) async fn patch(
    State(sim): State<SimHandle>,
    Path(id): Path<String>,
    cut: Option<Extension<CutUploadAfter>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiProblem> {
    if !is_offset_stream(&headers) {
        return Err(unsupported_body(&headers));
    }
    let offset = number(&headers, &UPLOAD_OFFSET)?
        .ok_or_else(|| ApiProblem::bad_request("Upload-Offset is required"))?;
    let checksum = checksum(&headers)?;
    let written = write(&sim, &id, offset, checksum, body, cut).await?;
    if written.cut {
        return Ok(cut_connection());
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(UPLOAD_OFFSET, HeaderValue::from(written.offset));
    headers.insert(UPLOAD_EXPIRES, date(written.expires_at));
    Ok(response)
}

/// `DELETE /v1/uploads/{id}`: termination.
pub(crate) async fn delete(
    State(sim): State<SimHandle>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiProblem> {
    sim.upload_store()
        .delete(&id, sim.now())
        .await
        .map_err(problem)?;
    tracing::debug!(%id, "upload terminated");
    Ok(StatusCode::NO_CONTENT)
}

/// Streams the body into the upload in a task of its own, so the bytes that arrived
/// are recorded even when the connection dies and hyper drops this handler.
async fn write(
    sim: &SimHandle,
    id: &str,
    offset: u64,
    checksum: Option<Checksum>,
    body: Body,
    cut: Option<Extension<CutUploadAfter>>,
) -> Result<Written, ApiProblem> {
    let sim = sim.clone();
    let id = id.to_string();
    let sim_now = sim.now();
    let cut_after = cut.map(|Extension(CutUploadAfter(n))| n);
    let task = tokio::spawn(async move {
        let clock = sim.clone();
        sim.upload_store()
            .write(&id, offset, checksum.as_ref(), body, cut_after, || {
                clock.now()
            })
            .await
    });
    match task.await {
        // A fault cut a checksummed body: nothing is kept, and the client must see the
        // connection drop all the same.
        Ok(Err(UploadError::BodyCut { .. })) if cut_after.is_some() => Ok(Written {
            offset,
            expires_at: sim_now,
            cut: true,
        }),
        Ok(result) => result.map_err(problem),
        Err(e) => Err(ApiProblem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the upload write failed: {e}"),
        )),
    }
}

/// A response that never completes: hyper aborts the connection, as a network cut
/// would. The status says failure in case the head gets out before the abort.
fn cut_connection() -> Response {
    let fail = stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated upload cut (fault injected)",
        ))
    });
    (StatusCode::INTERNAL_SERVER_ERROR, Body::from_stream(fail)).into_response()
}

fn problem(e: UploadError) -> ApiProblem {
    let status = match &e {
        UploadError::NotFound(_) => StatusCode::NOT_FOUND,
        UploadError::Gone(_) => StatusCode::GONE,
        UploadError::OffsetMismatch { .. } | UploadError::Busy(_) => StatusCode::CONFLICT,
        UploadError::PastLength { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        UploadError::ChecksumMismatch { .. } => {
            StatusCode::from_u16(CHECKSUM_MISMATCH).unwrap_or(StatusCode::BAD_REQUEST)
        }
        UploadError::BodyCut { .. } => StatusCode::BAD_REQUEST,
        UploadError::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    ApiProblem::new(status, e.to_string())
}

fn is_offset_stream(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(OFFSET_OCTET_STREAM))
}

fn unsupported_body(headers: &HeaderMap) -> ApiProblem {
    let got = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none");
    ApiProblem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!("upload bodies must be Content-Type: {OFFSET_OCTET_STREAM} (got {got})"),
    )
}

/// A header holding a non-negative integer, if present.
fn number(headers: &HeaderMap, name: &HeaderName) -> Result<Option<u64>, ApiProblem> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Some)
        .ok_or_else(|| ApiProblem::bad_request(format!("{name} must be a non-negative integer")))
}

fn checksum(headers: &HeaderMap) -> Result<Option<Checksum>, ApiProblem> {
    headers
        .get(&UPLOAD_CHECKSUM)
        .map(|v| parse_checksum(v.to_str().unwrap_or("\u{fffd}")))
        .transpose()
        .map_err(ApiProblem::bad_request)
}

fn date(at: DateTime<Utc>) -> HeaderValue {
    HeaderValue::from_str(&http_date(at)).unwrap_or(HeaderValue::from_static("0"))
}

fn human(bytes: u64) -> String {
    const GB: u64 = 1_000_000_000;
    const GIB: u64 = 1 << 30;
    const MIB: u64 = 1 << 20;
    if bytes >= GB && bytes.is_multiple_of(GB) {
        format!("{} GB", bytes / GB)
    } else if bytes >= GIB && bytes.is_multiple_of(GIB) {
        format!("{} GiB", bytes / GIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}
