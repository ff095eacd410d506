//! The upload queue: delivery files uploaded over tus as saved state machines in SQLite,
//! a bounded number at a time, resumable after a crash from the server's offset; the
//! deliver action enters the outbox once every file of the delivery is uploaded.

mod hub;
mod lock;
mod runner;
pub mod tus;

pub use hub::UploadHub;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use crate::store::{DeliveryState, DraftContent, JobState, NewJob, Store, StoreError};

pub type DeliveryId = String;
pub type JobId = String;

/// How the queue reaches one account's marketplace and how hard it works. Run one
/// queue per account: each handles only that account's deliveries.
#[derive(Clone)]
pub struct UploadConfig {
    pub account_id: String,
    /// The API base URL (`…/v1/uploads` is appended).
    pub base_url: String,
    pub token: String,
    /// The marketplace profile's `max_file_bytes`.
    pub max_file_bytes: u64,
    /// Uploads running at once.
    pub concurrency: usize,
    /// Bytes per PATCH.
    pub chunk_bytes: u64,
    /// First retry delay (doubled each attempt, capped at 30 s).
    pub retry_base: Duration,
    /// Failed attempts in a row before a job is marked failed (the seller can resume
    /// it). Progress (bytes confirmed by the server) and a resume start the count again.
    pub max_attempts: u32,
}

impl UploadConfig {
    pub fn new(account_id: &str, base_url: &str, token: &str, max_file_bytes: u64) -> UploadConfig {
        UploadConfig {
            account_id: account_id.to_string(),
            base_url: base_url.trim_end_matches('/').to_string(),
            token: token.to_string(),
            max_file_bytes,
            concurrency: 2,
            chunk_bytes: 16 << 20,
            retry_base: Duration::from_millis(500),
            max_attempts: 8,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(
        "{name} is {size} bytes, over the marketplace's limit of {limit} bytes; share it through a download link (e.g. a cloud drive) in the description instead"
    )]
    TooLarge { name: String, size: u64, limit: u64 },
    #[error("{path} cannot be found; pick the file again")]
    Missing { path: String },
    #[error("{path} cannot be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error(
        "a delivery without files needs the seller's confirmation or the 'delivered outside the platform' mark"
    )]
    NoFileNotConfirmed,
    #[error("no upload or delivery {0}")]
    NotFound(String),
    #[error("this upload queue serves another account than {0}")]
    OtherAccount(String),
    #[error(
        "another sellerdesk{} is already uploading from this data folder; close it before uploading here",
        pid.map(|p| format!(" (process {p})")).unwrap_or_default()
    )]
    QueueBusy { pid: Option<u32> },
    #[error("cannot lock the upload queue at {path}: {reason}")]
    LockFailed { path: String, reason: String },
    #[error("cannot reach the upload server: {0}")]
    Client(#[from] tus::TusError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One file's upload, as the uploads panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadJobView {
    pub id: String,
    pub delivery_id: String,
    pub account_id: String,
    pub order_id: String,
    pub name: String,
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
    /// Bytes the server confirmed.
    #[ts(type = "number")]
    pub bytes_done: u64,
    pub state: JobState,
    pub last_error: Option<String>,
    pub attempts: u32,
}

/// A delivery and how far its files are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView {
    pub id: String,
    pub account_id: String,
    pub order_id: String,
    pub state: DeliveryState,
    /// The outbox item of the deliver action, once queued.
    #[ts(type = "number | null")]
    pub outbox_seq: Option<i64>,
    pub files: u32,
    pub files_done: u32,
    #[ts(type = "number")]
    pub created_ms: i64,
}

/// A progress event, at most 5 per second per job (and always on a state change).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadProgress {
    pub job_id: String,
    pub delivery_id: String,
    pub state: JobState,
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub total: u64,
    /// Smoothed bytes per second.
    pub bytes_per_sec: f64,
    /// None while the speed is unknown.
    pub seconds_left: Option<f64>,
    pub last_error: Option<String>,
}

pub(crate) const RUN: u8 = 0;
pub(crate) const PAUSE: u8 = 1;
pub(crate) const CANCEL: u8 = 2;

pub(crate) struct Shared {
    pub store: Arc<Store>,
    pub config: UploadConfig,
    pub client: tus::TusClient,
    pub slots: tokio::sync::Semaphore,
    /// Running tasks and the control flag each watches.
    pub running: Mutex<HashMap<JobId, Arc<AtomicU8>>>,
    pub events: tokio::sync::broadcast::Sender<UploadProgress>,
    pub now_ms: fn() -> i64,
    /// Held while this queue or any of its tasks runs (None for an in-memory store).
    _lock: Option<Arc<lock::QueueLock>>,
}

/// The upload queue. Cheap to clone; needs a tokio runtime.
#[derive(Clone)]
pub struct UploadQueue {
    shared: Arc<Shared>,
}

