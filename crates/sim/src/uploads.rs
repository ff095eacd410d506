//! Resumable uploads (tus 1.0) kept on disk, so deliveries can carry real files: each
//! upload is one file in the store's directory plus its state in memory (length,
//! confirmed offset, metadata, expiry, running SHA-256). Bodies are streamed to disk
//! chunk by chunk; whatever arrived before a connection cut is kept.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::handle::lock;

/// An upload expires this long after its last write (or its creation).
pub const UPLOAD_LIFETIME: Duration = Duration::hours(24);

/// One upload as the simulator holds it, for tests and for checking deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadInfo {
    pub id: String,
    /// `Upload-Length`: the whole file's size.
    pub length: u64,
    /// `Upload-Offset`: how many bytes are stored.
    pub offset: u64,
    /// `Upload-Metadata`, decoded (`filename`, `order_id`, …).
    pub metadata: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Lowercase hex SHA-256 of the bytes stored so far (of the file once complete).
    pub sha256: String,
}

impl UploadInfo {
    pub fn is_complete(&self) -> bool {
        self.offset == self.length
    }
}

struct Upload {
    length: u64,
    offset: u64,
    metadata: BTreeMap<String, String>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    sha256: Sha256,
    /// A PATCH is writing; others are refused until it ends.
    busy: bool,
}

