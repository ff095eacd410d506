//! One app per data folder. A second process on the same folder hands over to the first
//! (tauri-plugin-single-instance, under a D-Bus name derived from the folder, so apps on
//! other folders — as the E2E tests start them — are left alone) and exits; a lock file
//! in the folder catches what D-Bus cannot see (no session bus, another session).

use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// The lock file in the data folder, held while the app runs.
pub const LOCK_FILE: &str = "sellerdesk.lock";

/// The D-Bus id of the app on `data_dir`: the app identifier and a hash of the folder.
pub fn dbus_id(identifier: &str, data_dir: &Path) -> String {
    let canonical = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_path_buf());
    // FNV-1a: the same in every process and build, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in canonical.as_os_str().as_encoded_bytes() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{identifier}.i{hash:016x}")
}

/// The data folder's lock: held until dropped or the process ends (even killed).
pub struct InstanceLock(#[allow(dead_code)] File);

pub enum Lock {
    Taken(InstanceLock),
    /// Another process runs on this folder.
    HeldByAnother,
    /// The folder cannot be locked (e.g. a file system without locks).
    Unavailable(std::io::Error),
}

/// Takes the data folder's lock without waiting.
pub fn lock(data_dir: &Path) -> Lock {
    let opened = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data_dir.join(LOCK_FILE));
    let file = match opened {
        Ok(file) => file,
        Err(e) => return Lock::Unavailable(e),
    };
    match file.try_lock() {
        Ok(()) => Lock::Taken(InstanceLock(file)),
        Err(TryLockError::WouldBlock) => Lock::HeldByAnother,
        Err(TryLockError::Error(e)) => Lock::Unavailable(e),
    }
}

/// As [`lock`], trying again for up to `patience` while the lock is held: an app that was
/// just closed may still be shutting down when it is started again.
pub fn lock_waiting(data_dir: &Path, patience: Duration) -> Lock {
    let deadline = Instant::now() + patience;
    loop {
        match lock(data_dir) {
            Lock::HeldByAnother if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}
