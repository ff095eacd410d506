//! Runs the upload queue of a database until its standard input closes: the second
//! process of the one-queue-per-database test (`tests/upload_queue_lock.rs`), and a way
//! to check by hand that another process's queue is refused.
//!
//! Usage: `hold_upload_queue <database>`. Prints `ready` once the queue runs; when it
//! cannot start, prints why on stderr and exits with status 2.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use sellerdesk_core::store::Store;
use sellerdesk_core::uploads::{UploadConfig, UploadQueue};

fn main() -> ExitCode {
    let Some(db) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: hold_upload_queue <database>");
        return ExitCode::from(64);
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let _context = runtime.enter();
    let store = match Store::open(&db) {
        Ok(store) => Arc::new(store),
        Err(e) => {
            eprintln!("cannot open {}: {e}", db.display());
            return ExitCode::FAILURE;
        }
    };
    // No account of this name has jobs: the queue holds the database and uploads nothing.
    let config = UploadConfig::new("hold-upload-queue", "http://127.0.0.1:9", "unused", 0);
    let queue = match UploadQueue::start(store, config) {
        Ok(queue) => queue,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout();
    if writeln!(out, "ready").and_then(|()| out.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    drop(queue);
    ExitCode::SUCCESS
}
