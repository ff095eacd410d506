//! The order list whole: every active row, or only the rows of named orders, each with
//! its countdown as of now and its account's clock offset. The window asks for pages
//! (`crate::paging`), which follow the same order; this whole list is their reference.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;
use crate::view::{OrderRow, add_problems, order_rows};
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

    /// The summary line as the window would count it from the whole list's rows.
    fn summary_of(rows: &[OrderRow]) -> crate::paging::ListSummary {
        use crate::countdown::CountdownState::*;
        let count = |f: &dyn Fn(&OrderRow) -> bool| rows.iter().filter(|r| f(r)).count() as u32;
        crate::paging::ListSummary {
            total: rows.len() as u32,
            late: count(&|r| {
                matches!(r.countdown.as_ref().map(|c| c.state), Some(Late | VeryLate))
            }),
            due_soon: count(&|r| matches!(r.countdown.as_ref().map(|c| c.state), Some(DueSoon))),
            to_accept: count(&|r| r.status == crate::view::RowStatus::AwaitingAcceptance),
        }
    }

    #[test]
    fn every_page_is_that_slice_of_the_whole_list() {
        for alone in [false, true] {
            let ws = workspace(alone);
            let all = ws.order_rows().unwrap();
            assert!(all.len() > 10, "the fixture lists many rows: {}", all.len());
            for offset in 0..=all.len() + 1 {
                for limit in 0..=all.len() + 2 - offset.min(all.len()) {
                    let page = ws.order_page(offset, limit).unwrap();
                    let from = offset.min(all.len());
                    let want = &all[from..(from + limit).min(all.len())];
                    assert_eq!(
                        page.rows, want,
                        "rows {offset}..+{limit} must be the whole list's, countdowns included"
                    );
                    assert_eq!(page.offset as usize, from);
                    assert_eq!(page.total as usize, all.len());
                    assert_eq!(
                        page.summary,
                        summary_of(&all),
                        "the summary counts the whole list"
                    );
                }
            }
        }
    }

    #[test]
    fn a_page_follows_a_written_order_and_the_passing_time() {
        let now = Arc::new(std::sync::Mutex::new(t0()));
        let clock = now.clone();
        let store = Store::open_in_memory().unwrap();
        store
            .save_account(&Account::new("a", "Shop", "http://127.0.0.1:9"))
            .unwrap();
        store.set_profile("a", &profile()).unwrap();
        let later = placed("L-1", OrderStatus::InProgress, 2 * 3_600_000);
        let sooner = placed("S-1", OrderStatus::InProgress, 5 * 3_600_000);
        store.upsert_orders("a", &[later, sooner.clone()]).unwrap();
        let ws = Workspace::with_store(
            store,
            vec![],
            false,
            Arc::new(move || *clock.lock().unwrap()),
        )
        .unwrap();
        let ids = |ws: &Workspace| -> Vec<String> {
            ws.order_page(0, 10)
                .unwrap()
                .rows
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(ids(&ws), ["L-1", "S-1"]);

        // S-1 now falls due first: the cached index is rebuilt from the write.
        let mut moved = sooner;
        moved.seq += 1;
        moved.due_at = t0() + Duration::minutes(30);
        ws.store().upsert_orders("a", &[moved]).unwrap();
        assert_eq!(ids(&ws), ["S-1", "L-1"], "a written order moves at once");
        assert_eq!(ws.order_page(0, 10).unwrap().summary.due_soon, 2);

        // An hour on, S-1 is late and L-1 within the hour: the imminent one goes on top.
        *now.lock().unwrap() = t0() + Duration::minutes(70);
        let page = ws.order_page(0, 10).unwrap();
        assert_eq!(ids(&ws), ["L-1", "S-1"], "time moving re-sorts the list");
        assert_eq!((page.summary.late, page.summary.due_soon), (1, 1));
        assert_eq!(ws.order_page(0, 10).unwrap().rows, ws.order_rows().unwrap());

        // A completed order leaves the list.
        let mut done = placed("L-1", OrderStatus::Completed, 2 * 3_600_000);
        done.seq += 5;
        ws.store().upsert_orders("a", &[done]).unwrap();
        assert_eq!(ids(&ws), ["S-1"]);
        assert_eq!(ws.order_page(0, 10).unwrap().total, 1);
    }

    #[test]
    fn a_stored_order_that_no_longer_reads_is_its_own_rows_problem_in_a_page() {
        let ws = workspace(false);
        let good = ws.order_rows().unwrap();
        ws.store()
            .with_tx(|tx| {
                tx.execute(
                    "INSERT INTO orders (account_id, id, status, due_at_ms, seq, body_json)
                     VALUES ('a', 'BAD-1', 'in_progress', 0, 1, '{\"not\": \"an order\"}')",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        let page = ws.order_page(0, 100).unwrap();
        assert_eq!(
            page.total as usize,
            good.len() + 1,
            "the bad row is counted"
        );
        let bad: Vec<_> = page.rows.iter().filter(|r| r.id == "BAD-1").collect();
        assert_eq!(bad.len(), 1, "the bad order has one row");
        assert_eq!(bad[0].status, crate::view::RowStatus::Problem);
        assert_eq!(bad[0].account_id, "a");
        assert!(
            bad[0]
                .problem
                .as_deref()
                .unwrap_or("")
                .contains("could not be read")
        );
        let others: Vec<_> = page.rows.into_iter().filter(|r| r.id != "BAD-1").collect();
        assert_eq!(others, good, "every other row shows as before");
    }
}
