//! The `outbox` table: seller actions written here first (so nothing is lost offline),
//! pushed in order, each with its own idempotency key so a retry is applied once.

use rusqlite::{OptionalExtension, params};
use sellerdesk_api::{Order, OrderAction};

use super::{Store, StoreError, orders};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting to be pushed (or retried).
    Pending,
    /// Applied by the marketplace.
    Done,
    /// Refused by the marketplace; kept with its reason.
    Failed,
}

impl OutboxState {
    fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Done => "done",
            OutboxState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Result<OutboxState, StoreError> {
        match s {
            "pending" => Ok(OutboxState::Pending),
            "done" => Ok(OutboxState::Done),
            "failed" => Ok(OutboxState::Failed),
            other => Err(StoreError::Corrupt(format!("outbox state {other:?}"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub seq: i64,
    pub account_id: String,
    pub order_id: String,
    pub idempotency_key: String,
    pub action: OrderAction,
    pub state: OutboxState,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// When the seller took the action (ms since the epoch).
    pub created_ms: i64,
}

const COLUMNS: &str = "seq, account_id, order_id, idempotency_key, action_json, state, attempts, last_error, created_ms";

fn item(row: &rusqlite::Row<'_>) -> rusqlite::Result<(OutboxItem, String, String)> {
    Ok((
        OutboxItem {
            seq: row.get(0)?,
            account_id: row.get(1)?,
            order_id: row.get(2)?,
            idempotency_key: row.get(3)?,
            action: OrderAction::Accept,
            state: OutboxState::Pending,
            attempts: row.get::<_, i64>(6)? as u32,
            last_error: row.get(7)?,
            created_ms: row.get(8)?,
        },
        row.get(4)?,
        row.get(5)?,
    ))
}

fn decode((mut item, json, state): (OutboxItem, String, String)) -> Result<OutboxItem, StoreError> {
    item.action = serde_json::from_str(&json)
        .map_err(|e| StoreError::Corrupt(format!("outbox action {}: {e}", item.seq)))?;
    item.state = OutboxState::parse(&state)?;
    Ok(item)
}

impl Store {
    /// Records an action to push; returns it with its fresh idempotency key.
    pub fn enqueue_action(
        &self,
        account_id: &str,
        order_id: &str,
        action: &OrderAction,
        now_ms: i64,
    ) -> Result<OutboxItem, StoreError> {
        let json = serde_json::to_string(action)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode action: {e}")))?;
        let key = uuid::Uuid::new_v4().to_string();
        // The window shows the action as sent to the outbox: it must survive a power loss.
        self.with_durable_tx(|tx| {
            tx.execute(
                "INSERT INTO outbox (account_id, order_id, idempotency_key, action_json, state, created_ms)
                 VALUES (?1, ?2, ?3, ?4, 'pending', ?5)",
                params![account_id, order_id, key, json, now_ms],
            )?;
            let seq = tx.last_insert_rowid();
            Ok(OutboxItem {
                seq,
                account_id: account_id.to_string(),
                order_id: order_id.to_string(),
                idempotency_key: key.clone(),
                action: action.clone(),
                state: OutboxState::Pending,
                attempts: 0,
                last_error: None,
                created_ms: now_ms,
            })
        })
    }

    /// Pending actions of an account, oldest first (the order they must be applied in).
    pub fn pending_actions(&self, account_id: &str) -> Result<Vec<OutboxItem>, StoreError> {
        self.outbox_where("account_id = ?1 AND state = 'pending'", account_id)
    }

    /// Every action on one order not yet applied (pending or refused), oldest first.
    pub fn open_actions_of(
        &self,
        account_id: &str,
        order_id: &str,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let key = format!("{account_id}\u{0}{order_id}");
        self.outbox_where(
            "account_id || char(0) || order_id = ?1 AND state != 'done'",
            &key,
        )
    }

    fn outbox_where(&self, condition: &str, arg: &str) -> Result<Vec<OutboxItem>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM outbox WHERE {condition} ORDER BY seq"
            ))?;
            let rows = stmt.query_map([arg], item)?;
            rows.map(|r| decode(r?)).collect()
        })
    }