fn system_now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Modification time in ns since the epoch, as recorded to detect a changed file.
pub(crate) fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

impl UploadQueue {
    /// Starts the queue over `store` (open a second `Store` on the workspace's database
    /// file: SQLite in WAL mode serves both) and resumes every unfinished job. Only one
    /// process runs the queues of a database: in another, this is
    /// [`UploadError::QueueBusy`].
    pub fn start(store: Arc<Store>, config: UploadConfig) -> Result<UploadQueue, UploadError> {
        let (events, _) = tokio::sync::broadcast::channel(1024);
        UploadQueue::start_with_events(store, config, events)
    }

    /// [`UploadQueue::start`], sending progress on `events` (shared by several queues).
    pub fn start_with_events(
        store: Arc<Store>,
        config: UploadConfig,
        events: tokio::sync::broadcast::Sender<UploadProgress>,
    ) -> Result<UploadQueue, UploadError> {
        let lock = if store.path() == Path::new(":memory:") {
            None
        } else {
            Some(lock::QueueLock::acquire(store.path())?)
        };
        let client = tus::TusClient::new(
            &format!("{}/v1/uploads", config.base_url),
            Some(config.token.clone()),
        )?;
        let queue = UploadQueue {
            shared: Arc::new(Shared {
                store,
                slots: tokio::sync::Semaphore::new(config.concurrency.max(1)),
                config,
                client,
                running: Mutex::new(HashMap::new()),
                events,
                now_ms: system_now_ms,
                _lock: lock,
            }),
        };
        for job in queue.shared.store.upload_jobs()? {
            if job.account_id == queue.shared.config.account_id
                && matches!(job.state, JobState::Queued | JobState::Uploading)
            {
                runner::spawn(&queue.shared, job.id);
            }
        }
        Ok(queue)
    }

    /// Progress events of every job.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<UploadProgress> {
        self.shared.events.subscribe()
    }

    /// Validates the files (before any byte is sent), records the delivery and starts
    /// its uploads. The caller deletes the draft once the delivery is queued.
    pub fn submit_delivery(
        &self,
        account_id: &str,
        order_id: &str,
        content: &DraftContent,
    ) -> Result<DeliveryId, UploadError> {
        if account_id != self.shared.config.account_id {
            return Err(UploadError::OtherAccount(account_id.to_string()));
        }
        let limit = self.shared.config.max_file_bytes;
        if content.files.is_empty() && !content.no_file_confirmed && !content.outside_platform {
            return Err(UploadError::NoFileNotConfirmed);
        }
        let mut jobs = Vec::new();
        for f in &content.files {
            let meta = check_file(Path::new(&f.path))?;
            if meta.len() > limit {
                return Err(UploadError::TooLarge {
                    name: f.name.clone(),
                    size: meta.len(),
                    limit,
                });
            }
            jobs.push(NewJob {
                id: uuid::Uuid::new_v4().to_string(),
                path: f.path.clone(),
                name: f.name.clone(),
                size: meta.len(),
                mtime_ns: mtime_ns(&meta),
            });
        }
        let delivery = sellerdesk_api::Delivery {
            description: content.description.clone(),
            files: Vec::new(),
            no_file_confirmed: content.no_file_confirmed,
            outside_platform: content.outside_platform,
            modified: content.modified,
        };
        let id = uuid::Uuid::new_v4().to_string();
        self.shared.store.insert_delivery(
            &id,
            account_id,
            order_id,
            &delivery,
            &jobs,
            (self.shared.now_ms)(),
        )?;
        for j in jobs {
            runner::spawn(&self.shared, j.id);
        }
        Ok(id)
    }

    /// Pauses a job: its upload stops at the next read; the server keeps its bytes.
    pub fn pause(&self, job_id: &str) -> Result<(), UploadError> {
        self.job(job_id)?;
        self.signal(job_id, PAUSE);
        self.shared.store.move_job(
            job_id,
            &[JobState::Queued, JobState::Uploading],
            JobState::Paused,
            None,
        )?;
        runner::emit_state(&self.shared, job_id);
        Ok(())
    }

    /// Resumes a paused or failed job from the server's offset, with a fresh retry
    /// budget.
    pub fn resume(&self, job_id: &str) -> Result<(), UploadError> {
        let job = self.job(job_id)?;
        let moved = self.shared.store.requeue_job(job_id)?;
        if moved {
            self.shared.store.set_delivery_state(
                &job.delivery_id,
                &[DeliveryState::Failed],
                DeliveryState::Uploading,
            )?;
            runner::spawn(&self.shared, job_id.to_string());
        }
        Ok(())
    }

    /// Cancels a job or a whole delivery (by its id) and terminates its uploads on the
    /// server. A delivery already queued cannot be canceled here.
    pub async fn cancel(&self, id: &str) -> Result<(), UploadError> {
        let store = &self.shared.store;
        let mine = store
            .delivery(id)?
            .filter(|d| d.account_id == self.shared.config.account_id);
        let jobs = match mine {
            Some(d) => {
                store.set_delivery_state(
                    &d.id,
                    &[DeliveryState::Uploading, DeliveryState::Failed],
                    DeliveryState::Canceled,
                )?;
                store.upload_jobs_of(id)?
            }
            None => {
                let job = self.job(id)?;
                store.set_delivery_state(
                    &job.delivery_id,
                    &[DeliveryState::Uploading, DeliveryState::Failed],
                    DeliveryState::Canceled,
                )?;
                vec![job]
            }
        };
        for job in jobs {
            self.signal(&job.id, CANCEL);
            let open = [
                JobState::Queued,
                JobState::Uploading,
                JobState::Paused,
                JobState::Failed,
            ];
            if store.move_job(&job.id, &open, JobState::Canceled, None)? {
                if let Some(url) = job.upload_url.as_deref().and_then(|u| u.parse().ok()) {
                    self.terminate(&url).await?;
                }
                runner::emit_state(&self.shared, &job.id);
            }
        }
        Ok(())
    }

    pub fn jobs(&self) -> Result<Vec<UploadJobView>, UploadError> {
        Ok(self
            .shared
            .store
            .upload_jobs()?
            .into_iter()
            .filter(|j| j.account_id == self.shared.config.account_id)
            .map(job_view)
            .collect())
    }

    pub fn deliveries(&self) -> Result<Vec<DeliveryView>, UploadError> {
        Ok(delivery_views(&self.shared.store)?
            .into_iter()
            .filter(|d| d.account_id == self.shared.config.account_id)
            .collect())
    }

    /// Ends an upload on the server. A PATCH of it may still be finishing after the stop
    /// signal (the server then answers 409 while it holds the upload): try again briefly.
    async fn terminate(&self, url: &reqwest::Url) -> Result<(), UploadError> {
        let mut tries = 0;
        loop {
            match self.shared.client.terminate(url).await {
                Err(tus::TusError::OffsetConflict) if tries < 20 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                // Saved on another server (the account's address changed): none of ours
                // lives there, and nothing is sent to it.
                Err(tus::TusError::ForeignOrigin { url, .. }) => {
                    tracing::info!(%url, "not terminating an upload on another origin");
                    return Ok(());
                }
                other => return Ok(other?),
            }
        }
    }

    /// A job of this queue's account.
    fn job(&self, id: &str) -> Result<crate::store::JobRow, UploadError> {
        self.shared
            .store
            .upload_job(id)?
            .filter(|j| j.account_id == self.shared.config.account_id)
            .ok_or_else(|| UploadError::NotFound(id.to_string()))
    }

    fn signal(&self, job_id: &str, what: u8) {
        let running = self
            .shared
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(flag) = running.get(job_id) {
            flag.store(what, Ordering::SeqCst);
        }
    }
}

