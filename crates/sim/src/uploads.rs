//! Resumable uploads (tus 1.0) kept on disk, so deliveries can carry real files: each
//! upload is one file in the store's directory plus its state in memory (length,
//! confirmed offset, metadata, expiry, running SHA-256). Bodies are streamed to disk
//! chunk by chunk; whatever arrived before a connection cut is kept.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::handle::lock;
use crate::upload_headers::ChunkHasher;
pub(crate) use crate::upload_headers::{Checksum, encode_metadata, parse_checksum, parse_metadata};

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

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
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
                    if kept > 0 {
                        upload.expires_at = now + UPLOAD_LIFETIME;
                    }
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
