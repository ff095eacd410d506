//! The upload queue against the real simulator's tus server: deliveries uploaded, queued
//! once and delivered; cut connections resumed; expired uploads restarted; oversized and
//! changed files refused with clear messages; cancel terminates on the server; and an
//! upload SIGKILLed several times in a child process still completes exactly once.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use common::uploads::{content, in_progress, sim, workspace_on, write_file};
use sellerdesk_api::{OrderAction, OrderStatus};
use sellerdesk_core::Workspace;
use sellerdesk_core::store::{DeliveryState, JobState, OutboxState, Store};
use sellerdesk_core::uploads::tus::{TusClient, TusError};
use sellerdesk_core::uploads::{UploadConfig, UploadError, UploadQueue};
use sellerdesk_sim::{Fault, FaultPlan, RunningSim};

/// A workspace on a file database, and the queue on a second connection to it.
fn setup(sim: &RunningSim, dir: &Path, chunk: u64) -> (Workspace, UploadQueue) {
    let ws = workspace_on(dir, &sim.base_url(), sim.token());
    let queue = queue_on(sim, &dir.join("sellerdesk.db"), chunk);
    (ws, queue)
}

fn queue_on(sim: &RunningSim, db: &Path, chunk: u64) -> UploadQueue {
    let mut config = UploadConfig::new("acct", &sim.base_url(), sim.token(), 5 << 30);
    config.chunk_bytes = chunk;
    config.retry_base = Duration::from_millis(100);
    UploadQueue::start(Arc::new(Store::open(db).unwrap()), config).unwrap()
}

/// Waits until the delivery leaves `uploading` (or a timeout).
async fn settle(queue: &UploadQueue, id: &str, secs: u64) -> DeliveryState {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let d = queue
            .deliveries()
            .unwrap()
            .into_iter()
            .find(|d| d.id == id)
            .unwrap();
        let jobs_busy = queue.jobs().unwrap().iter().any(|j| {
            j.delivery_id == id && matches!(j.state, JobState::Queued | JobState::Uploading)
        });
        if (d.state != DeliveryState::Uploading && !jobs_busy)
            || tokio::time::Instant::now() > deadline
        {
            return d.state;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_multi_file_delivery_is_uploaded_queued_once_and_delivered() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (ws, queue) = setup(&sim, dir.path(), 1 << 20);
    let order = in_progress(&sim);
    let a = dir.path().join("a.bin");
    let b = dir.path().join("b.txt");
    let sha_a = write_file(&a, 3 * (1 << 20) + 17, 1);
    let sha_b = write_file(&b, 1000, 2);
    let mut events = queue.subscribe();

    let id = queue
        .submit_delivery("acct", &order, &content(&[&a, &b]))
        .unwrap();
    assert_eq!(
        settle(&queue, &id, 60).await,
        DeliveryState::Queued,
        "jobs: {:?}",
        queue.jobs()
    );

    let outbox = ws.store().pending_actions("acct").unwrap();
    let delivers: Vec<_> = outbox
        .iter()
        .filter(|i| matches!(i.action, OrderAction::Deliver(_)))
        .collect();
    assert_eq!(
        delivers.len(),
        1,
        "exactly one deliver action must be queued"
    );
    let OrderAction::Deliver(d) = &delivers[0].action else {
        unreachable!()
    };
    assert_eq!(
        d.files
            .iter()
            .map(|f| (f.name.as_str(), f.sha256.as_str()))
            .collect::<Vec<_>>(),
        vec![("a.bin", sha_a.as_str()), ("b.txt", sha_b.as_str())],
        "files in the attached order with the hashes of the sources"
    );
    let mut saw_progress = false;
    while let Ok(p) = events.try_recv() {
        saw_progress |= p.state == JobState::Uploading && p.bytes_done > 0;
    }
    assert!(saw_progress, "progress events must be sent while uploading");

    assert!(
        ws.sync_once().await.error.is_none(),
        "sync pushes the delivery"
    );
    assert_eq!(
        sim.handle().order(&order).unwrap().status,
        OrderStatus::Delivered
    );
    assert_eq!(
        sim.handle().deliveries(&order).len(),
        1,
        "exactly one delivery recorded"
    );
    assert!(
        ws.store().pending_actions("acct").unwrap().is_empty(),
        "the outbox is drained"
    );
    let item = ws.store().open_actions_of("acct", &order).unwrap();
    assert!(
        item.iter().all(|i| i.state != OutboxState::Failed),
        "{item:?}"
    );
}

#[tokio::test]
async fn a_cut_connection_resumes_from_the_servers_offset() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (_ws, queue) = setup(&sim, dir.path(), 4 << 20);
    let f = dir.path().join("big.bin");
    let len = 8 << 20;
    let sha = write_file(&f, len, 3);
    sim.handle().set_fault(FaultPlan {
        fault: Fault::CutUploadAfter { bytes: 1_500_000 },
        count: Some(2),
    });
    let id = queue
        .submit_delivery("acct", &in_progress(&sim), &content(&[&f]))
        .unwrap();
    assert_eq!(
        settle(&queue, &id, 60).await,
        DeliveryState::Queued,
        "jobs: {:?}",
        queue.jobs()
    );
    let job = &queue.jobs().unwrap()[0];
    let upload = sim.handle().uploads().into_iter().next().unwrap();
    assert_eq!(
        upload.sha256, sha,
        "the server's file must equal the source"
    );
    assert_eq!(
        job.attempts, 0,
        "progress after the cuts must leave no failures in a row: {job:?}"
    );
    let received = sim.handle().upload_bytes_received();
    assert!(
        received <= len as u64 + 2 * 4 * (1 << 20),
        "a resume sends only what the server lacks (received {received})"
    );
}

