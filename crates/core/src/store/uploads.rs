//! The `deliveries` and `upload_jobs` tables: each upload's saved state (server URL,
//! confirmed offset), and the one transaction that turns a fully uploaded delivery into
//! a deliver action in the outbox, so it is sent exactly once whatever crashes.

use rusqlite::{OptionalExtension, Transaction, params};
use sellerdesk_api::{Delivery, OrderAction};

use super::{Store, StoreError};

macro_rules! str_enum {
    ($name:ident { $($v:ident => $s:literal),* $(,)? }) => {
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),* }
            }
            pub fn parse(s: &str) -> Result<$name, StoreError> {
                match s {
                    $($s => Ok($name::$v),)*
                    other => Err(StoreError::Corrupt(format!("{} {other:?}", stringify!($name)))),
                }
            }
        }
    };
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum DeliveryState {
    /// Files still uploading.
    Uploading,
    /// Every file uploaded; the deliver action is in the outbox.
    Queued,
    /// A file failed; resuming it brings the delivery back to uploading.
    Failed,
    Canceled,
}
str_enum!(DeliveryState { Uploading => "uploading", Queued => "queued", Failed => "failed", Canceled => "canceled" });

/// Where one file's upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum JobState {
    Queued,
    Uploading,
    Paused,
    Done,
    Failed,
    Canceled,
}
str_enum!(JobState { Queued => "queued", Uploading => "uploading", Paused => "paused", Done => "done", Failed => "failed", Canceled => "canceled" });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: String,
    pub account_id: String,
    pub order_id: String,
    /// The delivery without its files (they are filled in from the jobs when done).
    pub content: Delivery,
    pub state: DeliveryState,
    pub outbox_seq: Option<i64>,
    pub created_ms: i64,
}

/// A file to upload, as validated when the delivery was submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub id: String,
    pub path: String,
    pub name: String,
    pub size: u64,
    pub mtime_ns: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: String,
    pub delivery_id: String,
    pub account_id: String,
    pub order_id: String,
    pub position: u32,
    pub path: String,
    pub name: String,
    pub size: u64,
    pub mtime_ns: i64,
    /// Hex SHA-256 of the file's first `offset` bytes, the ones the server confirmed
    /// (the whole file once done), to tell a file changed since then by its content.
    pub sha256: Option<String>,
    pub upload_url: Option<String>,
    pub offset: u64,
    pub state: JobState,
    pub last_error: Option<String>,
    /// Failed attempts in a row: reset when the server confirms more bytes and when
    /// the seller resumes the job.
    pub attempts: u32,
}

const JOB_COLUMNS: &str = "j.id, j.delivery_id, d.account_id, d.order_id, j.position, j.path, j.name, j.size, j.mtime_ns, j.sha256, j.upload_url, j.offset_bytes, j.state, j.last_error, j.attempts";

fn job(row: &rusqlite::Row<'_>) -> rusqlite::Result<(JobRow, String)> {
    Ok((
        JobRow {
            id: row.get(0)?,
            delivery_id: row.get(1)?,
            account_id: row.get(2)?,
            order_id: row.get(3)?,
            position: row.get::<_, i64>(4)? as u32,
            path: row.get(5)?,
            name: row.get(6)?,
            size: row.get::<_, i64>(7)? as u64,
            mtime_ns: row.get(8)?,
            sha256: row.get(9)?,
            upload_url: row.get(10)?,
            offset: row.get::<_, i64>(11)? as u64,
            state: JobState::Queued,
            last_error: row.get(13)?,
            attempts: row.get::<_, i64>(14)? as u32,
        },
        row.get(12)?,
    ))
}

fn decode_job((mut j, state): (JobRow, String)) -> Result<JobRow, StoreError> {
    j.state = JobState::parse(&state)?;
    Ok(j)
}

/// A `deliveries` row before decoding: id, account, order, content json, state, outbox
/// seq, created.
type RawDelivery = (String, String, String, String, String, Option<i64>, i64);

