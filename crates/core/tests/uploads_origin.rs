//! The upload client stays on the account's origin, against hostile servers on
//! 127.0.0.1: a `Location` or a redirect to another origin fails the job with a clear
//! error while that origin (a recording listener) hears nothing, neither token nor
//! byte; an upload URL saved on another origin is never requested.

mod common;

use std::time::Duration;

use common::http::{Canned, CannedServer, Recorder, Request, tus_options};
use common::uploads::*;
use rstest::rstest;
use sellerdesk_core::store::JobState;
use sellerdesk_core::uploads::tus::{TusClient, TusError};

/// How the account's own (hostile) tus server answers the upload.
#[derive(Clone, Copy, Debug)]
enum Hostile {
    /// create answers `Location: <the recorder>/files/x` (127.0.0.1, another port).
    LocationOnAnotherPort,
    /// create answers `Location: http://other-host.invalid/files/x`.
    LocationOnAnotherHost,
    /// create answers 307 to the recorder.
    CreateRedirected,
    /// create is fine, PATCH answers 308 to the recorder.
    PatchRedirected,
}

async fn hostile_server(mode: Hostile, recorder: &Recorder) -> CannedServer {
    let elsewhere = recorder.url("/files/x");
    CannedServer::start(move |req: &Request| match (req.method.as_str(), mode) {
        ("OPTIONS", _) => tus_options(),
        ("POST", Hostile::LocationOnAnotherPort) => {
            Canned::new("201 Created").header("Location", &elsewhere)
        }
        ("POST", Hostile::LocationOnAnotherHost) => {
            Canned::new("201 Created").header("Location", "http://other-host.invalid/files/x")
        }
        ("POST", Hostile::CreateRedirected) => {
            Canned::new("307 Temporary Redirect").header("Location", &elsewhere)
        }
        ("POST", Hostile::PatchRedirected) => {
            Canned::new("201 Created").header("Location", "/v1/uploads/f1")
        }
        ("PATCH", _) => Canned::new("308 Permanent Redirect").header("Location", &elsewhere),
        _ => Canned::new("405 Method Not Allowed"),
    })
    .await
}

#[rstest]
#[case::location_on_another_port(Hostile::LocationOnAnotherPort, "nothing was sent there")]
#[case::location_on_another_host(Hostile::LocationOnAnotherHost, "nothing was sent there")]
#[case::create_redirected(Hostile::CreateRedirected, "asked to go to")]
#[case::patch_redirected(Hostile::PatchRedirected, "asked to go to")]
#[tokio::test]
async fn an_upload_sent_to_another_origin_fails_clearly_and_nothing_goes_there(
    #[case] mode: Hostile,
    #[case] says: &str,
) {
    let recorder = Recorder::start().await;
    let server = hostile_server(mode, &recorder).await;
    let dir = tempfile::tempdir().unwrap();
    let _ws = workspace_on(dir.path(), &server.base_url(), "secret-token");
    let queue = queue_on(dir.path(), &server.base_url(), "secret-token", |_| {});
    let f = dir.path().join("work.bin");
    write_file(&f, 64 * 1024, 1);
    queue
        .submit_delivery("acct", "D-1", &content(&[&f]))
        .unwrap();

    let job = settled(&queue, 60).await;
    assert_eq!(
        job.state,
        JobState::Failed,
        "an upload pointed at another origin must fail ({mode:?}): {job:?}"
    );
    assert_eq!(
        job.attempts, 0,
        "another origin is not worth retrying ({mode:?}): {job:?}"
    );
    let err = job.last_error.unwrap_or_default();
    assert!(
        err.contains(says) && err.contains("nothing was sent there"),
        "the error must say the upload was kept to the account's address ({mode:?}): {err}"
    );
    assert_eq!(
        recorder.connections_so_far().await,
        0,
        "the other origin must get no request, so neither the token nor a byte ({mode:?})"
    );
    let patches = server
        .requests()
        .iter()
        .filter(|r| r.starts_with("PATCH"))
        .count();
    let expected = usize::from(matches!(mode, Hostile::PatchRedirected));
    assert_eq!(
        patches,
        expected,
        "only a PATCH to the account's own URL may be sent ({mode:?}): {:?}",
        server.requests()
    );
}

#[tokio::test]
async fn a_saved_url_on_another_origin_is_refused_before_any_request() {
    let recorder = Recorder::start().await;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("work.bin");
    write_file(&f, 4096, 2);
    let client =
        TusClient::new("http://127.0.0.1:9/v1/uploads", Some("secret-token".into())).unwrap();
    let foreign = recorder.url("/files/x").parse().unwrap();

    let refused = |e: TusError| matches!(e, TusError::ForeignOrigin { .. });
    assert!(
        refused(client.offset(&foreign).await.unwrap_err()),
        "HEAD to another origin must be refused"
    );
    let read = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = read.clone();
    let err = client
        .patch_file_range(&foreign, &f, 0, 4096, None, move |_| {
            seen.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(refused(err), "PATCH to another origin must be refused");
    assert!(
        !read.load(std::sync::atomic::Ordering::SeqCst),
        "not a byte of the file may be read for another origin"
    );
    assert!(
        refused(client.terminate(&foreign).await.unwrap_err()),
        "DELETE to another origin must be refused"
    );
    assert_eq!(
        recorder.connections_so_far().await,
        0,
        "the other origin must get no request"
    );
}

#[tokio::test]
async fn a_job_restored_with_a_url_on_another_origin_never_requests_it() {
    let recorder = Recorder::start().await;
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace_on(dir.path(), &sim.base_url(), sim.token());
    let queue = queue_on(dir.path(), &sim.base_url(), sim.token(), |c| {
        c.retry_base = Duration::from_secs(2);
    });
    let f = dir.path().join("restored.bin");
    let sha = write_file(&f, 8 << 20, 3);
    queue
        .submit_delivery("acct", &in_progress(&sim), &content(&[&f]))
        .unwrap();
    let done = pause_between_requests(&sim, &queue, 2 << 20).await;
    drop(queue);

    // As if saved before a restart by a build that followed a foreign Location.
    let job = ws.store().upload_jobs().unwrap().pop().unwrap();
    ws.store()
        .set_job_progress(
            &job.id,
            Some(&recorder.url("/files/x")),
            done,
            job.sha256.as_deref(),
        )
        .unwrap();
    let queue = queue_on(dir.path(), &sim.base_url(), sim.token(), |_| {});
    queue.resume(&job.id).unwrap();
    let settled_job = settled(&queue, 60).await;
    assert_eq!(
        settled_job.state,
        JobState::Done,
        "the file must be uploaded anew on the account's server: {settled_job:?}"
    );
    assert_eq!(
        recorder.connections_so_far().await,
        0,
        "a saved URL on another origin must get no request, token or byte"
    );
    let complete: Vec<_> = sim
        .handle()
        .uploads()
        .into_iter()
        .filter(|u| u.is_complete())
        .collect();
    // The first queue, dropped mid-upload, may still finish its own upload under load:
    // what matters is that every complete copy is on the account's server and whole.
    assert!(
        !complete.is_empty(),
        "a complete upload on the account's server"
    );
    assert!(
        complete.iter().all(|u| u.sha256 == sha),
        "the server's files must equal the source"
    );
}
