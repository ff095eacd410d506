//! One upload queue per database: the queues of one process (one per account) share an
//! exclusive OS lock on `<database>.uploads.lock`, held while any of them runs, so a
//! queue in a second process is refused instead of uploading the same jobs twice.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use super::UploadError;

/// The held lock. The OS releases it when the last queue holding it is dropped, or
/// when the process ends, even killed.
#[derive(Debug)]
pub(crate) struct QueueLock {
    path: PathBuf,
    _file: File,
}

/// The locks this process holds, by lock file: its queues share one per database.
static HELD: Mutex<Vec<(PathBuf, Weak<QueueLock>)>> = Mutex::new(Vec::new());

/// The lock file of the database at `db`: `<db>.uploads.lock`, next to it.
pub(crate) fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".uploads.lock");
    db.with_file_name(name)
}

impl QueueLock {
    /// Takes the upload lock of the database at `db`, or shares the one this process
    /// already holds; [`UploadError::QueueBusy`] when another process holds it.
    pub(crate) fn acquire(db: &Path) -> Result<Arc<QueueLock>, UploadError> {
        let db = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
        let path = lock_path(&db);
        let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
        held.retain(|(_, lock)| lock.strong_count() > 0);
        if let Some(lock) = held
            .iter()
            .find(|(p, _)| *p == path)
            .and_then(|(_, lock)| lock.upgrade())
        {
            return Ok(lock);
        }
        let failed = |e: std::io::Error| UploadError::LockFailed {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(failed)?;
        // `File::try_lock` is stable since Rust 1.89 (the toolchain is 1.95, and let
        // chains elsewhere already need 1.88); the workspace's `rust-version` still says
        // 1.85: raising it turns on newer lints across every crate, a change of its own.
        #[allow(clippy::incompatible_msrv)]
        let locked = file.try_lock();
        match locked {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                return Err(UploadError::QueueBusy {
                    pid: holder.trim().parse().ok(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(failed(e)),
        }
        // Who holds it, for the message a second process shows; the lock itself is the
        // OS lock, not this content.
        let pid = std::process::id().to_string();
        if let Err(e) = file
            .set_len(0)
            .and_then(|()| file.write_all(pid.as_bytes()))
        {
            tracing::debug!(error = %e, "cannot note the pid in the upload lock file");
        }
        let lock = Arc::new(QueueLock {
            path: path.clone(),
            _file: file,
        });
        held.push((path, Arc::downgrade(&lock)));
        tracing::debug!(lock = %lock.path.display(), "upload queue lock taken");
        Ok(lock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_next_to_the_database() {
        assert_eq!(
            lock_path(Path::new("/data/sellerdesk.db")),
            PathBuf::from("/data/sellerdesk.db.uploads.lock"),
            "the lock must be next to the database it guards"
        );
    }

    #[test]
    fn queues_of_one_process_share_the_lock_and_it_is_released_with_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s.db");
        std::fs::write(&db, b"").unwrap();
        let first = QueueLock::acquire(&db).expect("a free database must be lockable");
        let second = QueueLock::acquire(&db).expect("a second account's queue shares the lock");
        assert!(
            Arc::ptr_eq(&first, &second),
            "one process holds one lock per database"
        );
        // Another open file description is what another process would have.
        let other = File::open(lock_path(&db)).unwrap();
        #[allow(clippy::incompatible_msrv)] // see QueueLock::acquire
        let busy = other.try_lock();
        assert!(
            matches!(busy, Err(TryLockError::WouldBlock)),
            "the lock must be held while a queue runs"
        );
        drop((first, second));
        #[allow(clippy::incompatible_msrv)] // see QueueLock::acquire
        let free = other.try_lock();
        free.expect("the lock must be released when the last queue is gone");
    }
}
