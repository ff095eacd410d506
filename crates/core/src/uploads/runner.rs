//! One job's run: resume from the server's offset, stream chunks with their checksum,
//! hash the whole file on the way (saving the hash of the confirmed prefix with the
//! offset), retry with backoff while failures in a row stay within the budget, and stop
//! cleanly on pause, cancel or a changed file (size, time or the content already sent).

use futures_util::FutureExt;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};

use super::tus::{READ_BUF, TusError};
use super::{CANCEL, RUN, Shared, UploadProgress, check_file, mtime_ns};
use crate::store::{DeliveryState, JobRow, JobState};

enum Stop {
    /// Paused or canceled by the seller.
    Asked,
    /// Try again after a pause.
    Retry(String),
    /// The job cannot go on.
    Fatal(String),
}

/// Starts (or keeps) the task of a job.
pub(crate) fn spawn(shared: &Arc<Shared>, job_id: String) {
    let flag = {
        let mut running = shared.running.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(flag) = running.get(&job_id) {
            // Still running (e.g. resumed before the pause took effect): carry on.
            flag.store(RUN, Ordering::SeqCst);
            return;
        }
        let flag = Arc::new(AtomicU8::new(RUN));
        running.insert(job_id.clone(), flag.clone());
        flag
    };
    let shared = shared.clone();
    tokio::spawn(async move {
        {
            let _slot = shared.slots.acquire().await;
            // A bug in one upload is that upload's error: the job is marked failed (the
            // seller can resume it), never left "uploading", and the queue goes on.
            let ran = std::panic::AssertUnwindSafe(run(&shared, &job_id, &flag))
                .catch_unwind()
                .await;
            match ran {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::warn!(job = %job_id, error = %e, "upload job stopped on a store error");
                }
                Err(_) => {
                    tracing::error!(job = %job_id, "an upload task panicked; the job is marked failed");
                    let why = "unexpected error in this upload (see the log); resume to try again";
                    let active = [JobState::Queued, JobState::Uploading];
                    let _ = shared
                        .store
                        .move_job(&job_id, &active, JobState::Failed, Some(why));
                    emit_state(&shared, &job_id);
                }
            }
        }
        shared
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&job_id);
        // Resumed while this task was stopping: run again.
        if let Ok(Some(job)) = shared.store.upload_job(&job_id)
            && job.state == JobState::Queued
        {
            spawn(&shared, job_id);
        }
    });
}

pub(crate) fn emit_state(shared: &Shared, job_id: &str) {
    if let Ok(Some(j)) = shared.store.upload_job(job_id) {
        let _ = shared.events.send(UploadProgress {
            job_id: j.id.clone(),
            delivery_id: j.delivery_id.clone(),
            state: j.state,
            bytes_done: j.offset,
            total: j.size,
            bytes_per_sec: 0.0,
            seconds_left: None,
            last_error: j.last_error,
        });
    }
}

