//! The `sync_state` table: per account, where the last pull stopped (cursor), the
//! measured server clock offset and the outcome of the last attempt.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    pub cursor: Option<String>,
    /// Server clock minus device clock, in milliseconds.
    pub clock_offset_ms: i64,
    pub last_success_ms: Option<i64>,
    pub last_error: Option<String>,
}

impl Store {
    pub fn sync_state(&self, account_id: &str) -> Result<SyncState, StoreError> {
        self.read(|conn| {
            let row = conn
                .query_row(
                    "SELECT cursor, clock_offset_ms, last_success_ms, last_error
                     FROM sync_state WHERE account_id = ?1",
                    [account_id],
                    |r| {
                        Ok(SyncState {
                            cursor: r.get(0)?,
                            clock_offset_ms: r.get(1)?,
                            last_success_ms: r.get(2)?,
                            last_error: r.get(3)?,
                        })
                    },
                )
                .optional()?;
            Ok(row.unwrap_or_default())
        })
    }

    /// Records a page applied: the new cursor and clock offset. Runs inside the caller's
    /// transaction so the cursor never moves past orders that were not written.
    pub(crate) fn put_sync_state(
        tx: &rusqlite::Transaction<'_>,
        account_id: &str,
        state: &SyncState,
    ) -> Result<(), StoreError> {
        tx.execute(
            "INSERT INTO sync_state (account_id, cursor, clock_offset_ms, last_success_ms, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(account_id) DO UPDATE SET cursor = excluded.cursor,
                clock_offset_ms = excluded.clock_offset_ms,
                last_success_ms = excluded.last_success_ms, last_error = excluded.last_error",
            params![
                account_id,
                state.cursor,
                state.clock_offset_ms,
                state.last_success_ms,
                state.last_error
            ],
        )?;
        Ok(())
    }

    pub fn save_sync_state(&self, account_id: &str, state: &SyncState) -> Result<(), StoreError> {
        self.with_tx(|tx| Store::put_sync_state(tx, account_id, state))
    }
}