pub(crate) fn job_view(j: crate::store::JobRow) -> UploadJobView {
    UploadJobView {
        id: j.id,
        delivery_id: j.delivery_id,
        account_id: j.account_id,
        order_id: j.order_id,
        name: j.name,
        path: j.path,
        size: j.size,
        bytes_done: j.offset,
        state: j.state,
        last_error: j.last_error,
        attempts: j.attempts,
    }
}

/// Every delivery with how many of its files are uploaded.
pub(crate) fn delivery_views(store: &Store) -> Result<Vec<DeliveryView>, StoreError> {
    let jobs = store.upload_jobs()?;
    Ok(store
        .deliveries()?
        .into_iter()
        .map(|d| delivery_view(d, &jobs))
        .collect())
}

/// A delivery with how many of its files are uploaded (`jobs` may hold others' too).
pub(crate) fn delivery_view(
    d: crate::store::DeliveryRow,
    jobs: &[crate::store::JobRow],
) -> DeliveryView {
    let mine = jobs.iter().filter(|j| j.delivery_id == d.id);
    DeliveryView {
        files: mine.clone().count() as u32,
        files_done: mine.filter(|j| j.state == JobState::Done).count() as u32,
        id: d.id,
        account_id: d.account_id,
        order_id: d.order_id,
        state: d.state,
        outbox_seq: d.outbox_seq,
        created_ms: d.created_ms,
    }
}

/// The file's metadata, or why it cannot be uploaded.
pub(crate) fn check_file(path: &Path) -> Result<std::fs::Metadata, UploadError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => UploadError::Missing {
            path: shown.clone(),
        },
        _ => UploadError::Unreadable {
            path: shown.clone(),
            reason: e.to_string(),
        },
    })?;
    if !meta.is_file() {
        return Err(UploadError::Unreadable {
            path: shown,
            reason: "it is not a regular file".into(),
        });
    }
    std::fs::File::open(path).map_err(|e| UploadError::Unreadable {
        path: shown,
        reason: e.to_string(),
    })?;
    Ok(meta)
}
