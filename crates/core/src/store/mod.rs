//! The local SQLite store: one file per workspace, opened once with the right pragmas,
//! migrated to the latest schema, and refused when a newer build wrote it.

mod accounts;
mod alerts_shown;
mod drafts;
mod invoices;
mod migrations;
mod order_problems;
mod orders;
mod outbox;
mod settings;
mod sync_state;
mod uploads;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction};

pub use accounts::{Account, DEMO_ACCOUNT_ID, start_account_id};
pub use drafts::{DeliveryDraft, DraftContent, DraftFile};
pub use invoices::IssuedInvoice;
pub use migrations::LATEST as SCHEMA_VERSION;
pub use order_problems::OrderProblem;
pub use orders::ListKey;
pub use outbox::{OutboxItem, OutboxState};
pub use sync_state::SyncState;
pub use uploads::{DeliveryRow, DeliveryState, JobRow, JobState, NewJob};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "this database was written by a newer sellerdesk (schema version {found}, this build knows up to {supported}); update sellerdesk or choose another data folder: {path}"
    )]
    NewerSchema {
        found: i64,
        supported: usize,
        path: PathBuf,
    },
    #[error("the database is locked by another process (is sellerdesk already running?): {path}")]
    Locked { path: PathBuf },
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot upgrade the database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error(
        "the draft of order {order_id} was saved elsewhere since (version {stored:?}, this save started from {base:?}); reload it before saving"
    )]
    StaleDraft {
        order_id: String,
        stored: Option<u64>,
        base: Option<u64>,
    },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// How long a writer waits for another connection's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// Bumped by every row written to `orders` or `order_problems` (SQLite's update hook
    /// on this, the only connection): a cache of the list knows it is stale. A write
    /// rolled back bumps it too, which only costs a rebuild.
    orders_generation: Arc<AtomicU64>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
        .map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Store::prepare(conn, path.to_path_buf())
    }

    /// A private in-memory store, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::prepare(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    fn prepare(mut conn: Connection, path: PathBuf) -> Result<Store, StoreError> {
        let locked = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Locked { path: path.clone() }
            }
            _ => StoreError::Open {
                path: path.clone(),
                source: e,
            },
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(locked)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(locked)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(locked)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(locked)?;
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(locked)?;
        if found > migrations::LATEST as i64 {
            return Err(StoreError::NewerSchema {
                found,
                supported: migrations::LATEST,
                path,
            });
        }
        migrations::migrations().to_latest(&mut conn)?;
        let orders_generation = Arc::new(AtomicU64::new(0));
        let bump = orders_generation.clone();
        conn.update_hook(Some(
            move |_: rusqlite::hooks::Action, _: &str, table: &str, _: i64| {
                if table == "orders" || table == "order_problems" {
                    bump.fetch_add(1, Ordering::Relaxed);
                }
            },
        ))?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            orders_generation,
        })
    }

    /// Changes whenever a row of `orders` or `order_problems` was written. Read it before
    /// reading what it guards: a cache built after is then at worst rebuilt once more.
    pub fn orders_generation(&self) -> u64 {
        self.orders_generation.load(Ordering::Relaxed)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions
        // roll back on drop), so a poisoned lock is still safe to use.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in one transaction: committed if it returns Ok, rolled back otherwise.
    pub fn with_tx<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Like [`Store::with_tx`], but the commit survives a power loss, not only a crash:
    /// `synchronous=FULL` (the WAL is synced at commit) for this transaction only. For
    /// writes that promise a number or an action to the seller (invoice numbers, the
    /// outbox); the rest stays on `NORMAL`, which survives an app crash and may lose the
    /// last commits on power loss, never corrupting the file.
    pub fn with_durable_tx<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock();
        conn.pragma_update(None, "synchronous", "FULL")?;
        let out = (|| {
            let tx = conn.transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })();
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        out
    }

    /// The connection's `synchronous` level (1 = NORMAL, 2 = FULL), for tests.
    pub fn synchronous_level(&self) -> Result<i64, StoreError> {
        Ok(self
            .lock()
            .pragma_query_value(None, "synchronous", |r| r.get(0))?)
    }

    /// Applies one pulled page atomically: the orders and the cursor that follows them,
    /// so a crash can never leave the cursor ahead of the data.
    pub fn apply_pull(
        &self,
        account_id: &str,
        orders: &[sellerdesk_api::Order],
        problems: &[OrderProblem],
        state: &SyncState,
    ) -> Result<Vec<String>, StoreError> {
        self.with_tx(|tx| {
            let changed = orders::upsert_in(tx, account_id, orders)?;
            order_problems::replace_in(tx, account_id, orders, problems)?;
            Store::put_sync_state(tx, account_id, state)?;
            Ok(changed)
        })
    }

    /// Runs a read on the connection.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        f(&self.lock())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durable_transactions_sync_fully_and_only_themselves() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("d.db")).unwrap();
        assert_eq!(store.synchronous_level().unwrap(), 1, "NORMAL by default");
        let inside = store
            .with_durable_tx(|tx| {
                Ok(tx.pragma_query_value(None, "synchronous", |r| r.get::<_, i64>(0))?)
            })
            .unwrap();
        assert_eq!(inside, 2, "FULL while a durable transaction commits");
        assert_eq!(
            store.synchronous_level().unwrap(),
            1,
            "back to NORMAL after"
        );
        let failed: Result<(), StoreError> =
            store.with_durable_tx(|_| Err(StoreError::Corrupt("boom".into())));
        assert!(failed.is_err());
        assert_eq!(
            store.synchronous_level().unwrap(),
            1,
            "back to NORMAL after a failed one too"
        );
    }

    #[test]
    fn a_newer_schema_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sellerdesk.db");
        drop(Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = Store::open(&path)
            .err()
            .expect("a newer schema must be refused");
        assert!(
            matches!(err, StoreError::NewerSchema { found: 99, .. }),
            "got {err:?}"
        );
        assert!(
            err.to_string().contains("newer sellerdesk"),
            "message: {err}"
        );
    }

    #[test]
    fn pragmas_are_set_per_connection() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        store
            .read(|c| {
                let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
                let fk: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
                let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0))?;
                assert_eq!(mode, "wal");
                assert_eq!(fk, 1, "foreign keys must be enforced");
                assert_eq!(sync, 1, "synchronous must be NORMAL");
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn reopening_keeps_data_and_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        store
            .save_account(&Account::new("demo", "Demo", "http://127.0.0.1:1"))
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.accounts().unwrap().len(),
            1,
            "accounts survive a reopen"
        );
    }
}
