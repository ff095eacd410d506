//! One upload queue per database, across processes: while another process runs the
//! queue of a database (`hold_upload_queue`), a queue here is refused with a clear error,
//! and starts once that process is gone; the other way round too.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use sellerdesk_core::store::Store;
use sellerdesk_core::uploads::{UploadConfig, UploadError, UploadQueue};

fn config() -> UploadConfig {
    UploadConfig::new("acct", "http://127.0.0.1:9", "token", 5 << 30)
}

fn start(db: &Path) -> Result<UploadQueue, UploadError> {
    UploadQueue::start(Arc::new(Store::open(db).unwrap()), config())
}

fn holder(db: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hold_upload_queue"))
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the hold_upload_queue binary must start")
}

/// The child's first line of output, waited for at most 60 s.
fn first_line(child: &mut Child) -> String {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(out).read_line(&mut line);
        let _ = tx.send(line);
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the other process must say whether its queue runs within 60 s")
}

#[test]
fn a_second_process_cannot_run_the_upload_queue_of_the_same_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");
    drop(Store::open(&db).unwrap());

    let mut child = holder(&db);
    assert_eq!(
        first_line(&mut child).trim(),
        "ready",
        "the other process must run the queue first"
    );
    let err = start(&db)
        .err()
        .expect("a queue must be refused while another process runs the queue of this database");
    assert!(
        matches!(err, UploadError::QueueBusy { pid: Some(p) } if p == child.id()),
        "the refusal must be QueueBusy naming the other process {}: {err:?}",
        child.id()
    );
    assert!(
        err.to_string()
            .contains("already uploading from this data folder"),
        "the message must say another process is uploading: {err}"
    );

    drop(child.stdin.take()); // the other process ends
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "the other process must end cleanly: {status}"
    );
    let queue = start(&db).expect("the queue must start once the other process is gone");

    // The other way round: this process holds it, a new process is refused.
    let mut second = holder(&db);
    let status = second.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(
        status.code(),
        Some(2),
        "a second process must refuse to start its queue (stderr: {stderr})"
    );
    assert!(
        stderr.contains("already uploading"),
        "the second process must say why: {stderr}"
    );
    drop(queue);
}

#[test]
fn queues_of_several_accounts_in_one_process_share_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");
    let first = start(&db).expect("the first queue must start");
    let mut other = config();
    other.account_id = "second".into();
    let second = UploadQueue::start(Arc::new(Store::open(&db).unwrap()), other)
        .expect("another account's queue in the same process must start too");
    drop((first, second));
}
