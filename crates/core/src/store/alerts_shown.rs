//! The `alerts_shown` table: the keys of alerts already raised, so an alert fires once
//! per item and threshold, even across restarts.

use std::collections::HashSet;

use rusqlite::params;

use super::{Store, StoreError};

impl Store {
    pub fn shown_alert_keys(&self) -> Result<HashSet<String>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT key FROM alerts_shown")?;
            let keys = stmt.query_map([], |r| r.get::<_, String>(0))?;
            keys.map(|k| k.map_err(StoreError::from)).collect()
        })
    }

    /// Remembers that these alerts were raised (idempotent).
    pub fn mark_alerts_shown(&self, keys: &[String], now_ms: i64) -> Result<(), StoreError> {
        self.with_tx(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO alerts_shown (key, shown_ms) VALUES (?1, ?2) ON CONFLICT(key) DO NOTHING",
            )?;
            for key in keys {
                stmt.execute(params![key, now_ms])?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_keys_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        store
            .mark_alerts_shown(&["a/D-1/late".into(), "a/D-1/late".into()], 1)
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.shown_alert_keys().unwrap(),
            HashSet::from(["a/D-1/late".to_string()])
        );
    }
}