fn delivery(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawDelivery> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn decode_delivery(
    (id, account_id, order_id, json, state, outbox_seq, created_ms): RawDelivery,
) -> Result<DeliveryRow, StoreError> {
    let content = serde_json::from_str(&json)
        .map_err(|e| StoreError::Corrupt(format!("delivery {id}: {e}")))?;
    Ok(DeliveryRow {
        id,
        account_id,
        order_id,
        content,
        state: DeliveryState::parse(&state)?,
        outbox_seq,
        created_ms,
    })
}

/// Puts the deliver action into the outbox inside `tx`; returns its seq.
fn enqueue_deliver_in(
    tx: &Transaction<'_>,
    account_id: &str,
    order_id: &str,
    delivery: Delivery,
    now_ms: i64,
) -> Result<i64, StoreError> {
    let action = OrderAction::Deliver(delivery);
    let json = serde_json::to_string(&action)
        .map_err(|e| StoreError::Corrupt(format!("cannot encode action: {e}")))?;
    let key = uuid::Uuid::new_v4().to_string();
    tx.execute(
        "INSERT INTO outbox (account_id, order_id, idempotency_key, action_json, state, created_ms)
         VALUES (?1, ?2, ?3, ?4, 'pending', ?5)",
        params![account_id, order_id, key, json, now_ms],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    /// Records a delivery and its upload jobs in one transaction. With no jobs the
    /// deliver action goes straight to the outbox.
    pub fn insert_delivery(
        &self,
        id: &str,
        account_id: &str,
        order_id: &str,
        content: &Delivery,
        jobs: &[NewJob],
        now_ms: i64,
    ) -> Result<DeliveryRow, StoreError> {
        let json = serde_json::to_string(content)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode delivery: {e}")))?;
        self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO deliveries (id, account_id, order_id, content_json, state, created_ms)
                 VALUES (?1, ?2, ?3, ?4, 'uploading', ?5)",
                params![id, account_id, order_id, json, now_ms],
            )?;
            for (i, j) in jobs.iter().enumerate() {
                tx.execute(
                    "INSERT INTO upload_jobs (id, delivery_id, position, path, name, size, mtime_ns, state)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued')",
                    params![j.id, id, i as i64, j.path, j.name, j.size as i64, j.mtime_ns],
                )?;
            }
            let mut state = DeliveryState::Uploading;
            let mut seq = None;
            if jobs.is_empty() {
                let s = enqueue_deliver_in(tx, account_id, order_id, content.clone(), now_ms)?;
                tx.execute(
                    "UPDATE deliveries SET state = 'queued', outbox_seq = ?2 WHERE id = ?1",
                    params![id, s],
                )?;
                state = DeliveryState::Queued;
                seq = Some(s);
            }
            Ok(DeliveryRow {
                id: id.to_string(),
                account_id: account_id.to_string(),
                order_id: order_id.to_string(),
                content: content.clone(),
                state,
                outbox_seq: seq,
                created_ms: now_ms,
            })
        })
    }

    pub fn upload_jobs(&self) -> Result<Vec<JobRow>, StoreError> {
        self.jobs_where("1 = 1", params![])
    }

    pub fn upload_job(&self, id: &str) -> Result<Option<JobRow>, StoreError> {
        Ok(self.jobs_where("j.id = ?1", params![id])?.pop())
    }

    pub fn upload_jobs_of(&self, delivery_id: &str) -> Result<Vec<JobRow>, StoreError> {
        self.jobs_where("j.delivery_id = ?1", params![delivery_id])
    }

    fn jobs_where(
        &self,
        cond: &str,
        p: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<JobRow>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {JOB_COLUMNS} FROM upload_jobs j JOIN deliveries d ON d.id = j.delivery_id
                 WHERE {cond} ORDER BY d.created_ms, j.delivery_id, j.position"
            ))?;
            let rows = stmt.query_map(p, job)?.collect::<Result<Vec<_>, _>>()?;
            rows.into_iter().map(decode_job).collect()
        })
    }

    pub fn deliveries(&self) -> Result<Vec<DeliveryRow>, StoreError> {
        self.deliveries_where("1 = 1", params![])
    }

    /// The deliveries of one order, oldest first.
    pub fn deliveries_of_order(
        &self,
        account_id: &str,
        order_id: &str,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        self.deliveries_where(
            "account_id = ?1 AND order_id = ?2",
            params![account_id, order_id],
        )
    }

    fn deliveries_where(
        &self,
        cond: &str,
        p: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT id, account_id, order_id, content_json, state, outbox_seq, created_ms
                 FROM deliveries WHERE {cond} ORDER BY created_ms, id"
            ))?;
            let rows = stmt
                .query_map(p, delivery)?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter().map(decode_delivery).collect()
        })
    }

    pub fn delivery(&self, id: &str) -> Result<Option<DeliveryRow>, StoreError> {
        self.read(|c| {
            c.query_row(
                "SELECT id, account_id, order_id, content_json, state, outbox_seq, created_ms
                 FROM deliveries WHERE id = ?1",
                [id],
                delivery,
            )
            .optional()?
            .map(decode_delivery)
            .transpose()
        })
    }

    /// Moves a job to `to` only from one of `from`; returns whether it moved. A stale
    /// writer (e.g. a task that did not see a cancel yet) changes nothing.
    pub fn move_job(
        &self,
        id: &str,
        from: &[JobState],
        to: JobState,
        last_error: Option<&str>,
    ) -> Result<bool, StoreError> {
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        let list = from
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(",");
        self.with_tx(|tx| {
            let n = tx.execute(
                &format!(
                    "UPDATE upload_jobs SET state = ?2, last_error = COALESCE(?3, CASE WHEN ?2 IN ('queued','uploading','done') THEN NULL ELSE last_error END)
                     WHERE id = ?1 AND state IN ({list})"
                ),
                params![id, to.as_str(), last_error],
            )?;
            Ok(n == 1)
        })
    }

    /// Moves a paused or failed job back to the queue with a fresh retry budget (the
    /// seller asked for it); returns whether it moved.
    pub fn requeue_job(&self, id: &str) -> Result<bool, StoreError> {
        self.with_tx(|tx| {
            Ok(tx.execute(
                "UPDATE upload_jobs SET state = 'queued', last_error = NULL, attempts = 0
                 WHERE id = ?1 AND state IN ('paused', 'failed')",
                [id],
            )? == 1)
        })
    }

    /// Saves the upload URL (None: forget it), the server's confirmed offset and the
    /// hex SHA-256 of the file's bytes before it. More bytes confirmed than before is
    /// progress: the count of failed attempts in a row starts again from zero.
    pub fn set_job_progress(
        &self,
        id: &str,
        url: Option<&str>,
        offset: u64,
        prefix_sha256: Option<&str>,
    ) -> Result<(), StoreError> {
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE upload_jobs SET upload_url = ?2, offset_bytes = ?3, sha256 = ?4,
                 attempts = CASE WHEN ?3 > offset_bytes THEN 0 ELSE attempts END
                 WHERE id = ?1",
                params![id, url, offset as i64, prefix_sha256],
            )?;
            Ok(())
        })
    }

    /// Counts one more failed attempt in a row; returns the count.
    pub fn note_job_attempt(&self, id: &str, error: &str) -> Result<u32, StoreError> {
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE upload_jobs SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                params![id, error],
            )?;
            Ok(tx.query_row(
                "SELECT attempts FROM upload_jobs WHERE id = ?1",
                [id],
                |r| r.get::<_, i64>(0),
            )? as u32)
        })
    }

    pub fn set_delivery_state(
        &self,
        id: &str,
        from: &[DeliveryState],
        to: DeliveryState,
    ) -> Result<bool, StoreError> {
        let list = from
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(",");
        self.with_tx(|tx| {
            Ok(tx.execute(
                &format!("UPDATE deliveries SET state = ?2 WHERE id = ?1 AND state IN ({list})"),
                params![id, to.as_str()],
            )? == 1)
        })
    }

    /// Marks a job done with its hash; when it was the delivery's last file, in the
    /// same transaction marks the delivery queued and puts the deliver action in the
    /// outbox. Returns the outbox seq when this call queued the delivery.
    pub fn finish_job(
        &self,
        id: &str,
        sha256: &str,
        now_ms: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.with_tx(|tx| {
            let n = tx.execute(
                "UPDATE upload_jobs SET state = 'done', sha256 = ?2, offset_bytes = size, last_error = NULL
                 WHERE id = ?1 AND state IN ('queued', 'uploading')",
                params![id, sha256],
            )?;
            if n == 0 {
                return Ok(None);
            }
            let delivery_id: String =
                tx.query_row("SELECT delivery_id FROM upload_jobs WHERE id = ?1", [id], |r| r.get(0))?;
            let open: i64 = tx.query_row(
                "SELECT COUNT(*) FROM upload_jobs WHERE delivery_id = ?1 AND state != 'done'",
                [&delivery_id],
                |r| r.get(0),
            )?;
            if open > 0 {
                return Ok(None);
            }
            let row = tx
                .query_row(
                    "SELECT id, account_id, order_id, content_json, state, outbox_seq, created_ms
                     FROM deliveries WHERE id = ?1",
                    [&delivery_id],
                    delivery,
                )
                .map_err(StoreError::from)
                .and_then(decode_delivery)?;
            if row.state != DeliveryState::Uploading {
                return Ok(None);
            }
            let mut stmt = tx.prepare(
                "SELECT upload_url, name, size, sha256 FROM upload_jobs WHERE delivery_id = ?1 ORDER BY position",
            )?;
            let files = stmt
                .query_map([&delivery_id], |r| {
                    Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, Option<String>>(3)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            drop(stmt);
            let mut content = row.content.clone();
            content.files = files
                .into_iter()
                .map(|(url, name, size, sha)| {
                    let url = url.ok_or_else(|| StoreError::Corrupt(format!("done upload {name} without URL")))?;
                    let upload_id = url.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string();
                    Ok(sellerdesk_api::DeliveredFile {
                        upload_id,
                        name,
                        size: size as u64,
                        sha256: sha.unwrap_or_default(),
                    })
                })
                .collect::<Result<_, StoreError>>()?;
            let seq = enqueue_deliver_in(tx, &row.account_id, &row.order_id, content, now_ms)?;
            tx.execute(
                "UPDATE deliveries SET state = 'queued', outbox_seq = ?2 WHERE id = ?1",
                params![delivery_id, seq],
            )?;
            Ok(Some(seq))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Account;

    /// A store with one delivery of one queued job; returns the job's id.
    fn one_job() -> (Store, String) {
        let store = Store::open_in_memory().unwrap();
        store
            .save_account(&Account::new("acct", "Test", "http://127.0.0.1:1"))
            .unwrap();
        let job = NewJob {
            id: "job-1".into(),
            path: "/tmp/a.bin".into(),
            name: "a.bin".into(),
            size: 1000,
            mtime_ns: 1,
        };
        let delivery = Delivery {
            description: "work".into(),
            files: Vec::new(),
            no_file_confirmed: false,
            outside_platform: false,
            modified: false,
        };
        store
            .insert_delivery("d-1", "acct", "o-1", &delivery, &[job], 1)
            .unwrap();
        (store, "job-1".into())
    }

    fn attempts(store: &Store, id: &str) -> u32 {
        store.upload_job(id).unwrap().unwrap().attempts
    }

    #[test]
    fn failed_attempts_count_in_a_row_and_progress_starts_them_again() {
        let (store, id) = one_job();
        let budget = 3;
        assert_eq!(store.note_job_attempt(&id, "cut").unwrap(), 1);
        assert_eq!(store.note_job_attempt(&id, "cut").unwrap(), 2);
        store
            .set_job_progress(&id, Some("http://127.0.0.1:1/u/1"), 100, Some("ab"))
            .unwrap();
        assert_eq!(
            attempts(&store, &id),
            0,
            "bytes confirmed by the server must start the count of failures again"
        );
        for n in 1..budget {
            assert!(
                store.note_job_attempt(&id, "cut").unwrap() < budget,
                "failure {n} after progress must stay within the budget of {budget} in a row"
            );
        }
        store
            .set_job_progress(&id, Some("http://127.0.0.1:1/u/1"), 100, Some("ab"))
            .unwrap();
        assert_eq!(
            attempts(&store, &id),
            budget - 1,
            "saving the same offset again is not progress"
        );
        store.set_job_progress(&id, None, 0, None).unwrap();
        assert_eq!(
            attempts(&store, &id),
            budget - 1,
            "starting the upload over is not progress"
        );
        assert_eq!(
            store.note_job_attempt(&id, "cut").unwrap(),
            budget,
            "failures in a row with no progress reach the budget"
        );
    }

    #[test]
    fn a_resume_by_the_seller_gives_a_fresh_budget() {
        let (store, id) = one_job();
        store.note_job_attempt(&id, "cut").unwrap();
        store.note_job_attempt(&id, "cut").unwrap();
        assert!(
            !store.requeue_job(&id).unwrap(),
            "a queued job is not resumed again"
        );
        store
            .move_job(&id, &[JobState::Queued], JobState::Failed, Some("gave up"))
            .unwrap();
        assert!(
            store.requeue_job(&id).unwrap(),
            "a failed job can be resumed"
        );
        let job = store.upload_job(&id).unwrap().unwrap();
        assert_eq!(
            (job.state, job.attempts, job.last_error),
            (JobState::Queued, 0, None),
            "a resumed job is queued with no failures counted and no old error"
        );
    }

    #[test]
    fn the_prefix_hash_is_saved_with_the_offset() {
        let (store, id) = one_job();
        store
            .set_job_progress(&id, Some("http://127.0.0.1:1/u/1"), 500, Some("cafe"))
            .unwrap();
        let job = store.upload_job(&id).unwrap().unwrap();
        assert_eq!(
            (job.offset, job.sha256.as_deref()),
            (500, Some("cafe")),
            "the hash of the confirmed bytes must be saved with their offset"
        );
        store.set_job_progress(&id, None, 0, None).unwrap();
        assert_eq!(
            store.upload_job(&id).unwrap().unwrap().sha256,
            None,
            "an upload started over has no confirmed prefix to check"
        );
    }
}
