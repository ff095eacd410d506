//! Past orders one filter away: the stored orders of one status group, matching a text
//! over id, title and buyer, in the order the seller picked. The database filters; the
//! rows are built like the active list's (closed orders with no countdown).

use std::collections::HashMap;

use sellerdesk_api::OrderStatus;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};
use crate::view::{OrderRow, closed_order_row};
use crate::workspace::Workspace;

/// Which orders the list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OrderFilter {
    /// Every order not completed or canceled (the live list).
    #[default]
    Active,
    NeedsAcceptance,
    Delivered,
    Completed,
    Canceled,
    Disputed,
}

/// How the list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OrderSort {
    /// Owed deliveries by time left (late first), then the rest by due date; closed
    /// orders latest due first.
    #[default]
    Urgency,
    /// Earliest due date first.
    DueDate,
    /// Most recently placed first.
    Newest,
    /// Highest gross price first.
    Price,
}

/// What the seller asked the order list for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct OrderQuery {
    pub status: OrderFilter,
    /// Matched against the order's id, title and buyer name; empty matches all.
    pub text: String,
    pub sort: OrderSort,
}

/// Longest search text accepted from the window.
const MAX_TEXT_CHARS: usize = 200;

impl OrderFilter {
    /// The wire statuses this filter shows.
    pub fn statuses(self) -> Vec<OrderStatus> {
        use OrderStatus::*;
        match self {
            OrderFilter::Active => [
                AwaitingAcceptance,
                PendingRequirements,
                Accepted,
                InProgress,
                Delivered,
                RevisionRequested,
                Disputed,
            ]
            .to_vec(),
            OrderFilter::NeedsAcceptance => vec![AwaitingAcceptance],
            OrderFilter::Delivered => vec![Delivered],
            OrderFilter::Completed => vec![Completed],
            OrderFilter::Canceled => vec![Canceled],
            OrderFilter::Disputed => vec![Disputed],
        }
    }
}