async fn run(
    shared: &Arc<Shared>,
    job_id: &str,
    flag: &Arc<AtomicU8>,
) -> Result<(), crate::store::StoreError> {
    let store = &shared.store;
    if !store.move_job(
        job_id,
        &[JobState::Queued, JobState::Uploading],
        JobState::Uploading,
        None,
    )? {
        return Ok(());
    }
    emit_state(shared, job_id);
    let meter = Arc::new(Mutex::new(Meter::new()));
    loop {
        let Some(job) = store.upload_job(job_id)? else {
            return Ok(());
        };
        match attempt(shared, &job, flag, &meter).await {
            Ok(sha) => {
                store.finish_job(job_id, &sha, (shared.now_ms)())?;
                emit_state(shared, job_id);
                return Ok(());
            }
            Err(Stop::Asked) => {
                if flag.load(Ordering::SeqCst) == CANCEL
                    && let Some(url) = store
                        .upload_job(job_id)?
                        .and_then(|j| j.upload_url)
                        .and_then(|u| u.parse().ok())
                {
                    let _ = shared.client.terminate(&url).await;
                }
                return Ok(());
            }
            Err(Stop::Fatal(msg)) => {
                fail(shared, &job, &msg)?;
                return Ok(());
            }
            Err(Stop::Retry(msg)) => {
                let n = store.note_job_attempt(job_id, &msg)?;
                tracing::info!(job = %job_id, attempt = n, error = %msg, "upload retry");
                if n >= shared.config.max_attempts {
                    fail(
                        shared,
                        &job,
                        &format!("gave up after {n} failed attempts in a row: {msg}"),
                    )?;
                    return Ok(());
                }
                let delay = shared
                    .config
                    .retry_base
                    .saturating_mul(1 << (n - 1).min(10))
                    .min(Duration::from_secs(30));
                let until = Instant::now() + delay;
                while Instant::now() < until {
                    if flag.load(Ordering::SeqCst) != RUN {
                        return Ok(());
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }
}

fn fail(shared: &Shared, job: &JobRow, msg: &str) -> Result<(), crate::store::StoreError> {
    tracing::warn!(job = %job.id, error = %msg, "upload failed");
    shared.store.move_job(
        &job.id,
        &[JobState::Uploading, JobState::Queued],
        JobState::Failed,
        Some(msg),
    )?;
    shared.store.set_delivery_state(
        &job.delivery_id,
        &[DeliveryState::Uploading],
        DeliveryState::Failed,
    )?;
    emit_state(shared, &job.id);
    Ok(())
}

/// Stops the job when the file is gone or differs from when it was queued.
fn unchanged(job: &JobRow) -> Result<(), Stop> {
    let meta = check_file(Path::new(&job.path)).map_err(|e| Stop::Fatal(e.to_string()))?;
    if meta.len() != job.size || mtime_ns(&meta) != job.mtime_ns {
        return Err(Stop::Fatal(format!(
            "{} changed after it was added to the delivery (size or modification time differs); the draft is kept: attach the file again to deliver the new version",
            job.name
        )));
    }
    Ok(())
}

/// Stops the job when the bytes already on the server (its first `job.offset`, whose
/// hash was saved with the offset) are no longer the file's: a change that kept the size
/// and the modification time. Feeds `hasher` with those bytes; returns how many.
async fn same_prefix(job: &JobRow, hasher: &mut Sha256) -> Result<u64, Stop> {
    let Some(expected) = job.sha256.as_deref().filter(|_| job.offset > 0) else {
        return Ok(0); // nothing sent yet, or saved by a build that kept no prefix hash
    };
    hash_range(&job.path, 0, job.offset, &mut [&mut *hasher])
        .await
        .map_err(|e| io_stop(&job.path, e))?;
    if hex::encode(hasher.clone().finalize()) != expected {
        return Err(Stop::Fatal(format!(
            "{} changed since it was paused: the part already uploaded differs from the file now, so nothing more was sent; cancel this delivery and attach the file again to deliver the new version",
            job.name
        )));
    }
    Ok(job.offset)
}

/// Hex SHA-256 of the `offset` bytes `hasher` was fed, as saved with the offset.
fn prefix_hash(hasher: &Sha256, offset: u64) -> Option<String> {
    (offset > 0).then(|| hex::encode(hasher.clone().finalize()))
}

fn io_stop(path: &str, e: std::io::Error) -> Stop {
    let msg = format!("cannot read {path}: {e}");
    match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => Stop::Fatal(msg),
        _ => Stop::Retry(msg),
    }
}

/// Feeds `hasher` with bytes `[from, to)` of the file.
async fn hash_range(
    path: &str,
    from: u64,
    to: u64,
    hashers: &mut [&mut Sha256],
) -> std::io::Result<()> {
    let mut f = tokio::fs::File::open(path).await?;
    f.seek(std::io::SeekFrom::Start(from)).await?;
    let mut buf = vec![0u8; READ_BUF];
    let mut left = to - from;
    while left > 0 {
        let want = left.min(READ_BUF as u64) as usize;
        let n = f.read(&mut buf[..want]).await?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the file became shorter",
            ));
        }
        for h in hashers.iter_mut() {
            h.update(&buf[..n]);
        }
        left -= n as u64;
    }
    Ok(())
}

/// The tus `Upload-Checksum` value of `len` bytes of `path` from `from`, read and
/// hashed on the calling (blocking) thread.
fn chunk_checksum_blocking(path: &str, from: u64, len: u64) -> std::io::Result<String> {
    use std::io::{Read, Seek};
    let mut f = std::fs::File::open(path)?;
    f.seek(std::io::SeekFrom::Start(from))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; READ_BUF];
    let mut left = len;
    while left > 0 {
        let want = left.min(READ_BUF as u64) as usize;
        let n = f.read(&mut buf[..want])?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the file became shorter",
            ));
        }
        h.update(&buf[..n]);
        left -= n as u64;
    }
    Ok(format!(
        "sha256 {}",
        base64::engine::general_purpose::STANDARD.encode(h.finalize())
    ))
}

async fn chunk_checksum(path: String, from: u64, len: u64) -> std::io::Result<String> {
    tokio::task::spawn_blocking(move || chunk_checksum_blocking(&path, from, len))
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())))
}

fn tus_stop(e: TusError) -> Stop {
    match e {
        TusError::TooLarge(body) => Stop::Fatal(format!(
            "the marketplace refused the file as too large ({body}); share it through a download link instead"
        )),
        e if e.is_retryable() => Stop::Retry(e.to_string()),
        e => Stop::Fatal(e.to_string()),
    }
}

