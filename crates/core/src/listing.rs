//! The order list as the window shows it: every active row, or only the rows a change
//! batch named, each with its countdown as of now and its account's clock offset (the
//! window recomputes the countdowns on its own minute tick).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::OrderStatus;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::countdown::{offset_from_ms, server_now};
use crate::error::AppError;
use crate::store::{Deadline, Side};
use crate::view::{OWED, OrderRow, SETTLED, add_problems, order_rows};
use crate::workspace::Workspace;

/// An order named across accounts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderKey {
    pub account_id: crate::actions::Id,
    pub order_id: crate::actions::Id,
}

impl Workspace {
    /// The active order list with countdowns as of now, most urgent first.
    pub fn order_rows(&self) -> Result<Vec<OrderRow>, AppError> {
        let orders = self.store().active_orders()?;
        self.rows_of(&orders, &self.store().order_problems()?)
    }

    /// The rows of the named orders that are still listed (active, or refused with a
    /// problem); a named order absent from the answer has left the list.
    pub fn order_rows_of(&self, keys: &[OrderKey]) -> Result<Vec<OrderRow>, AppError> {
        let mut orders = Vec::new();
        for key in keys {
            if let Some(order) = self.store().order(&key.account_id, &key.order_id)? {
                orders.push((key.account_id.to_string(), order));
            }
        }
        let problems: Vec<_> = self
            .store()
            .order_problems()?
            .into_iter()
            .filter(|(a, p)| {
                keys.iter()
                    .any(|k| *k.account_id == **a && *k.order_id == p.order_id)
            })
            .collect();
        self.rows_of(&orders, &problems)
    }

