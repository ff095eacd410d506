//! The `settings` table: the seller's preferences, one JSON document per key. A document
//! this build cannot read (written by hand, or by a newer build with a changed shape) is
//! reported, never silently replaced.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Store, StoreError};

impl Store {
    /// The setting stored under `key`, or None when it was never saved.
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let json: Option<String> = self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT value_json FROM settings WHERE key = ?1",
                    params![key],
                    |r| r.get(0),
                )
                .optional()?)
        })?;
        json.map(|json| {
            serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("setting {key:?} cannot be read: {e}")))
        })
        .transpose()
    }

    pub fn put_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let json = serde_json::to_string(value)
            .map_err(|e| StoreError::Corrupt(format!("setting {key:?} cannot be written: {e}")))?;
        self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value_json) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json",
                params![key, json],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_round_trips_and_an_unreadable_one_is_reported() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.setting::<Vec<u32>>("alerts").unwrap(), None);
        store.put_setting("alerts", &vec![24u32, 6, 1]).unwrap();
        store.put_setting("alerts", &vec![12u32]).unwrap();
        assert_eq!(store.setting::<Vec<u32>>("alerts").unwrap(), Some(vec![12]));
        store
            .read(|c| {
                c.execute(
                    "UPDATE settings SET value_json = '{oops' WHERE key = 'alerts'",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        let err = store.setting::<Vec<u32>>("alerts").unwrap_err();
        assert!(err.to_string().contains("\"alerts\""), "{err}");
    }
}