/// Why an upload request fails; the handlers map each to its tus status.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("no upload {0:?}")]
    NotFound(String),
    #[error("upload {0:?} expired and its bytes were deleted")]
    Gone(String),
    #[error("Upload-Offset {got} does not match the upload's offset {expected}")]
    OffsetMismatch { expected: u64, got: u64 },
    #[error("another request is writing upload {0:?}; retry after it ends")]
    Busy(String),
    #[error("the body would end at byte {end}, past Upload-Length {length}")]
    PastLength { end: u64, length: u64 },
    #[error(
        "the {algorithm} checksum of the chunk does not match Upload-Checksum; the chunk was discarded"
    )]
    ChecksumMismatch { algorithm: &'static str },
    #[error("the request body failed after {kept} bytes: {reason}")]
    BodyCut { kept: u64, reason: String },
    #[error("upload storage failed: {0}")]
    Io(#[from] std::io::Error),
}

/// The uploads of one simulator and the directory holding their bytes.
pub(crate) struct UploadStore {
    dir: PathBuf,
    /// Set when the simulator made its own directory: removed when the store drops.
    _temp: Option<tempfile::TempDir>,
    uploads: Mutex<HashMap<String, Upload>>,
    /// Ids of expired uploads, answered 410 instead of 404.
    expired: Mutex<HashSet<String>>,
    received: AtomicU64,
    next_id: AtomicU64,
}

/// What a finished write did.
#[derive(Debug)]
pub(crate) struct Written {
    pub offset: u64,
    pub expires_at: DateTime<Utc>,
    /// A `CutUploadAfter` fault stopped the body: the connection must be cut.
    pub cut: bool,
}

impl UploadStore {
    /// A store in `dir` (created if missing) or, without one, in a private temp dir.
    pub(crate) fn new(dir: Option<&Path>) -> std::io::Result<UploadStore> {
        let (dir, temp) = match dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                (dir.to_path_buf(), None)
            }
            None => {
                let temp = tempfile::Builder::new()
                    .prefix("sellerdesk-sim-uploads-")
                    .tempdir()?;
                (temp.path().to_path_buf(), Some(temp))
            }
        };
        Ok(UploadStore {
            dir,
            _temp: temp,
            uploads: Mutex::new(HashMap::new()),
            expired: Mutex::new(HashSet::new()),
            received: AtomicU64::new(0),
            next_id: AtomicU64::new(1),
        })
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.bin"))
    }

    /// Bytes received in every upload body, including chunks later discarded.
    pub(crate) fn bytes_received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    /// Creates an empty upload of `length` bytes.
    pub(crate) async fn create(
        &self,
        length: u64,
        metadata: BTreeMap<String, String>,
        now: DateTime<Utc>,
    ) -> Result<UploadInfo, UploadError> {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let id = format!(
            "u{n:06}-{:08x}",
            now.timestamp_subsec_nanos() ^ (n as u32).rotate_left(16)
        );
        tokio::fs::File::create(self.path(&id)).await?;
        let upload = Upload {
            length,
            offset: 0,
            metadata,
            created_at: now,
            expires_at: now + UPLOAD_LIFETIME,
            sha256: Sha256::new(),
            busy: false,
        };
        let info = info(&id, &upload);
        lock(&self.uploads).insert(id, upload);
        Ok(info)
    }

    /// Removes every upload expired at `now`, deleting its bytes.
    fn sweep(&self, now: DateTime<Utc>) {
        let mut uploads = lock(&self.uploads);
        let due: Vec<String> = uploads
            .iter()
            .filter(|(_, u)| !u.busy && u.expires_at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            uploads.remove(&id);
            if let Err(e) = std::fs::remove_file(self.path(&id)) {
                tracing::warn!(%id, error = %e, "cannot delete an expired upload's bytes");
            }
            tracing::debug!(%id, "upload expired");
            lock(&self.expired).insert(id);
        }
    }

    fn missing(&self, id: &str) -> UploadError {
        if lock(&self.expired).contains(id) {
            UploadError::Gone(id.to_string())
        } else {
            UploadError::NotFound(id.to_string())
        }
    }

    pub(crate) fn info(&self, id: &str, now: DateTime<Utc>) -> Result<UploadInfo, UploadError> {
        self.sweep(now);
        let uploads = lock(&self.uploads);
        uploads
            .get(id)
            .map(|u| info(id, u))
            .ok_or_else(|| self.missing(id))
    }

    /// Every live upload, by id.
    pub(crate) fn list(&self, now: DateTime<Utc>) -> Vec<UploadInfo> {
        self.sweep(now);
        let uploads = lock(&self.uploads);
        let mut all: Vec<UploadInfo> = uploads.iter().map(|(id, u)| info(id, u)).collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all
    }

    /// Termination: forgets the upload and deletes its bytes.
    pub(crate) async fn delete(&self, id: &str, now: DateTime<Utc>) -> Result<(), UploadError> {
        self.sweep(now);
        {
            let mut uploads = lock(&self.uploads);
            match uploads.get(id) {
                None => return Err(self.missing(id)),
                Some(u) if u.busy => return Err(UploadError::Busy(id.to_string())),
                Some(_) => uploads.remove(id),
            };
        }
        tokio::fs::remove_file(self.path(id)).await?;
        Ok(())
    }

    /// Appends `body` at `offset` (which must be the upload's offset), streaming it to
    /// disk. With a checksum the chunk is kept only if it matches; without one, the
    /// bytes that arrived before a failed body are kept. `cut_after` stops reading
    /// after that many body bytes (a fault) and keeps them.
    pub(crate) async fn write(
        &self,
        id: &str,
        offset: u64,
        checksum: Option<&Checksum>,
        body: Body,
        cut_after: Option<u64>,
        clock: impl Fn() -> DateTime<Utc>,
    ) -> Result<Written, UploadError> {
        self.sweep(clock());
        let (length, mut sha256) = {
            let mut uploads = lock(&self.uploads);
            let upload = uploads.get_mut(id).ok_or_else(|| self.missing(id))?;
            if upload.busy {
                return Err(UploadError::Busy(id.to_string()));
            }
            if upload.offset != offset {
                return Err(UploadError::OffsetMismatch {
                    expected: upload.offset,
                    got: offset,
                });
            }
            upload.busy = true;
            (upload.length, upload.sha256.clone())
        };
        let mut chunk_hash = checksum.map(|c| ChunkHasher::new(c.algorithm));
        let mut new_sha = sha256.clone();
        let streamed = self
            .stream_to_file(
                id,
                offset,
                length,
                body,
                cut_after,
                &mut new_sha,
                &mut chunk_hash,
            )
            .await;
        // What to keep: nothing when the body overflowed or the disk failed, when the
        // checksum does not match, or when a checksummed body was cut (it cannot be
        // verified); otherwise every byte that arrived, even from a failed body.
        let failure = match (streamed.failure, checksum, chunk_hash) {
            (Some(e), _, _) => Some(e),
            (None, Some(_), _) if streamed.cut => Some(UploadError::BodyCut {
                kept: 0,
                reason: "a checksummed chunk was cut short and cannot be verified".into(),
            }),
            (None, Some(want), Some(hash)) if hash.clone().finish() != want.digest => {
                Some(UploadError::ChecksumMismatch {
                    algorithm: want.algorithm.name(),
                })
            }
            (None, _, _) => None,
        };
        let keep_all = match &failure {
            None => true,
            Some(UploadError::BodyCut { .. }) => checksum.is_none(),
            Some(_) => false,
        };
        let kept = if keep_all { streamed.written } else { 0 };
        if keep_all {
            sha256 = new_sha;
        }
        let truncated = if kept < streamed.written {
            truncate(&self.path(id), offset + kept).await
        } else {
            Ok(())
        };
        let now = clock();
        let (new_offset, expires_at) = {
            let mut uploads = lock(&self.uploads);
            match uploads.get_mut(id) {
                Some(upload) => {
                    upload.busy = false;
                    upload.offset = offset + kept;
                    upload.sha256 = sha256;
                    upload.expires_at = now + UPLOAD_LIFETIME;
                    (upload.offset, upload.expires_at)
                }
                None => return Err(UploadError::NotFound(id.to_string())),
            }
        };
        truncated?;
        match failure {
            Some(e) => Err(e),
            None => Ok(Written {
                offset: new_offset,
                expires_at,
                cut: streamed.cut,
            }),
        }
    }

    /// Appends the body to the upload's file, hashing as it goes. Never holds more
    /// than one chunk of the body in memory.
    #[allow(clippy::too_many_arguments)]
    async fn stream_to_file(
        &self,
        id: &str,
        offset: u64,
        length: u64,
        body: Body,
        cut_after: Option<u64>,
        sha256: &mut Sha256,
        chunk_hash: &mut Option<ChunkHasher>,
    ) -> Streamed {
        let mut streamed = Streamed::default();
        let mut file = match tokio::fs::OpenOptions::new()
            .append(true)
            .open(self.path(id))
            .await
        {
            Ok(file) => file,
            Err(e) => {
                streamed.failure = Some(e.into());
                return streamed;
            }
        };
        let mut chunks = body.into_data_stream();
        while let Some(chunk) = chunks.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    streamed.failure = Some(UploadError::BodyCut {
                        kept: streamed.written,
                        reason: e.to_string(),
                    });
                    break;
                }
            };
            self.received
                .fetch_add(chunk.len() as u64, Ordering::Relaxed);
            let mut take = chunk.len() as u64;
            if let Some(limit) = cut_after {
                take = take.min(limit.saturating_sub(streamed.written));
            }
            let end = offset + streamed.written + chunk.len() as u64;
            if end > length {
                streamed.failure = Some(UploadError::PastLength { end, length });
                break;
            }
            let piece = &chunk[..take as usize];
            if let Err(e) = file.write_all(piece).await {
                streamed.failure = Some(e.into());
                break;
            }
            sha256.update(piece);
            if let Some(hash) = chunk_hash.as_mut() {
                hash.update(piece);
            }
            streamed.written += take;
            if cut_after.is_some_and(|limit| streamed.written >= limit) {
                streamed.cut = true;
                break;
            }
        }
        if let Err(e) = file.flush().await {
            streamed.failure.get_or_insert(e.into());
        }
        streamed
    }
}

