//! Two processes on one data folder: the second cannot take the folder's lock while the
//! first holds it, and can once the first has ended — by exiting or by being killed. The
//! test re-runs its own binary as the first process (`SELLERDESK_TEST_LOCK_HOLDER=<dir>`),
//! so it has no test harness: `main` runs each case and panics on failure.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use sellerdesk_core::instance::{self, Lock};

const HOLDER: &str = "SELLERDESK_TEST_LOCK_HOLDER";

fn main() {
    if let Some(dir) = std::env::var_os(HOLDER) {
        hold(Path::new(&dir));
        return;
    }
    a_second_process_finds_the_folder_taken();
    println!("test a_second_process_finds_the_folder_taken ... ok");
    a_killed_first_process_leaves_no_stale_lock();
    println!("test a_killed_first_process_leaves_no_stale_lock ... ok");
    a_restart_waits_for_the_closing_first_process();
    println!("test a_restart_waits_for_the_closing_first_process ... ok");
}

/// The first process: takes the lock, says so, and holds it until its stdin closes.
fn hold(dir: &Path) {
    let Lock::Taken(lock) = instance::lock(dir) else {
        panic!("the first process must get the lock of a fresh folder");
    };
    println!("locked");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    drop(lock);
}

/// Starts the first process on `dir` and waits until it holds the lock.
fn first_process(dir: &Path) -> Child {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(HOLDER, dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the test binary can run itself");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(
        line.trim(),
        "locked",
        "the first process must hold the lock"
    );
    child
}

fn a_second_process_finds_the_folder_taken() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = first_process(dir.path());
    assert!(
        matches!(instance::lock(dir.path()), Lock::HeldByAnother),
        "a second process on the same data folder must find it taken"
    );
    let other = tempfile::tempdir().unwrap();
    assert!(
        matches!(instance::lock(other.path()), Lock::Taken(_)),
        "an app on another data folder is another instance"
    );
    drop(first.stdin.take());
    assert!(
        first.wait().unwrap().success(),
        "the first process ends cleanly"
    );
    assert!(
        matches!(instance::lock(dir.path()), Lock::Taken(_)),
        "once the first process has exited the folder is free"
    );
}

fn a_killed_first_process_leaves_no_stale_lock() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = first_process(dir.path());
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(
        matches!(instance::lock(dir.path()), Lock::Taken(_)),
        "a crashed app must not lock its data folder for good"
    );
}

fn a_restart_waits_for_the_closing_first_process() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = first_process(dir.path());
    assert!(
        matches!(
            instance::lock_waiting(dir.path(), Duration::from_millis(300)),
            Lock::HeldByAnother
        ),
        "while the first process runs, a second one gives up after its patience"
    );
    // The first one is told to end, and the next one starts at once.
    drop(first.stdin.take());
    assert!(
        matches!(
            instance::lock_waiting(dir.path(), Duration::from_secs(30)),
            Lock::Taken(_)
        ),
        "a restart right after closing must wait for the old process, not give up"
    );
    first.wait().unwrap();
}