    /// The first `limit` rows of the active list, exactly as `order_rows()` starts,
    /// without reading the other orders. The list ranks rows by their soonest deadline
    /// (`view::urgency_rank`): due within the hour, then passed, then the rest. So each
    /// account gives its first `limit` orders on each side of now by due date (owed
    /// orders) and by request expiry (open buyer requests), and its first settled ones by
    /// due date — each sorted by the database on the list's own keys (whole seconds left
    /// at one instant, then id) — and the union is ranked as the list is. The window
    /// paints these before the whole list arrives.
    pub fn first_order_rows(&self, limit: usize) -> Result<Vec<OrderRow>, AppError> {
        // Whole milliseconds, so the database's `(due - now) / 1000` is the countdown's
        // own truncated seconds.
        let now = self.now();
        let now = DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now);
        let store = self.store();
        let mut orders = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for account in store.accounts()? {
            let offset = offset_from_ms(store.sync_state(&account.id)?.clock_offset_ms);
            let base = server_now(now, offset).timestamp_millis();
            let active: Vec<OrderStatus> = OWED.iter().chain(&SETTLED).copied().collect();
            let candidates = [
                (&OWED[..], (Deadline::Due, Side::Passed), base),
                (&OWED[..], (Deadline::Due, Side::Ahead), base),
                (&active[..], (Deadline::Request, Side::Passed), base),
                (&active[..], (Deadline::Request, Side::Ahead), base),
                (&SETTLED[..], (Deadline::Due, Side::Any), 0),
            ];
            for (statuses, by, at) in candidates {
                for (account_id, order) in
                    store.first_orders_of(&account.id, statuses, by, at, limit)?
                {
                    if seen.insert((account_id.clone(), order.id.clone())) {
                        orders.push((account_id, order));
                    }
                }
            }
        }
        // A problem whose order is listed but not among these marks nothing here; one
        // whose order is not listed at all has a row of its own, as in the whole list.
        let mut problems = Vec::new();
        for (account_id, p) in store.order_problems()? {
            let among = orders
                .iter()
                .any(|(a, o)| *a == account_id && o.id == p.order_id);
            let listed = || -> Result<bool, AppError> {
                Ok(store
                    .order(&account_id, &p.order_id)?
                    .is_some_and(|o| o.status.is_active()))
            };
            if among || !listed()? {
                problems.push((account_id, p));
            }
        }
        let mut rows = self.rows_at(now, &orders, &problems)?;
        rows.truncate(limit);
        Ok(rows)
    }

    pub(crate) fn rows_of(
        &self,
        orders: &[(String, sellerdesk_api::Order)],
        problems: &[(String, crate::store::OrderProblem)],
    ) -> Result<Vec<OrderRow>, AppError> {
        self.rows_at(self.now(), orders, problems)
    }

    /// The rows of `orders` (and `problems`) with countdowns at `now`, most urgent first.
    fn rows_at(
        &self,
        now: DateTime<Utc>,
        orders: &[(String, sellerdesk_api::Order)],
        problems: &[(String, crate::store::OrderProblem)],
    ) -> Result<Vec<OrderRow>, AppError> {
        let mut profiles = HashMap::new();
        let mut offsets = HashMap::new();
        for account in self.store().accounts()? {
            let state = self.store().sync_state(&account.id)?;
            let offset = crate::countdown::offset_from_ms(state.clock_offset_ms);
            offsets.insert(account.id.clone(), offset);
            if let Some(p) = account.profile {
                profiles.insert(account.id, p);
            }
        }
        let offset_of = |id: &str| offsets.get(id).copied().unwrap_or_else(Duration::zero);
        let mut rows = order_rows(orders, &|id| profiles.get(id), now, &offset_of);
        add_problems(&mut rows, problems);
        for row in &mut rows {
            row.clock_offset_ms = offset_of(&row.account_id).num_milliseconds();
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::Duration;
    use sellerdesk_api::{Order, OrderStatus};

    use super::*;
    use crate::store::{Account, Store, SyncState};
    use crate::test_orders::{order, profile, t0};

    fn placed(id: &str, status: OrderStatus, due_ms: i64) -> Order {
        let mut o = order(id, 1);
        o.status = status;
        o.due_at = t0() + Duration::milliseconds(due_ms);
        o
    }

    /// Two accounts whose marketplace clocks differ, every active status, orders due in
    /// the same second (ties broken by id), closed ones, and refused orders with and
    /// without a stored version (`alone`: also a closed one and one never stored, which
    /// have rows of their own on top).
    fn workspace(alone: bool) -> Workspace {
        use OrderStatus::*;
        let store = Store::open_in_memory().unwrap();
        for (id, offset_ms) in [("a", 0), ("b", 90_500)] {
            store
                .save_account(&Account::new(id, "Shop", "http://127.0.0.1:9"))
                .unwrap();
            store.set_profile(id, &profile()).unwrap();
            let state = SyncState {
                clock_offset_ms: offset_ms,
                ..SyncState::default()
            };
            store.save_sync_state(id, &state).unwrap();
        }
        let a = [
            // In the same second late: the id decides, not the milliseconds.
            placed("A-1", InProgress, -8_000_000),
            placed("A-2", AwaitingAcceptance, -7_999_600),
            placed("A-0", Accepted, -7_999_100),
            placed("A-3", RevisionRequested, -7_200_000),
            placed("A-4", Delivered, -86_400_000),
            placed("A-5", Disputed, -86_400_500),
            placed("A-6", Completed, -1_000),
            placed("A-7", PendingRequirements, 3_690_100),
            placed("A-8", Canceled, 5_000),
        ];
        let b = [
            placed("B-1", InProgress, 3_690_000),
            placed("B-2", InProgress, 3_690_999),
            placed("B-0", Delivered, -86_400_200),
            placed("B-3", Accepted, 999),
            placed("B-4", Disputed, 10_000),
            placed("B-5", Completed, 0),
        ];
        // Buyers' open requests: about to expire on an order due in days (ranks on top),
        // passed unanswered, on a delivered order; and the seller's own (no deadline).
        let asked = |id: &str, status, due_ms, expires_ms, by| {
            let mut o = placed(id, status, due_ms);
            o.requests = vec![sellerdesk_api::OrderRequest {
                id: format!("{id}-R1"),
                kind: sellerdesk_api::RequestKind::Cancel,
                opened_by: by,
                opened_at: t0() + Duration::milliseconds(expires_ms) - Duration::hours(48),
                expires_at: t0() + Duration::milliseconds(expires_ms),
                state: sellerdesk_api::RequestState::Pending,
                message: "Can we stop?".into(),
                proposed_due_at: None,
                price_minor: None,
                resolved_at: None,
                form: Default::default(),
            }];
            o
        };
        use sellerdesk_api::Party::{Buyer, Seller};
        let requests = [
            asked("R-1", InProgress, 400_000_000, 1_800_000, Buyer),
            asked("R-2", Accepted, 500_000_000, -60_000, Buyer),
            asked("R-3", Delivered, -3_000_000, 170_000_000, Buyer),
            asked("R-4", InProgress, 3_000_000, 600_000, Seller),
        ];
        store.upsert_orders("a", &a).unwrap();
        store.upsert_orders("a", &requests).unwrap();
        store.upsert_orders("b", &b).unwrap();
        store
            .with_tx(|tx| {
                // A refused version of a listed order, of a closed one, of one never stored.
                let refused = [("A-1", 5), ("A-6", 6), ("A-9", 7)];
                for (id, seen) in &refused[..if alone { 3 } else { 1 }] {
                    tx.execute(
                        "INSERT INTO order_problems (account_id, order_id, title, problem, seen_ms)
                         VALUES ('a', ?1, 'Refused', 'absurd price', ?2)",
                        rusqlite::params![id, seen],
                    )?;
                }
                Ok(())
            })
            .unwrap();
        let now = t0() + Duration::microseconds(1_700);
        Workspace::with_store(store, vec![], false, Arc::new(move || now)).unwrap()
    }

    #[test]
    fn the_first_rows_are_the_whole_lists_first_rows() {
        for alone in [false, true] {
            let ws = workspace(alone);
            let all = ws.order_rows().unwrap();
            assert!(all.len() > 10, "the fixture lists many rows: {}", all.len());
            for limit in 0..=all.len() + 2 {
                let first = ws.first_order_rows(limit).unwrap();
                let want = &all[..limit.min(all.len())];
                assert_eq!(
                    first, want,
                    "the first {limit} rows must be the whole list's first {limit}, countdowns included"
                );
            }
        }
    }
}
