//! The `delivery_drafts` table: one draft per order, saved while the seller types and
//! kept offline until the delivery is sent. Every save names the version it started
//! from, so an autosave that arrives late cannot overwrite a newer draft.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Store, StoreError};

/// A file the seller attached to a draft: where it is on disk, not its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftFile {
    pub path: String,
    pub name: String,
    pub size: u64,
}

/// What a draft holds, as the composer edits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftContent {
    pub description: String,
    pub files: Vec<DraftFile>,
    pub no_file_confirmed: bool,
    pub outside_platform: bool,
    pub modified: bool,
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryDraft {
    pub order_id: String,
    /// 1 for the first save, one more for each save after it.
    pub version: u64,
    pub content: DraftContent,
    pub updated_ms: i64,
    /// The order's status (snake_case) when the draft was started.
    #[serde(default)]
    pub base_status: Option<String>,
    /// The order's due date (ms since the epoch) when the draft was started.
    #[serde(default)]
    pub base_due_ms: Option<i64>,
}

impl Store {
    /// The order's draft, if the seller started one.
    pub fn draft(
        &self,
        account_id: &str,
        order_id: &str,
    ) -> Result<Option<DeliveryDraft>, StoreError> {
        self.read(|conn| {
            conn.query_row(
                "SELECT version, description, files_json, no_file_confirmed, outside_platform,
                        modified, updated_ms, base_status, base_due_ms
                   FROM delivery_drafts WHERE account_id = ?1 AND order_id = ?2",
                params![account_id, order_id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, bool>(3)?,
                        r.get::<_, bool>(4)?,
                        r.get::<_, bool>(5)?,
                        r.get::<_, i64>(6)?,
                        (r.get::<_, Option<String>>(7)?, r.get::<_, Option<i64>>(8)?),
                    ))
                },
            )
            .optional()?
            .map(
                |(
                    version,
                    description,
                    files_json,
                    no_file,
                    outside,
                    modified,
                    updated_ms,
                    (base_status, base_due_ms),
                )| {
                    let files = serde_json::from_str(&files_json).map_err(|e| {
                        StoreError::Corrupt(format!("draft files of order {order_id}: {e}"))
                    })?;
                    Ok(DeliveryDraft {
                        order_id: order_id.to_string(),
                        version: version as u64,
                        content: DraftContent {
                            description,
                            files,
                            no_file_confirmed: no_file,
                            outside_platform: outside,
                            modified,
                        },
                        updated_ms,
                        base_status,
                        base_due_ms,
                    })
                },
            )
            .transpose()
        })
    }

    /// Saves `content` over version `base` (None: there must be no draft yet) and returns
    /// the new version. A draft saved since `base` is kept and the save refused.
    pub fn save_draft(
        &self,
        account_id: &str,
        order_id: &str,
        base: Option<u64>,
        content: &DraftContent,
        now_ms: i64,
    ) -> Result<u64, StoreError> {
        let files_json = serde_json::to_string(&content.files)
            .map_err(|e| StoreError::Corrupt(format!("draft files: {e}")))?;
        self.with_tx(|tx| {
            let stored: Option<i64> = tx
                .query_row(
                    "SELECT version FROM delivery_drafts WHERE account_id = ?1 AND order_id = ?2",
                    params![account_id, order_id],
                    |r| r.get(0),
                )
                .optional()?;
            let stored = stored.map(|v| v as u64);
            if stored != base {
                return Err(StoreError::StaleDraft {
                    order_id: order_id.to_string(),
                    stored,
                    base,
                });
            }
            let version = stored.unwrap_or(0) + 1;
            tx.execute(
                "INSERT INTO delivery_drafts (account_id, order_id, version, description,
                        files_json, no_file_confirmed, outside_platform, modified, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(account_id, order_id) DO UPDATE SET
                    version = excluded.version, description = excluded.description,
                    files_json = excluded.files_json,
                    no_file_confirmed = excluded.no_file_confirmed,
                    outside_platform = excluded.outside_platform,
                    modified = excluded.modified, updated_ms = excluded.updated_ms",
                params![
                    account_id,
                    order_id,
                    version as i64,
                    content.description,
                    files_json,
                    content.no_file_confirmed,
                    content.outside_platform,
                    content.modified,
                    now_ms
                ],
            )?;
            Ok(version)
        })
    }

    /// Records what the order looked like when its draft was started (kept once set).
    pub fn set_draft_baseline(
        &self,
        account_id: &str,
        order_id: &str,
        status: &str,
        due_ms: i64,
    ) -> Result<(), StoreError> {
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE delivery_drafts SET base_status = ?3, base_due_ms = ?4
                 WHERE account_id = ?1 AND order_id = ?2 AND base_status IS NULL",
                params![account_id, order_id, status, due_ms],
            )?;
            Ok(())
        })
    }

    /// Forgets the order's draft (sent or discarded). True when there was one.
    pub fn delete_draft(&self, account_id: &str, order_id: &str) -> Result<bool, StoreError> {
        self.with_tx(|tx| {
            Ok(tx.execute(
                "DELETE FROM delivery_drafts WHERE account_id = ?1 AND order_id = ?2",
                params![account_id, order_id],
            )? > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Account;

    fn store_with_account(dir: &std::path::Path) -> Store {
        let store = Store::open(&dir.join("s.db")).unwrap();
        store
            .save_account(&Account::new("demo", "Demo", "http://127.0.0.1:1"))
            .unwrap();
        store
    }

    fn content(text: &str) -> DraftContent {
        DraftContent {
            description: text.to_string(),
            files: vec![DraftFile {
                path: "/tmp/logo – final.png".to_string(),
                name: "logo – final.png".to_string(),
                size: 42,
            }],
            ..DraftContent::default()
        }
    }

    #[test]
    fn a_draft_survives_a_reopen_with_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_account(dir.path());
        let mut saved = content("Here is the logo — «final» version");
        saved.no_file_confirmed = true;
        saved.modified = true;
        assert_eq!(
            store.save_draft("demo", "D-1", None, &saved, 10).unwrap(),
            1
        );
        drop(store);
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let draft = store
            .draft("demo", "D-1")
            .unwrap()
            .expect("the draft is kept");
        assert_eq!(draft.version, 1);
        assert_eq!(draft.content, saved);
        assert_eq!(draft.updated_ms, 10);
        assert_eq!(store.draft("demo", "D-2").unwrap(), None);
    }

    #[test]
    fn a_stale_save_is_refused_and_the_newer_draft_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_account(dir.path());
        let v1 = store
            .save_draft("demo", "D-1", None, &content("one"), 1)
            .unwrap();
        let v2 = store
            .save_draft("demo", "D-1", Some(v1), &content("two"), 2)
            .unwrap();
        assert_eq!(v2, 2);
        let err = store
            .save_draft("demo", "D-1", Some(v1), &content("late autosave"), 3)
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::StaleDraft {
                    stored: Some(2),
                    base: Some(1),
                    ..
                }
            ),
            "got {err:?}"
        );
        let err = store
            .save_draft("demo", "D-1", None, &content("a second first draft"), 3)
            .unwrap_err();
        assert!(matches!(err, StoreError::StaleDraft { .. }), "got {err:?}");
        assert_eq!(
            store
                .draft("demo", "D-1")
                .unwrap()
                .unwrap()
                .content
                .description,
            "two"
        );
    }

    #[test]
    fn deleting_a_draft_forgets_it_and_a_new_one_starts_at_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_account(dir.path());
        store
            .save_draft("demo", "D-1", None, &content("x"), 1)
            .unwrap();
        assert!(store.delete_draft("demo", "D-1").unwrap());
        assert!(!store.delete_draft("demo", "D-1").unwrap());
        assert_eq!(
            store
                .save_draft("demo", "D-1", None, &content("y"), 2)
                .unwrap(),
            1
        );
    }
}