/// One pass: from the server's offset to the end. Returns the file's hex SHA-256.
async fn attempt(
    shared: &Arc<Shared>,
    job: &JobRow,
    flag: &Arc<AtomicU8>,
    meter: &Arc<Mutex<Meter>>,
) -> Result<String, Stop> {
    let client = &shared.client;
    let store = &shared.store;
    let db = |e: crate::store::StoreError| Stop::Fatal(format!("cannot save progress: {e}"));
    unchanged(job)?;
    // Before any request: the bytes the server already has must still be the file's.
    let mut hasher = Sha256::new();
    let mut hashed = same_prefix(job, &mut hasher).await?;
    let checksum = client
        .options()
        .await
        .map(|c| c.checks_sha256())
        .unwrap_or(false);
    // An upload made on another server (the account's address changed, or the demo
    // marketplace restarted on a new port) cannot be resumed there: start the file anew
    // on the account's server; the saved URL gets no request (nor token, nor byte).
    let endpoint = client.endpoint().clone();
    let mut url = job
        .upload_url
        .as_deref()
        .and_then(|u| u.parse::<reqwest::Url>().ok())
        .filter(|u| u.origin() == endpoint.origin());
    let mut offset = 0;
    if let Some(u) = &url {
        match client.offset(u).await {
            Ok(o) => offset = o,
            Err(TusError::Gone) => {
                tracing::info!(job = %job.id, "upload expired on the server: starting over");
                url = None;
            }
            Err(e) => return Err(tus_stop(e)),
        }
    }
    let url = match url {
        Some(u) => u,
        None => {
            let u = client
                .create(
                    job.size,
                    &[("filename", &job.name), ("order_id", &job.order_id)],
                )
                .await
                .map_err(tus_stop)?;
            offset = 0;
            u
        }
    };
    // The hasher holds the checked prefix; the server may have more (a crash after a
    // PATCH, before its offset was saved) or less (a new upload): hash up to its offset.
    if offset < hashed {
        hasher = Sha256::new();
        hashed = 0;
    }
    hash_range(&job.path, hashed, offset, &mut [&mut hasher])
        .await
        .map_err(|e| io_stop(&job.path, e))?;
    store
        .set_job_progress(
            &job.id,
            Some(url.as_str()),
            offset,
            prefix_hash(&hasher, offset).as_deref(),
        )
        .map_err(db)?;
    // With the checksum extension, the next chunk's checksum is computed on a blocking
    // thread while the current chunk is sent: (offset, len, its checksum).
    let mut prefetched: Option<(u64, u64, tokio::task::JoinHandle<std::io::Result<String>>)> = None;
    while offset < job.size {
        if flag.load(Ordering::SeqCst) != RUN {
            return Err(Stop::Asked);
        }
        unchanged(job)?;
        let len = (job.size - offset).min(shared.config.chunk_bytes);
        let header = if checksum {
            let ready = match prefetched.take() {
                Some((at, n, task)) if at == offset && n == len => task
                    .await
                    .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string()))),
                _ => chunk_checksum(job.path.clone(), offset, len).await,
            };
            Some(ready.map_err(|e| io_stop(&job.path, e))?)
        } else {
            None
        };
        let next = offset + len;
        if checksum && next < job.size {
            let n = (job.size - next).min(shared.config.chunk_bytes);
            let path = job.path.clone();
            prefetched = Some((
                next,
                n,
                tokio::task::spawn_blocking(move || chunk_checksum_blocking(&path, next, n)),
            ));
        }
        // The file's hash is fed with the bytes as they are sent: with a checksum, the
        // server verified exactly those bytes.
        let candidate = Arc::new(Mutex::new(hasher.clone()));
        let on_bytes = {
            let candidate = candidate.clone();
            let flag = flag.clone();
            let meter = meter.clone();
            let shared = shared.clone();
            let (id, delivery, total) = (job.id.clone(), job.delivery_id.clone(), job.size);
            let mut sent = offset;
            move |bytes: &[u8]| {
                if flag.load(Ordering::SeqCst) != RUN {
                    return Err(std::io::Error::other("upload stopped by the seller"));
                }
                candidate
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .update(bytes);
                sent += bytes.len() as u64;
                let mut m = meter.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(p) = m.tick(sent, total) {
                    let _ = shared.events.send(UploadProgress {
                        job_id: id.clone(),
                        delivery_id: delivery.clone(),
                        state: JobState::Uploading,
                        bytes_done: sent,
                        total,
                        bytes_per_sec: p.0,
                        seconds_left: p.1,
                        last_error: None,
                    });
                }
                Ok(())
            }
        };
        let result = client
            .patch_file_range(&url, Path::new(&job.path), offset, len, header, on_bytes)
            .await;
        if flag.load(Ordering::SeqCst) != RUN {
            return Err(Stop::Asked);
        }
        let new_offset = match result {
            Ok(o) => o,
            Err(TusError::Gone) => {
                tracing::info!(job = %job.id, "upload gone during PATCH: starting over");
                store.set_job_progress(&job.id, None, 0, None).map_err(db)?;
                return Err(Stop::Retry(
                    "the upload expired on the server; starting the file again".into(),
                ));
            }
            Err(e @ (TusError::OffsetConflict | TusError::ChecksumMismatch)) => {
                tracing::info!(job = %job.id, error = %e, "re-reading the server's offset");
                // Counted, so a server that refuses every chunk ends the job.
                let n = store
                    .note_job_attempt(&job.id, &e.to_string())
                    .map_err(db)?;
                if n >= shared.config.max_attempts {
                    return Err(Stop::Fatal(format!(
                        "gave up after {n} failed attempts in a row: {e}"
                    )));
                }
                client.offset(&url).await.map_err(tus_stop)?
            }
            Err(e) => {
                // The connection may have carried part of the chunk: save what the
                // server confirms (and the hash of the file up to there) before retrying.
                if let Ok(o) = client.offset(&url).await
                    && o > offset
                    && o <= offset + len
                {
                    let mut upto = hasher.clone();
                    // Unreadable now: the next attempt finds out and says why.
                    if hash_range(&job.path, offset, o, &mut [&mut upto])
                        .await
                        .is_ok()
                    {
                        store
                            .set_job_progress(
                                &job.id,
                                Some(url.as_str()),
                                o,
                                prefix_hash(&upto, o).as_deref(),
                            )
                            .map_err(db)?;
                    }
                }
                return Err(tus_stop(e));
            }
        };
        if new_offset == offset + len {
            hasher = candidate.lock().unwrap_or_else(|p| p.into_inner()).clone();
        } else if new_offset >= offset && new_offset < offset + len {
            hash_range(&job.path, offset, new_offset, &mut [&mut hasher])
                .await
                .map_err(|e| io_stop(&job.path, e))?;
        } else {
            return Err(Stop::Fatal(format!(
                "the server reported offset {new_offset} after a PATCH at {offset} of {len} bytes"
            )));
        }
        offset = new_offset;
        store
            .set_job_progress(
                &job.id,
                Some(url.as_str()),
                offset,
                prefix_hash(&hasher, offset).as_deref(),
            )
            .map_err(db)?;
    }
    unchanged(job)?;
    Ok(hex::encode(hasher.finalize()))
}