#[tokio::test]
async fn a_chunk_with_a_wrong_checksum_is_refused_with_460_and_discarded() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.bin");
    write_file(&f, 4096, 4);
    let client = TusClient::new(
        &format!("{}/v1/uploads", sim.base_url()),
        Some(sim.token().into()),
    )
    .unwrap();
    let caps = client.options().await.unwrap();
    assert!(
        caps.checks_sha256(),
        "the simulator checks sha256: {caps:?}"
    );
    let url = client.create(4096, &[("filename", "c.bin")]).await.unwrap();
    let wrong = "sha256 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".to_string();
    let err = client
        .patch_file_range(&url, &f, 0, 4096, Some(wrong), |_| Ok(()))
        .await
        .unwrap_err();
    assert!(matches!(err, TusError::ChecksumMismatch), "got {err:?}");
    assert_eq!(
        client.offset(&url).await.unwrap(),
        0,
        "a 460 chunk must be discarded"
    );
    // The queue's own chunks carry the right checksum and go through.
    let (_ws, queue) = setup(&sim, dir.path(), 1024);
    let id = queue
        .submit_delivery("acct", &in_progress(&sim), &content(&[&f]))
        .unwrap();
    assert_eq!(settle(&queue, &id, 30).await, DeliveryState::Queued);
}

#[tokio::test]
async fn an_expired_upload_starts_over_cleanly() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (_ws, queue) = setup(&sim, dir.path(), 1 << 20);
    let f = dir.path().join("e.bin");
    let sha = write_file(&f, 16 << 20, 5);
    let mut events = queue.subscribe();
    let id = queue
        .submit_delivery("acct", &in_progress(&sim), &content(&[&f]))
        .unwrap();
    let job = loop {
        let p = events.recv().await.unwrap();
        if p.bytes_done >= 2 << 20 {
            break p.job_id;
        }
    };
    queue.pause(&job).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let first = queue.jobs().unwrap()[0].clone();
    assert_eq!(first.state, JobState::Paused);
    sim.handle().advance_clock(chrono::Duration::hours(25));
    queue.resume(&job).unwrap();
    assert_eq!(
        settle(&queue, &id, 60).await,
        DeliveryState::Queued,
        "{:?}",
        queue.jobs()
    );
    let complete: Vec<_> = sim
        .handle()
        .uploads()
        .into_iter()
        .filter(|u| u.is_complete())
        .collect();
    assert_eq!(complete.len(), 1, "one new complete upload");
    assert_eq!(
        complete[0].sha256, sha,
        "the restarted upload holds the whole file"
    );
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_before_any_byte_is_sent() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (ws, queue) = setup(&sim, dir.path(), 1 << 20);
    let f = dir.path().join("huge.mov");
    std::fs::File::create(&f)
        .unwrap()
        .set_len((5 << 30) + 1)
        .unwrap();
    let err = queue
        .submit_delivery("acct", &in_progress(&sim), &content(&[&f]))
        .unwrap_err();
    assert!(matches!(err, UploadError::TooLarge { .. }), "got {err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("huge.mov") && msg.contains("download link"),
        "message: {msg}"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        sim.handle().upload_bytes_received(),
        0,
        "no byte may be sent"
    );
    assert!(
        sim.handle().uploads().is_empty(),
        "no upload may be created"
    );
    assert!(
        queue.jobs().unwrap().is_empty() && ws.store().pending_actions("acct").unwrap().is_empty()
    );

    let missing = dir.path().join("gone.txt");
    let err = queue
        .submit_delivery("acct", "x", &content(&[&missing]))
        .unwrap_err();
    assert!(err.to_string().contains("gone.txt"), "message: {err}");
    let err = queue
        .submit_delivery("acct", "x", &content(&[]))
        .unwrap_err();
    assert!(
        matches!(err, UploadError::NoFileNotConfirmed),
        "got {err:?}"
    );
    let err = queue
        .submit_delivery("other", "x", &content(&[&missing]))
        .unwrap_err();
    assert!(
        matches!(err, UploadError::OtherAccount(_)),
        "a queue must only take its own account's deliveries: {err:?}"
    );
}