/// What streaming one body to disk did.
#[derive(Debug, Default)]
struct Streamed {
    written: u64,
    cut: bool,
    failure: Option<UploadError>,
}

async fn truncate(path: &Path, len: u64) -> std::io::Result<()> {
    let file = tokio::fs::OpenOptions::new().write(true).open(path).await?;
    file.set_len(len).await?;
    file.sync_all().await
}

fn info(id: &str, upload: &Upload) -> UploadInfo {
    UploadInfo {
        id: id.to_string(),
        length: upload.length,
        offset: upload.offset,
        metadata: upload.metadata.clone(),
        created_at: upload.created_at,
        expires_at: upload.expires_at,
        sha256: hex(&upload.sha256.clone().finalize()),
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A checksum algorithm of the tus checksum extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecksumAlgorithm {
    Sha1,
    Sha256,
}

impl ChecksumAlgorithm {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Sha1 => "sha1",
            ChecksumAlgorithm::Sha256 => "sha256",
        }
    }

    fn digest_len(self) -> usize {
        match self {
            ChecksumAlgorithm::Sha1 => 20,
            ChecksumAlgorithm::Sha256 => 32,
        }
    }
}

/// `Upload-Checksum: <algorithm> <base64 digest>`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checksum {
    pub algorithm: ChecksumAlgorithm,
    pub digest: Vec<u8>,
}

/// Parses `Upload-Checksum`. An unknown algorithm or a malformed digest is a 400.
pub(crate) fn parse_checksum(header: &str) -> Result<Checksum, String> {
    let (name, digest) = header
        .trim()
        .split_once(' ')
        .ok_or_else(|| format!("Upload-Checksum {header:?} must be \"<algorithm> <base64>\""))?;
    let algorithm = match name {
        "sha1" => ChecksumAlgorithm::Sha1,
        "sha256" => ChecksumAlgorithm::Sha256,
        other => {
            return Err(format!(
                "checksum algorithm {other:?} is not supported; use sha1 or sha256"
            ));
        }
    };
    let digest = STANDARD
        .decode(digest.trim())
        .map_err(|e| format!("the Upload-Checksum digest is not base64: {e}"))?;
    if digest.len() != algorithm.digest_len() {
        return Err(format!(
            "a {name} digest is {} bytes, Upload-Checksum has {}",
            algorithm.digest_len(),
            digest.len()
        ));
    }
    Ok(Checksum { algorithm, digest })
}