/// Throttles progress to 5 events per second and smooths the speed.
pub(crate) struct Meter {
    last: Option<(Instant, u64)>,
    speed: f64,
}

impl Meter {
    pub(crate) fn new() -> Meter {
        Meter {
            last: None,
            speed: 0.0,
        }
    }

    /// (bytes/s, seconds left) when an event is due.
    pub(crate) fn tick(&mut self, done: u64, total: u64) -> Option<(f64, Option<f64>)> {
        self.tick_at(Instant::now(), done, total)
    }

    pub(crate) fn tick_at(
        &mut self,
        now: Instant,
        done: u64,
        total: u64,
    ) -> Option<(f64, Option<f64>)> {
        let Some((t, b)) = self.last else {
            self.last = Some((now, done));
            return None;
        };
        let dt = now.duration_since(t).as_secs_f64();
        if dt < 0.2 && done < total {
            return None;
        }
        let rate = done.saturating_sub(b) as f64 / dt.max(1e-3);
        self.speed = if self.speed == 0.0 {
            rate
        } else {
            0.7 * self.speed + 0.3 * rate
        };
        self.last = Some((now, done));
        let left = (self.speed > 0.0).then(|| total.saturating_sub(done) as f64 / self.speed);
        Some((self.speed, left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_throttled_to_five_per_second_with_a_smoothed_speed() {
        let mut m = Meter::new();
        let t0 = Instant::now();
        assert!(
            m.tick_at(t0, 0, 1000).is_none(),
            "the first tick only starts the clock"
        );
        assert!(
            m.tick_at(t0 + Duration::from_millis(100), 50, 1000)
                .is_none(),
            "no event within 200 ms"
        );
        let (speed, left) = m
            .tick_at(t0 + Duration::from_millis(250), 250, 1000)
            .unwrap();
        assert!(
            (speed - 1000.0).abs() < 1.0,
            "250 bytes in 250 ms is 1000 B/s, got {speed}"
        );
        assert!(
            (left.unwrap() - 0.75).abs() < 0.01,
            "750 bytes left at 1000 B/s"
        );
    }
}
