//! What a resume checks, against the real simulator: the retry budget counts failures
//! in a row (progress starts it again), and a file changed inside the part already
//! uploaded, with the same size and modification time, is refused with nothing sent.

mod common;

use std::io::{Seek as _, SeekFrom, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use common::http::{Canned, CannedServer, Request, tus_options};
use common::uploads::*;
use sellerdesk_core::store::JobState;
use sellerdesk_core::uploads::UploadQueue;

/// A tus server whose PATCHes fail (503) or go through as `script` says, in order
/// (`true`: through), and go through after it; HEAD tells the confirmed offset.
async fn scripted_tus(script: &'static [bool]) -> CannedServer {
    let offset = Arc::new(AtomicU64::new(0));
    let patches = AtomicUsize::new(0);
    CannedServer::start(move |req: &Request| match req.method.as_str() {
        "OPTIONS" => tus_options(),
        "POST" => Canned::new("201 Created").header("Location", "/v1/uploads/f1"),
        "HEAD" => Canned::new("200 OK")
            .header("Upload-Offset", &offset.load(Ordering::SeqCst).to_string())
            .header("Cache-Control", "no-store"),
        "PATCH" => {
            let n = patches.fetch_add(1, Ordering::SeqCst);
            if !script.get(n).copied().unwrap_or(true) {
                return Canned::new("503 Service Unavailable");
            }
            let len: u64 = req.header("content-length").unwrap().parse().unwrap();
            let at = offset.fetch_add(len, Ordering::SeqCst) + len;
            Canned::new("204 No Content").header("Upload-Offset", &at.to_string())
        }
        _ => Canned::new("405 Method Not Allowed"),
    })
    .await
}

/// A queue with a budget of `BUDGET` failures in a row, uploading 4 chunks to `server`.
async fn four_chunks_to(server: &CannedServer, dir: &std::path::Path) -> UploadQueue {
    let _ws = workspace_on(dir, &server.base_url(), "token");
    let queue = queue_on(dir, &server.base_url(), "token", |c| {
        c.max_attempts = BUDGET;
        c.chunk_bytes = 1024;
        c.retry_base = Duration::from_millis(1);
    });
    let f = dir.join("flaky.bin");
    write_file(&f, 4 * 1024, 11);
    queue
        .submit_delivery("acct", "D-1", &content(&[&f]))
        .unwrap();
    queue
}

const BUDGET: u32 = 3;
const F: bool = false;
const T: bool = true;

#[tokio::test]
async fn failures_separated_by_progress_do_not_use_up_the_retry_budget() {
    // Each chunk fails BUDGET - 1 times, then goes through.
    let server = scripted_tus(&[F, F, T, F, F, T, F, F, T, F, F, T]).await;
    let dir = tempfile::tempdir().unwrap();
    let queue = four_chunks_to(&server, dir.path()).await;
    let job = settled(&queue, 60).await;
    assert_eq!(
        job.state,
        JobState::Done,
        "8 failures, never {BUDGET} in a row, must not fail a job with a budget of {BUDGET} in a row: {job:?}"
    );
    let patches = server
        .requests()
        .iter()
        .filter(|r| r.starts_with("PATCH"))
        .count();
    assert_eq!(patches, 12, "every scripted failure must have happened");
}

#[tokio::test]
async fn failures_in_a_row_use_up_the_budget_and_a_resume_gives_a_fresh_one() {
    // BUDGET failures in a row; after the resume, one more failure, then success.
    let server = scripted_tus(&[F, F, F, F, T]).await;
    let dir = tempfile::tempdir().unwrap();
    let queue = four_chunks_to(&server, dir.path()).await;
    let job = settled(&queue, 60).await;
    assert_eq!(
        (job.state, job.attempts, job.bytes_done),
        (JobState::Failed, BUDGET, 0),
        "{BUDGET} failures in a row must fail the job: {job:?}"
    );
    assert!(
        job.last_error
            .as_deref()
            .is_some_and(|e| e.contains("3 failed attempts in a row")),
        "the error must say how many attempts failed in a row: {job:?}"
    );

    queue.resume(&job.id).unwrap();
    let job = settled(&queue, 60).await;
    assert_eq!(
        job.state,
        JobState::Done,
        "a failure right after a resume must not fail the job again: the resume gives a fresh budget: {job:?}"
    );
}

#[tokio::test]
async fn a_file_changed_inside_the_uploaded_part_is_refused_on_resume_with_nothing_sent() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace_on(dir.path(), &sim.base_url(), sim.token());
    let queue = queue_on(dir.path(), &sim.base_url(), sim.token(), |c| {
        c.retry_base = Duration::from_secs(2);
    });
    let f = dir.path().join("same-size.bin");
    write_file(&f, 16 << 20, 12);
    queue
        .submit_delivery("acct", &in_progress(&sim), &content(&[&f]))
        .unwrap();
    pause_between_requests(&sim, &queue, 2 << 20).await;
    let paused = queue.jobs().unwrap().pop().unwrap();
    let received = sim.handle().upload_bytes_received();
    let on_server = sim.handle().uploads().pop().unwrap().offset;
    assert!(paused.bytes_done > 0, "part of the file must be uploaded");

    // One byte inside the uploaded part changes; size and modification time do not.
    let mtime = std::fs::metadata(&f).unwrap().modified().unwrap();
    let mut file = std::fs::OpenOptions::new().write(true).open(&f).unwrap();
    file.seek(SeekFrom::Start(paused.bytes_done / 2)).unwrap();
    file.write_all(&[0xA5]).unwrap();
    file.set_modified(mtime).unwrap();
    drop(file);

    queue.resume(&paused.id).unwrap();
    let job = settled(&queue, 60).await;
    assert_eq!(
        job.state,
        JobState::Failed,
        "a file changed since it was paused must fail its job: {job:?}"
    );
    let err = job.last_error.unwrap_or_default();
    assert!(
        err.contains("same-size.bin") && err.contains("changed since it was paused"),
        "the error must name the file and say it changed since it was paused: {err}"
    );
    assert_eq!(
        sim.handle().upload_bytes_received(),
        received,
        "no byte may be sent for a changed file"
    );
    assert_eq!(
        sim.handle().uploads().pop().unwrap().offset,
        on_server,
        "the server's upload must not move"
    );
    assert!(
        ws.store().pending_actions("acct").unwrap().is_empty(),
        "nothing may be delivered"
    );
}