impl Workspace {
    /// The orders matching `query`, sorted as it asks.
    pub fn find_orders(&self, query: &OrderQuery) -> Result<Vec<OrderRow>, AppError> {
        if query.text.chars().count() > MAX_TEXT_CHARS {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("a search needs at most {MAX_TEXT_CHARS} characters"),
            ));
        }
        let found = self
            .store()
            .find_orders(&query.status.statuses(), &query.text)?;
        let (active, closed): (Vec<_>, Vec<_>) = found
            .iter()
            .cloned()
            .partition(|(_, o)| o.status.is_active());
        let mut rows = self.rows_of(&active, &[])?;
        let profiles: HashMap<String, _> = self
            .store()
            .accounts()?
            .into_iter()
            .filter_map(|a| a.profile.map(|p| (a.id, p)))
            .collect();
        let mut closed_rows: Vec<OrderRow> = closed
            .iter()
            .filter_map(|(account, order)| {
                let profile = profiles.get(account)?;
                Some(closed_order_row(account, order, profile))
            })
            .collect();
        closed_rows.sort_by_key(|r| std::cmp::Reverse(r.due_at));
        rows.extend(closed_rows);
        // Urgency is the active list's own order; the others sort on the stored orders.
        let facts: HashMap<(&str, &str), (i64, i64)> = found
            .iter()
            .map(|(account, o)| {
                let key = (account.as_str(), o.id.as_str());
                (key, (o.created_at.timestamp_millis(), o.gross_minor()))
            })
            .collect();
        let fact = |r: &OrderRow| {
            facts
                .get(&(r.account_id.as_str(), r.id.as_str()))
                .copied()
                .unwrap_or_default()
        };
        let tie = |r: &OrderRow| (r.id.clone(), r.account_id.clone());
        match query.sort {
            OrderSort::Urgency => {}
            OrderSort::DueDate => rows.sort_by_key(|r| (r.due_at, tie(r))),
            OrderSort::Newest => rows.sort_by_key(|r| (std::cmp::Reverse(fact(r).0), tie(r))),
            OrderSort::Price => rows.sort_by_key(|r| (std::cmp::Reverse(fact(r).1), tie(r))),
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::Duration;
    use sellerdesk_api::Order;

    use super::*;
    use crate::store::{Account, Store};
    use crate::test_orders::{order, profile, t0};

    fn placed(id: &str, status: OrderStatus, title: &str, buyer: &str, days: i64) -> Order {
        let mut o = order(id, 1);
        o.status = status;
        o.title = title.into();
        o.buyer.display_name = buyer.into();
        o.created_at = t0() - Duration::days(30 - days);
        o.due_at = t0() + Duration::days(days);
        o.base_price_minor = 1_000 * (days + 20);
        o
    }

    fn workspace() -> Workspace {
        let store = Store::open_in_memory().unwrap();
        store
            .save_account(&Account::new("a", "Shop", "http://127.0.0.1:9"))
            .unwrap();
        store.set_profile("a", &profile()).unwrap();
        use OrderStatus::*;
        let orders = [
            placed("D-1", InProgress, "Logo design", "Ann", 3),
            placed("D-2", AwaitingAcceptance, "Podcast edit", "Bob", 5),
            placed("D-3", Delivered, "Logo refresh", "Cleo", 1),
            placed("D-4", Completed, "Voice over 100%", "Ann", -10),
            placed("D-5", Completed, "Website copy", "Dan_x", -2),
            placed("D-6", Canceled, "Logo animation", "Eve", -5),
            placed("D-7", Disputed, "Mixing", "Fay", -1),
        ];
        store.upsert_orders("a", &orders).unwrap();
        Workspace::with_store(store, vec![], false, Arc::new(t0)).unwrap()
    }

    fn query(status: OrderFilter, text: &str, sort: OrderSort) -> OrderQuery {
        OrderQuery {
            status,
            text: text.into(),
            sort,
        }
    }

    #[test]
    fn each_filter_search_and_sort_lists_the_right_orders_in_order() {
        use OrderFilter::*;
        use OrderSort::*;
        let ws = workspace();
        let cases: &[(OrderQuery, &[&str], &str)] = &[
            (
                query(Active, "", Urgency),
                &["D-1", "D-2", "D-7", "D-3"],
                "owed deliveries by time left, then delivered/disputed by due date",
            ),
            (
                query(NeedsAcceptance, "", Urgency),
                &["D-2"],
                "only orders to accept",
            ),
            (query(Delivered, "", Urgency), &["D-3"], "only delivered"),
            (
                query(Completed, "", Urgency),
                &["D-5", "D-4"],
                "closed orders: latest due first",
            ),
            (query(Canceled, "", Urgency), &["D-6"], "only canceled"),
            (query(Disputed, "", Urgency), &["D-7"], "only disputed"),
            (
                query(Active, "logo", Urgency),
                &["D-1", "D-3"],
                "title, any case",
            ),
            (query(Completed, "ann", Urgency), &["D-4"], "buyer name"),
            (query(Active, "d-2", Urgency), &["D-2"], "order id"),
            (
                query(Completed, "100%", Urgency),
                &["D-4"],
                "a % is literal",
            ),
            (
                query(Completed, "n_x", Urgency),
                &["D-5"],
                "an _ is literal",
            ),
            (
                query(Completed, "0_", Urgency),
                &[],
                "an _ matches only itself",
            ),
            (
                query(Active, "", DueDate),
                &["D-7", "D-3", "D-1", "D-2"],
                "earliest due first",
            ),
            (
                query(Active, "", Newest),
                &["D-2", "D-1", "D-3", "D-7"],
                "most recently placed first",
            ),
            (
                query(Completed, "", Price),
                &["D-5", "D-4"],
                "highest price first",
            ),
        ];
        for (q, want, why) in cases {
            let rows = ws.find_orders(q).unwrap();
            let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(&ids, want, "{q:?}: {why}");
        }
    }

    #[test]
    fn closed_rows_carry_their_status_and_no_countdown() {
        let rows = workspace()
            .find_orders(&query(OrderFilter::Completed, "", OrderSort::Urgency))
            .unwrap();
        assert!(
            rows.iter()
                .all(|r| r.countdown.is_none() && r.status == crate::view::RowStatus::Completed),
            "a completed order shows as completed, with nothing owed: {rows:?}"
        );
    }

    #[test]
    fn an_overlong_search_is_refused() {
        let err = workspace()
            .find_orders(&query(
                OrderFilter::Active,
                &"x".repeat(201),
                OrderSort::Urgency,
            ))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
    }
}