#[derive(Clone)]
enum ChunkHasher {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl ChunkHasher {
    fn new(algorithm: ChecksumAlgorithm) -> ChunkHasher {
        match algorithm {
            ChecksumAlgorithm::Sha1 => ChunkHasher::Sha1(Sha1::new()),
            ChecksumAlgorithm::Sha256 => ChunkHasher::Sha256(Sha256::new()),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            ChunkHasher::Sha1(h) => h.update(bytes),
            ChunkHasher::Sha256(h) => h.update(bytes),
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            ChunkHasher::Sha1(h) => h.finalize().to_vec(),
            ChunkHasher::Sha256(h) => h.finalize().to_vec(),
        }
    }
}

/// Parses `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be
/// left out). Keys must be non-empty, without spaces or commas, and unique; values
/// must decode to UTF-8.
pub(crate) fn parse_metadata(header: &str) -> Result<BTreeMap<String, String>, String> {
    let mut metadata = BTreeMap::new();
    if header.trim().is_empty() {
        return Ok(metadata);
    }
    for pair in header.split(',') {
        let pair = pair.trim();
        let (key, value) = match pair.split_once(' ') {
            Some((key, value)) => (key, value.trim()),
            None => (pair, ""),
        };
        if key.is_empty() {
            return Err("Upload-Metadata has an empty key".to_string());
        }
        let bytes = STANDARD
            .decode(value)
            .map_err(|e| format!("Upload-Metadata value of {key:?} is not base64: {e}"))?;
        let value = String::from_utf8(bytes)
            .map_err(|_| format!("Upload-Metadata value of {key:?} is not UTF-8 text"))?;
        if metadata.insert(key.to_string(), value).is_some() {
            return Err(format!("Upload-Metadata repeats the key {key:?}"));
        }
    }
    Ok(metadata)
}

/// The metadata encoded back into an `Upload-Metadata` header value.
pub(crate) fn encode_metadata(metadata: &BTreeMap<String, String>) -> String {
    metadata
        .iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs_are_decoded() {
        let ok = [
            ("", vec![]),
            ("filename bG9nby5wbmc=", vec![("filename", "logo.png")]),
            (
                "filename bG9nby5wbmc=, order_id RC0xMDAx,is_final",
                vec![
                    ("filename", "logo.png"),
                    ("is_final", ""),
                    ("order_id", "D-1001"),
                ],
            ),
        ];
        for (header, want) in ok {
            let got = parse_metadata(header).unwrap_or_else(|e| panic!("{header:?}: {e}"));
            let want: BTreeMap<String, String> = want
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect();
            assert_eq!(got, want, "metadata of {header:?}");
            assert_eq!(
                parse_metadata(&encode_metadata(&got)).unwrap(),
                got,
                "round trip"
            );
        }
        let bad = [
            ("filename not*base64", "not base64"),
            ("a YQ==, ,b", "empty key"),
            ("a YQ==,a Yg==", "repeats"),
            ("a //79", "not UTF-8"),
        ];
        for (header, why) in bad {
            let err = parse_metadata(header).expect_err(header);
            assert!(
                err.contains(why),
                "{header:?} must fail with {why:?}: {err}"
            );
        }
    }

    #[test]
    fn checksum_headers_name_a_supported_algorithm_and_a_full_digest() {
        let sha1_of_abc = STANDARD.encode(Sha1::digest(b"abc"));
        let sha256_of_abc = STANDARD.encode(Sha256::digest(b"abc"));
        let got = parse_checksum(&format!("sha1 {sha1_of_abc}")).unwrap();
        assert_eq!(got.algorithm, ChecksumAlgorithm::Sha1);
        assert_eq!(got.digest, Sha1::digest(b"abc").to_vec());
        let got = parse_checksum(&format!("sha256 {sha256_of_abc}")).unwrap();
        assert_eq!(got.algorithm, ChecksumAlgorithm::Sha256);
        let bad = [
            (format!("md5 {sha1_of_abc}"), "not supported"),
            (format!("sha256 {sha1_of_abc}"), "32 bytes"),
            ("sha1 ***".to_string(), "not base64"),
            ("sha1".to_string(), "must be"),
        ];
        for (header, why) in bad {
            let err = parse_checksum(&header).expect_err(&header);
            assert!(
                err.contains(why),
                "{header:?} must fail with {why:?}: {err}"
            );
        }
    }
}