    /// The marketplace applied the action: store the order it returned (if newer) and
    /// close the item, in one transaction.
    pub fn complete_action(
        &self,
        seq: i64,
        account_id: &str,
        order: &Order,
        now_ms: i64,
    ) -> Result<Vec<String>, StoreError> {
        self.with_tx(|tx| {
            let changed = orders::upsert_in(tx, account_id, std::slice::from_ref(order))?;
            tx.execute(
                "UPDATE outbox SET state = 'done', attempts = attempts + 1, last_error = NULL, done_ms = ?2 WHERE seq = ?1",
                params![seq, now_ms],
            )?;
            Ok(changed)
        })
    }

    /// A push attempt failed: count it, keep the reason, and either leave the item
    /// pending (retryable) or mark it failed (the marketplace refused it).
    pub fn note_action_failure(
        &self,
        seq: i64,
        reason: &str,
        permanent: bool,
    ) -> Result<(), StoreError> {
        let state = if permanent {
            OutboxState::Failed
        } else {
            OutboxState::Pending
        };
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, state = ?3 WHERE seq = ?1",
                params![seq, reason, state.as_str()],
            )?;
            Ok(())
        })
    }

    /// Drops a refused action the seller no longer wants shown.
    pub fn dismiss_action(&self, seq: i64) -> Result<bool, StoreError> {
        self.with_tx(|tx| {
            let n = tx.execute(
                "DELETE FROM outbox WHERE seq = ?1 AND state = 'failed'",
                [seq],
            )?;
            Ok(n > 0)
        })
    }

    pub fn outbox_item(&self, seq: i64) -> Result<Option<OutboxItem>, StoreError> {
        self.read(|conn| {
            let row = conn
                .query_row(
                    &format!("SELECT {COLUMNS} FROM outbox WHERE seq = ?1"),
                    [seq],
                    item,
                )
                .optional()?;
            row.map(decode).transpose()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Account;

    fn store() -> Store {
        let s = Store::open_in_memory().unwrap();
        s.save_account(&Account::new("a", "A", "http://127.0.0.1:1"))
            .unwrap();
        s
    }

    #[test]
    fn actions_queue_in_order_with_distinct_keys() {
        let s = store();
        let first = s
            .enqueue_action("a", "D-1", &OrderAction::Accept, 1)
            .unwrap();
        let second = s
            .enqueue_action("a", "D-2", &OrderAction::Decline, 2)
            .unwrap();
        assert_ne!(
            first.idempotency_key, second.idempotency_key,
            "every action has its own key"
        );
        let pending = s.pending_actions("a").unwrap();
        assert_eq!(
            pending
                .iter()
                .map(|i| i.order_id.as_str())
                .collect::<Vec<_>>(),
            ["D-1", "D-2"]
        );
        assert_eq!(
            pending[1].action,
            OrderAction::Decline,
            "the action round-trips"
        );
    }

    #[test]
    fn a_retryable_failure_keeps_the_item_pending_and_a_refusal_fails_it() {
        let s = store();
        let item = s
            .enqueue_action("a", "D-1", &OrderAction::Accept, 1)
            .unwrap();
        s.note_action_failure(item.seq, "server error 503", false)
            .unwrap();
        let again = s.outbox_item(item.seq).unwrap().unwrap();
        assert_eq!(
            (again.state, again.attempts),
            (OutboxState::Pending, 1),
            "a retryable failure must not drop the action"
        );
        s.note_action_failure(item.seq, "cannot accept an order that is in progress", true)
            .unwrap();
        let failed = s.outbox_item(item.seq).unwrap().unwrap();
        assert_eq!(failed.state, OutboxState::Failed);
        assert_eq!(
            failed.last_error.as_deref(),
            Some("cannot accept an order that is in progress"),
            "the server's reason is kept"
        );
        assert!(s.pending_actions("a").unwrap().is_empty());
        assert_eq!(
            s.open_actions_of("a", "D-1").unwrap().len(),
            1,
            "a refused action stays visible on its order"
        );
        assert!(s.dismiss_action(item.seq).unwrap());
        assert!(s.open_actions_of("a", "D-1").unwrap().is_empty());
    }
}
