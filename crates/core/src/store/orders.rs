//! The `orders` table: the latest known version of each order, keyed by account and id.
//! The full wire object is kept as JSON; the columns the list sorts and filters on are
//! copied out.

use std::collections::HashMap;

use rusqlite::params;
use sellerdesk_api::{Order, OrderStatus};

use super::{Store, StoreError};
use crate::view::request_deadline;

/// Statuses that are no longer active (kept in the store, hidden from the active list).
const INACTIVE: [OrderStatus; 2] = [OrderStatus::Completed, OrderStatus::Canceled];

/// An active order as the paged list sorts it (see [`Store::each_active_list_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListKey<'a> {
    pub account_id: &'a str,
    pub id: &'a str,
    pub status: OrderStatus,
    pub due_at_ms: i64,
    pub request_expiry_ms: Option<i64>,
}

impl Store {
    /// Writes orders, each only if it is newer (higher `seq`) than the stored copy, in one
    /// transaction. Returns the ids that changed.
    pub fn upsert_orders(
        &self,
        account_id: &str,
        orders: &[Order],
    ) -> Result<Vec<String>, StoreError> {
        self.with_tx(|tx| upsert_in(tx, account_id, orders))
    }

    /// Stored `seq` of each given order id (absent ids are not in the map).
    pub fn order_seqs(
        &self,
        account_id: &str,
        ids: &[&str],
    ) -> Result<HashMap<String, u64>, StoreError> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT seq FROM orders WHERE account_id = ?1 AND id = ?2")?;
            let mut out = HashMap::new();
            for id in ids {
                let mut rows = stmt.query(params![account_id, id])?;
                if let Some(row) = rows.next()? {
                    let seq: i64 = row.get(0)?;
                    out.insert((*id).to_string(), seq as u64);
                }
            }
            Ok(out)
        })
    }

    /// Active orders of every account, earliest due first, with their account id.
    pub fn active_orders(&self) -> Result<Vec<(String, Order)>, StoreError> {
        self.read(|conn| {
            query_orders(
                conn,
                "SELECT account_id, body_json FROM orders
                 WHERE status NOT IN (?1, ?2) ORDER BY due_at_ms, id",
                params![INACTIVE[0].as_str(), INACTIVE[1].as_str()],
            )
        })
    }

    /// The active orders of one account, decoded and handed to `each` in chunks of at
    /// most `chunk` orders (with the account id), by id. No list of every decoded order
    /// is ever held (at 100,000 orders that list was the app's peak of memory, kept by the
    /// allocator after), and the database is free between chunks (the window's pages are
    /// answered meanwhile). A stored order that no longer decodes is left out, logged.
    pub fn each_active_order_chunk(
        &self,
        account_id: &str,
        chunk: usize,
        mut each: impl FnMut(&[(String, Order)]),
    ) -> Result<(), StoreError> {
        let chunk = chunk.max(1);
        let mut after = String::new();
        loop {
            let (batch, last, more) = self.read(|conn| {
                let mut stmt = conn.prepare_cached(
                    "SELECT id, body_json FROM orders
                     WHERE account_id = ?1 AND id > ?2 AND status NOT IN (?3, ?4)
                     ORDER BY id LIMIT ?5",
                )?;
                let mut rows = stmt.query(params![
                    account_id,
                    after,
                    INACTIVE[0].as_str(),
                    INACTIVE[1].as_str(),
                    i64::try_from(chunk).unwrap_or(i64::MAX)
                ])?;
                let (mut batch, mut last, mut read) = (Vec::with_capacity(chunk), None, 0);
                while let Some(row) = rows.next()? {
                    read += 1;
                    let text = |i: usize| -> Result<&str, StoreError> {
                        (row.get_ref(i)?.as_str())
                            .map_err(|e| StoreError::Corrupt(format!("stored order: {e}")))
                    };
                    last = Some(text(0)?.to_string());
                    match decode_stored(text(1)?) {
                        Ok(order) => batch.push((account_id.to_string(), order)),
                        Err(e) => tracing::warn!(account_id, error = %e, "left out a stored order"),
                    }
                }
                Ok((batch, last, read == chunk))
            })?;
            if !batch.is_empty() {
                each(&batch);
            }
            match last {
                Some(last) if more => after = last,
                _ => return Ok(()),
            }
        }
    }

    /// How many active orders are stored (counted on an index, no body read).
    pub fn active_order_count(&self) -> Result<usize, StoreError> {
        self.read(|conn| {
            let n: i64 = conn
                .prepare_cached("SELECT count(*) FROM orders WHERE status NOT IN (?1, ?2)")?
                .query_row(params![INACTIVE[0].as_str(), INACTIVE[1].as_str()], |r| {
                    r.get(0)
                })?;
            Ok(usize::try_from(n).unwrap_or(0))
        })
    }

    /// Every stored order of every account (completed and canceled included).
    pub fn all_orders(&self) -> Result<Vec<(String, Order)>, StoreError> {
        self.read(|conn| {
            query_orders(
                conn,
                "SELECT account_id, body_json FROM orders ORDER BY due_at_ms, id",
                [],
            )
        })
    }

    /// Orders of every account in one of `statuses` whose id, title or buyer contains
    /// `text` (ASCII case-insensitive; empty matches all), earliest due first. The
    /// status filter and the text are matched on the `orders_by_due` index (which holds
    /// id, title and buyer; named, since the list's `orders_list` also starts with the
    /// status and the planner took it, reading every body: 20 → 130 ms at 100,000
    /// orders); only the hits' bodies are read.
    pub fn find_orders(
        &self,
        statuses: &[OrderStatus],
        text: &str,
    ) -> Result<Vec<(String, Order)>, StoreError> {
        if statuses.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; statuses.len()].join(", ");
        let sql = format!(
            "SELECT account_id, body_json FROM orders INDEXED BY orders_by_due
             WHERE status IN ({marks})
               AND (?{n} = '' OR id LIKE ?{p} ESCAPE '\\'
                    OR title LIKE ?{p} ESCAPE '\\' OR buyer LIKE ?{p} ESCAPE '\\')
             ORDER BY due_at_ms, id",
            n = statuses.len() + 1,
            p = statuses.len() + 2,
        );
        let text = text.trim();
        let pattern = format!(
            "%{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let mut values: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        values.push(text);
        values.push(&pattern);
        self.read(|conn| query_orders(conn, &sql, rusqlite::params_from_iter(values)))
    }

    /// What the paged list sorts on, for every active order, without reading a body (one
    /// covering index, `orders_list`): account id, order id, status, due instant and the
    /// soonest open buyer request's expiry (ms). Each key is handed to `each`, borrowed.
    pub fn each_active_list_key(
        &self,
        mut each: impl FnMut(ListKey<'_>),
    ) -> Result<(), StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT account_id, id, status, due_at_ms, request_expiry_ms FROM orders
                 INDEXED BY orders_list WHERE status IN (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let active: Vec<&str> = (OrderStatus::ALL.iter())
                .filter(|s| s.is_active())
                .map(|s| s.as_str())
                .collect();
            let mut rows = stmt.query(rusqlite::params_from_iter(active))?;
            while let Some(r) = rows.next()? {
                let text = |i: usize| -> Result<&str, StoreError> {
                    r.get_ref(i)?
                        .as_str()
                        .map_err(|e| StoreError::Corrupt(format!("orders column {i}: {e}")))
                };
                let Some(status) = OrderStatus::parse(text(2)?) else {
                    continue;
                };
                each(ListKey {
                    account_id: text(0)?,
                    id: text(1)?,
                    status,
                    due_at_ms: r.get(3)?,
                    request_expiry_ms: r.get(4)?,
                });
            }
            Ok(())
        })
    }

    /// The stored orders named by `keys` (account id, order id), read under one lock, in
    /// the same order: `None` for one no longer stored, `Err` text for one that no longer
    /// decodes or passes the limits.
    pub fn orders_by_keys(
        &self,
        keys: &[(&str, &str)],
    ) -> Result<Vec<Option<Result<Order, String>>>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT body_json FROM orders WHERE account_id = ?1 AND id = ?2")?;
            let mut out = Vec::with_capacity(keys.len());
            for (account_id, id) in keys {
                let json: Option<String> = stmt
                    .query_row(params![account_id, id], |r| r.get(0))
                    .map(Some)
                    .or_else(|e| match e {
                        rusqlite::Error::QueryReturnedNoRows => Ok(None),
                        e => Err(e),
                    })?;
                out.push(json.map(|j| decode_stored(&j).map_err(|e| e.to_string())));
            }
            Ok(out)
        })
    }

    pub fn order(&self, account_id: &str, id: &str) -> Result<Option<Order>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT body_json FROM orders WHERE account_id = ?1 AND id = ?2")?;
            let mut rows = stmt.query(params![account_id, id])?;
            match rows.next()? {
                Some(row) => {
                    let json: String = row.get(0)?;
                    decode_stored(&json).map(Some)
                }
                None => Ok(None),
            }
        })
    }

    pub fn order_count(&self, account_id: &str) -> Result<u64, StoreError> {
        self.read(|conn| {
            let n: i64 = conn.query_row(
                "SELECT count(*) FROM orders WHERE account_id = ?1",
                [account_id],
                |r| r.get(0),
            )?;
            Ok(n as u64)
        })
    }
}

