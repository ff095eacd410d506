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
    pub sha256: Option<String>,
    pub upload_url: Option<String>,
    pub offset: u64,
    pub state: JobState,
    pub last_error: Option<String>,
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

    /// Saves the upload URL (None: forget it) and the server's confirmed offset.
    pub fn set_job_progress(
        &self,
        id: &str,
        url: Option<&str>,
        offset: u64,
    ) -> Result<(), StoreError> {
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE upload_jobs SET upload_url = ?2, offset_bytes = ?3 WHERE id = ?1",
                params![id, url, offset as i64],
            )?;
            Ok(())
        })
    }

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