#[tokio::test]
async fn a_file_changed_mid_upload_fails_the_job_and_keeps_the_draft() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (ws, queue) = setup(&sim, dir.path(), 1 << 20);
    let order = in_progress(&sim);
    let f = dir.path().join("m.bin");
    write_file(&f, 32 << 20, 6);
    let draft = content(&[&f]);
    ws.store()
        .save_draft("acct", &order, None, &draft, 1)
        .unwrap();
    let mut events = queue.subscribe();
    let id = queue.submit_delivery("acct", &order, &draft).unwrap();
    loop {
        if events.recv().await.unwrap().bytes_done >= 1 << 20 {
            break;
        }
    }
    std::fs::OpenOptions::new()
        .append(true)
        .open(&f)
        .unwrap()
        .write_all(b"more")
        .unwrap();
    assert_eq!(settle(&queue, &id, 60).await, DeliveryState::Failed);
    let job = &queue.jobs().unwrap()[0];
    assert_eq!(job.state, JobState::Failed);
    let err = job.last_error.clone().unwrap_or_default();
    assert!(
        err.contains("m.bin") && err.contains("changed"),
        "message: {err}"
    );
    assert!(
        ws.store().draft("acct", &order).unwrap().is_some(),
        "the draft must be kept"
    );
    assert!(
        ws.store().pending_actions("acct").unwrap().is_empty(),
        "nothing delivered"
    );
}

#[tokio::test]
async fn cancel_terminates_the_upload_on_the_server() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (_ws, queue) = setup(&sim, dir.path(), 1 << 20);
    let f = dir.path().join("k.bin");
    write_file(&f, 32 << 20, 7);
    let mut events = queue.subscribe();
    let id = queue
        .submit_delivery("acct", &in_progress(&sim), &content(&[&f]))
        .unwrap();
    loop {
        if events.recv().await.unwrap().bytes_done >= 1 << 20 {
            break;
        }
    }
    queue.cancel(&id).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        sim.handle().uploads().is_empty(),
        "the server must have dropped the upload"
    );
    let d = &queue.deliveries().unwrap()[0];
    assert_eq!(d.state, DeliveryState::Canceled);
    assert_eq!(queue.jobs().unwrap()[0].state, JobState::Canceled);
}

#[tokio::test]
async fn an_upload_started_on_another_server_starts_over_on_the_new_one() {
    let first = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");
    let (_ws, queue) = setup(&first, dir.path(), 1 << 20);
    let f = dir.path().join("moved.bin");
    let sha = write_file(&f, 24 << 20, 9);
    let mut events = queue.subscribe();
    let id = queue
        .submit_delivery("acct", &in_progress(&first), &content(&[&f]))
        .unwrap();
    while events.recv().await.unwrap().bytes_done < 2 << 20 {}
    let job = queue.jobs().unwrap()[0].id.clone();
    queue.pause(&job).unwrap();
    drop(queue);
    first.shutdown().await;

    // The marketplace now answers elsewhere (a new address, or the demo restarted).
    let second = sim().await;
    let queue = queue_on(&second, &db, 1 << 20);
    queue.resume(&job).unwrap();
    assert_eq!(
        settle(&queue, &id, 60).await,
        DeliveryState::Queued,
        "jobs: {:?}",
        queue.jobs()
    );
    let uploads = second.handle().uploads();
    assert_eq!(
        uploads.len(),
        1,
        "one upload, made from the start on the new server"
    );
    assert_eq!(uploads[0].sha256, sha);
}