/// Upserts inside the caller's transaction (see [`Store::upsert_orders`]).
pub(crate) fn upsert_in(
    tx: &rusqlite::Transaction<'_>,
    account_id: &str,
    orders: &[Order],
) -> Result<Vec<String>, StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO orders (account_id, id, status, due_at_ms, seq, body_json, title, buyer,
                             request_expiry_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(account_id, id) DO UPDATE SET
            status = excluded.status, due_at_ms = excluded.due_at_ms,
            seq = excluded.seq, body_json = excluded.body_json,
            title = excluded.title, buyer = excluded.buyer,
            request_expiry_ms = excluded.request_expiry_ms
         WHERE excluded.seq > orders.seq",
    )?;
    let mut changed = Vec::new();
    for order in orders {
        let json = serde_json::to_string(order)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode order: {e}")))?;
        let seq = i64::try_from(order.seq)
            .map_err(|_| StoreError::Corrupt(format!("order {} seq overflow", order.id)))?;
        let n = stmt.execute(params![
            account_id,
            order.id,
            order.status.as_str(),
            order.due_at.timestamp_millis(),
            seq,
            json,
            order.title,
            order.buyer.display_name,
            request_deadline(order).map(|at| at.timestamp_millis())
        ])?;
        if n > 0 {
            changed.push(order.id.clone());
        }
    }
    Ok(changed)
}

/// Runs a `SELECT account_id, body_json` and decodes each stored order. A row that no
/// longer decodes or passes the limits (written by an older build that did not check)
/// is left out and logged: one bad order never hides the others.
fn query_orders(
    conn: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<(String, Order)>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (account, json) = row?;
        match decode_stored(&json) {
            Ok(order) => out.push((account, order)),
            Err(e) => tracing::warn!(account, error = %e, "left out a stored order"),
        }
    }
    Ok(out)
}

/// A stored order, decoded and checked against the limits again.
fn decode_stored(json: &str) -> Result<Order, StoreError> {
    let order: Order = serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("stored order: {e}")))?;
    order
        .validate()
        .map_err(|e| StoreError::Corrupt(format!("stored order {}: {e}", order.id)))?;
    Ok(order)
}
