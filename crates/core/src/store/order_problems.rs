//! The `order_problems` table: orders the marketplace sent that the app refused (see
//! `sellerdesk_api::limits`), one row per order, so the list names each one and its
//! reason while every other order syncs. A later valid version of the order clears it.

use rusqlite::params;
use sellerdesk_api::Order;

use super::{Store, StoreError};

/// An order that could not be taken in, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderProblem {
    /// The order's id (its first 128 characters when the id itself was the problem).
    pub order_id: String,
    /// The start of its title, when it had one.
    pub title: String,
    /// What is wrong, for the seller and the log.
    pub problem: String,
    pub seen_ms: i64,
}

impl OrderProblem {
    /// The problem with `order`, keeping only short previews of its id and title.
    pub fn of(order: &Order, problem: String, seen_ms: i64) -> OrderProblem {
        OrderProblem {
            order_id: preview(&order.id, 128),
            title: preview(&order.title, 200),
            problem,
            seen_ms,
        }
    }
}

fn preview(text: &str, max: usize) -> String {
    let mut out: String = text.chars().filter(|c| !c.is_control()).take(max).collect();
    if out.is_empty() {
        out.push('?');
    }
    out
}

impl Store {
    /// Every refused order, of every account, oldest first.
    pub fn order_problems(&self) -> Result<Vec<(String, OrderProblem)>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT account_id, order_id, title, problem, seen_ms FROM order_problems
                 ORDER BY seen_ms, account_id, order_id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    OrderProblem {
                        order_id: r.get(1)?,
                        title: r.get(2)?,
                        problem: r.get(3)?,
                        seen_ms: r.get(4)?,
                    },
                ))
            })?;
            rows.map(|r| r.map_err(StoreError::from)).collect()
        })
    }

    /// The problem of one order, if it was refused.
    pub fn order_problem(
        &self,
        account_id: &str,
        order_id: &str,
    ) -> Result<Option<String>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT problem FROM order_problems WHERE account_id = ?1 AND order_id = ?2",
            )?;
            let mut rows = stmt.query(params![account_id, order_id])?;
            Ok(match rows.next()? {
                Some(row) => Some(row.get(0)?),
                None => None,
            })
        })
    }
}

/// Inside a pull's transaction: a valid version of an order clears its problem, a refused
/// one records (or refreshes) it.
pub(crate) fn replace_in(
    tx: &rusqlite::Transaction<'_>,
    account_id: &str,
    valid: &[Order],
    problems: &[OrderProblem],
) -> Result<(), StoreError> {
    let mut clear =
        tx.prepare_cached("DELETE FROM order_problems WHERE account_id = ?1 AND order_id = ?2")?;
    for order in valid {
        clear.execute(params![account_id, order.id])?;
    }
    let mut put = tx.prepare_cached(
        "INSERT INTO order_problems (account_id, order_id, title, problem, seen_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(account_id, order_id) DO UPDATE SET
            title = excluded.title, problem = excluded.problem, seen_ms = excluded.seen_ms",
    )?;
    for p in problems {
        put.execute(params![
            account_id, p.order_id, p.title, p.problem, p.seen_ms
        ])?;
    }
    Ok(())
}