// ---- crash test: the upload runs in a child process killed with SIGKILL ----

const CHILD_ENV: &str = "SELLERDESK_UPLOAD_CHILD";

/// Child mode: resume the queue over the database and upload until killed.
#[test]
fn crash_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return; // not a child: nothing to do
    };
    let mut parts = spec.splitn(3, '|');
    let (base, token, db) = (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
        PathBuf::from(parts.next().unwrap()),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async move {
        let mut config = UploadConfig::new("acct", &base, &token, 5 << 30);
        config.chunk_bytes = 4 << 20;
        config.retry_base = Duration::from_millis(100);
        let _queue = UploadQueue::start(Arc::new(Store::open(&db).unwrap()), config).unwrap();
        tokio::time::sleep(Duration::from_secs(600)).await;
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_killed_several_times_completes_once() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");
    let (ws, queue) = setup(&sim, dir.path(), 16 << 20);
    let order = in_progress(&sim);
    let f = dir.path().join("crash.bin");
    let len = 256usize << 20;
    let sha = write_file(&f, len, 8);
    // Recorded without starting here: pause at once, the children do the work.
    let id = queue
        .submit_delivery("acct", &order, &content(&[&f]))
        .unwrap();
    let job = queue.jobs().unwrap()[0].id.clone();
    queue.pause(&job).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(queue);
    let store = Store::open(&db).unwrap();
    store
        .move_job(&job, &[JobState::Paused], JobState::Queued, None)
        .unwrap();

    let exe = std::env::current_exe().unwrap();
    let spec = format!("{}|{}|{}", sim.base_url(), sim.token(), db.display());
    let child = || {
        std::process::Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture"])
            .env(CHILD_ENV, &spec)
            .spawn()
            .unwrap()
    };
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let mut kills = 0;
    let offset = || store.upload_job(&job).unwrap().unwrap().offset;
    let mut progressed = Vec::new();
    for _ in 0..4 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let before = offset();
        let mut c = child();
        // Kill only once this child has uploaded (its confirmed offset moved), then at a
        // random point inside a following chunk.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while offset() == before && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // A few 4 MiB chunks at most: the upload must still be running when killed.
        tokio::time::sleep(Duration::from_millis((seed >> 33) % 40)).await;
        let done = store.upload_job(&job).unwrap().unwrap().state == JobState::Done;
        c.kill().unwrap(); // SIGKILL
        c.wait().unwrap();
        if done {
            break;
        }
        progressed.push(offset());
        kills += 1;
    }
    eprintln!("crash test: confirmed offsets after each kill: {progressed:?}");
    let mut c = child();
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    while store.delivery(&id).unwrap().unwrap().state != DeliveryState::Queued {
        assert!(
            std::time::Instant::now() < deadline,
            "the upload must complete: {:?}",
            store.upload_job(&job)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.kill().unwrap();
    c.wait().unwrap();
    assert!(
        kills >= 3,
        "the child must have been killed mid-upload at least three times ({kills})"
    );

    let complete: Vec<_> = sim
        .handle()
        .uploads()
        .into_iter()
        .filter(|u| u.is_complete())
        .collect();
    assert_eq!(complete.len(), 1);
    assert_eq!(
        complete[0].sha256, sha,
        "the server's file must equal the source"
    );
    let received = sim.handle().upload_bytes_received();
    eprintln!(
        "crash test: {kills} SIGKILLs, server received {received} bytes for a {len}-byte file"
    );
    assert!(
        received as f64 <= 1.1 * len as f64,
        "bytes received {received} must stay within 1.1 x {len} after {kills} kills"
    );
    assert!(ws.sync_once().await.error.is_none());
    assert_eq!(
        sim.handle().deliveries(&order).len(),
        1,
        "exactly one delivery recorded"
    );
    assert_eq!(
        sim.handle().order(&order).unwrap().status,
        OrderStatus::Delivered
    );
}
