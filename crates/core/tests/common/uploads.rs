//! Upload helpers: a simulator, a workspace and an upload queue on one file database,
//! source files, and waiting for a job or a delivery to reach a state.

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use sellerdesk_api::OrderStatus;
use sellerdesk_core::store::{Account, DraftContent, DraftFile, JobState, Store};
use sellerdesk_core::uploads::{UploadConfig, UploadJobView, UploadQueue};
use sellerdesk_core::{Workspace, system_clock};
use sellerdesk_sim::{Fault, FaultPlan, RunningSim, SimConfig};
use sha2::Digest as _;

pub async fn sim() -> RunningSim {
    sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

pub fn in_progress(sim: &RunningSim) -> String {
    sim.handle()
        .orders()
        .into_iter()
        .find(|o| o.status == OrderStatus::InProgress)
        .expect("a demo order in progress")
        .id
}

/// A workspace on `<dir>/sellerdesk.db` with account "acct" at `base_url`.
pub fn workspace_on(dir: &Path, base_url: &str, token: &str) -> Workspace {
    let account = Account::new("acct", "Test", base_url);
    Workspace::with_store(
        Store::open(&dir.join("sellerdesk.db")).unwrap(),
        vec![(account, token.to_string())],
        false,
        system_clock(),
    )
    .unwrap()
}

/// The upload queue of account "acct" at `base_url` over `<dir>/sellerdesk.db`.
pub fn queue_on(
    dir: &Path,
    base_url: &str,
    token: &str,
    tune: impl FnOnce(&mut UploadConfig),
) -> UploadQueue {
    let mut config = UploadConfig::new("acct", base_url, token, 5 << 30);
    config.chunk_bytes = 1 << 20;
    config.retry_base = Duration::from_millis(100);
    tune(&mut config);
    UploadQueue::start(
        Arc::new(Store::open(&dir.join("sellerdesk.db")).unwrap()),
        config,
    )
    .unwrap()
}

/// Writes `len` bytes that differ in every MiB; returns their hex SHA-256.
pub fn write_file(path: &Path, len: usize, seed: u8) -> String {
    let mut f = std::fs::File::create(path).unwrap();
    let block: Vec<u8> = (0..1 << 20)
        .map(|i: usize| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect();
    let mut left = len;
    let mut n = 0u8;
    while left > 0 {
        let take = left.min(block.len());
        let mut b = block[..take].to_vec();
        b[0] = n;
        n = n.wrapping_add(1);
        f.write_all(&b).unwrap();
        left -= take;
    }
    f.sync_all().unwrap();
    let mut h = sha2::Sha256::new();
    std::io::copy(&mut std::fs::File::open(path).unwrap(), &mut h).unwrap();
    hex::encode(h.finalize())
}

pub fn content(files: &[&Path]) -> DraftContent {
    DraftContent {
        description: "Here is the work".into(),
        files: files
            .iter()
            .map(|p| DraftFile {
                path: p.display().to_string(),
                name: p.file_name().unwrap().to_string_lossy().into(),
                size: std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            })
            .collect(),
        ..DraftContent::default()
    }
}

/// Polls the queue's only job until `done` holds for it (at most `secs`); returns it.
pub async fn wait_job(
    queue: &UploadQueue,
    secs: u64,
    what: &str,
    mut done: impl FnMut(&UploadJobView) -> bool,
) -> UploadJobView {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let job = queue.jobs().unwrap().pop().expect("one upload job");
        if done(&job) {
            return job;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the job must be {what} within {secs} s: {job:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the queue's only job is done, failed or canceled.
pub async fn settled(queue: &UploadQueue, secs: u64) -> UploadJobView {
    wait_job(queue, secs, "settled", |j| {
        matches!(
            j.state,
            JobState::Done | JobState::Failed | JobState::Canceled
        )
    })
    .await
}

/// Pauses the queue's only job between two requests once `bytes` are uploaded (the
/// simulator refuses everything until the job waits to retry, then it is paused), so no
/// request is under way; returns the bytes the server confirmed.
pub async fn pause_between_requests(sim: &RunningSim, queue: &UploadQueue, bytes: u64) -> u64 {
    wait_job(queue, 60, "partly uploaded", |j| j.bytes_done >= bytes).await;
    sim.handle()
        .set_fault(FaultPlan::always(Fault::ServerError));
    let job = wait_job(queue, 30, "waiting to retry", |j| j.attempts >= 1).await;
    queue.pause(&job.id).unwrap();
    let job = wait_job(queue, 30, "paused", |j| j.state == JobState::Paused).await;
    sim.handle().clear_faults();
    job.bytes_done
}
