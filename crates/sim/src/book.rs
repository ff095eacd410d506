//! The simulator's orders, indexed by change sequence so the change feed
//! (`GET /v1/orders?since=`) is a range scan.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sellerdesk_api::{Order, OrderPage};

#[derive(Debug, Clone)]
pub(crate) struct OrderBook {
    by_seq: BTreeMap<u64, Order>,
    seq_of: HashMap<String, u64>,
    next_seq: u64,
}

impl Default for OrderBook {
    fn default() -> OrderBook {
        OrderBook {
            by_seq: BTreeMap::new(),
            seq_of: HashMap::new(),
            next_seq: 1,
        }
    }
}

impl OrderBook {
    /// Stores an order keeping its own seq and `updated_at` (seeding demo data).
    /// Replaces any order with the same id or the same seq.
    pub(crate) fn insert_with_seq(&mut self, order: Order) {
        self.remove(&order.id);
        if let Some(old) = self.by_seq.remove(&order.seq) {
            self.seq_of.remove(&old.id);
        }
        self.next_seq = self.next_seq.max(order.seq.saturating_add(1));
        self.seq_of.insert(order.id.clone(), order.seq);
        self.by_seq.insert(order.seq, order);
    }

    /// Stores a new version of an order: it takes the next seq, so it shows up after
    /// every cursor handed out so far.
    pub(crate) fn upsert(&mut self, mut order: Order, now: DateTime<Utc>) -> Order {
        self.remove(&order.id);
        order.seq = self.next_seq;
        order.updated_at = now;
        self.next_seq = self.next_seq.saturating_add(1);
        self.seq_of.insert(order.id.clone(), order.seq);
        self.by_seq.insert(order.seq, order.clone());
        order
    }

    fn remove(&mut self, id: &str) -> Option<Order> {
        let seq = self.seq_of.remove(id)?;
        self.by_seq.remove(&seq)
    }

    pub(crate) fn clear(&mut self) {
        self.by_seq.clear();
        self.seq_of.clear();
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Order> {
        self.seq_of.get(id).and_then(|seq| self.by_seq.get(seq))
    }

    /// Orders with at least one pending request (candidates for expiry).
    #[cfg(test)]
    pub(crate) fn with_pending_requests(&self) -> Vec<Order> {
        self.by_seq
            .values()
            .filter(|o| {
                o.requests
                    .iter()
                    .any(|r| r.state == sellerdesk_api::RequestState::Pending)
            })
            .cloned()
            .collect()
    }

    /// Every order, in change order, without copying.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Order> {
        self.by_seq.values()
    }

    pub(crate) fn all(&self) -> Vec<Order> {
        self.by_seq.values().cloned().collect()
    }

    /// Orders with `seq > since`, oldest change first, at most `limit`. The cursor is
    /// the last returned seq, or `since` itself when nothing changed.
    pub(crate) fn page(&self, since: u64, limit: u32) -> OrderPage {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let mut after = self
            .by_seq
            .range((std::ops::Bound::Excluded(since), std::ops::Bound::Unbounded))
            .map(|(_, order)| order);
        let orders: Vec<Order> = after.by_ref().take(limit).cloned().collect();
        let has_more = after.next().is_some();
        let next_cursor = orders.last().map_or(since, |o| o.seq).to_string();
        OrderPage {
            orders,
            next_cursor,
            has_more,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::demo_orders;

    fn book() -> OrderBook {
        let mut book = OrderBook::default();
        for order in demo_orders(Utc::now()) {
            book.insert_with_seq(order);
        }
        book
    }

    #[test]
    fn pages_cover_the_feed_in_seq_order() {
        // (since, limit, expected seqs, next_cursor, has_more)
        let cases: [(u64, u32, Vec<u64>, &str, bool); 6] = [
            (0, 7, (1..=7).collect(), "7", true),
            (28, 7, vec![29, 30], "30", false),
            (23, 7, (24..=30).collect(), "30", false),
            (30, 7, vec![], "30", false),
            (999, 7, vec![], "999", false),
            (0, 100, (1..=30).collect(), "30", false),
        ];
        let book = book();
        for (since, limit, seqs, cursor, more) in cases {
            let page = book.page(since, limit);
            let got: Vec<u64> = page.orders.iter().map(|o| o.seq).collect();
            assert_eq!(got, seqs, "seqs after {since} with limit {limit}");
            assert_eq!(
                page.next_cursor, cursor,
                "cursor after {since} with limit {limit}"
            );
            assert_eq!(
                page.has_more, more,
                "has_more after {since} with limit {limit}"
            );
        }
    }

    #[test]
    fn an_upsert_moves_the_order_to_the_end_of_the_feed() {
        let mut book = book();
        let mut order = book.get("D-1005").cloned().unwrap();
        order.title = "Changed".into();
        let now = Utc::now();
        let stored = book.upsert(order, now);
        assert_eq!(stored.seq, 31, "a change takes the next seq");
        assert_eq!(
            stored.updated_at, now,
            "updated_at is the time of the change"
        );
        assert_eq!(
            book.all().len(),
            30,
            "an upsert of a known id must not duplicate it"
        );
        let page = book.page(30, 10);
        assert_eq!(
            page.orders,
            vec![stored],
            "only the changed order is after cursor 30"
        );
        let feed = book.page(0, 100);
        let ids: Vec<&str> = feed.orders.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids.iter().filter(|id| **id == "D-1005").count(),
            1,
            "one version per order"
        );
        assert_eq!(
            ids.last(),
            Some(&"D-1005"),
            "the changed order comes last in the feed"
        );
    }
}
