//! Change batches: what the core tells the window changed, so it re-fetches only that.
//! One batch per operation or sync round; each change names an account, the order if
//! one, and what about it changed.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The order itself (status, requests, chat, review…): its row and its detail.
    Order,
    /// The order's outbox (an action queued, applied or refused).
    Outbox,
    /// The order's delivery draft.
    Draft,
    /// The order's deliveries and their uploads.
    Deliveries,
    /// The account list (added, removed, connected).
    Accounts,
    /// What waits for the seller's answer (the badge, the inbox).
    Badge,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub account_id: String,
    /// The order, for order-level changes.
    pub order_id: Option<String>,
    pub what: ChangeKind,
}

/// Payload of the `changes` event.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ChangeBatch {
    pub changes: Vec<Change>,
    /// The changes already named, so `push` stays O(1): an initial sync of 100,000
    /// orders pushes 100,000 changes, and a linear `contains` made that quadratic
    /// (~20 s). Rebuilt from `changes` when the two disagree (a deserialized batch).
    #[serde(skip)]
    #[ts(skip)]
    seen: HashSet<Change>,
}

impl PartialEq for ChangeBatch {
    fn eq(&self, other: &Self) -> bool {
        self.changes == other.changes
    }
}

impl Eq for ChangeBatch {}

impl ChangeBatch {
    /// A batch naming `whats` of one order.
    pub fn order(account_id: &str, order_id: &str, whats: &[ChangeKind]) -> ChangeBatch {
        let mut batch = ChangeBatch::default();
        for what in whats {
            batch.push(account_id, Some(order_id), *what);
        }
        batch
    }

    /// Adds a change once (a batch never names the same thing twice).
    pub fn push(&mut self, account_id: &str, order_id: Option<&str>, what: ChangeKind) {
        let change = Change {
            account_id: account_id.to_string(),
            order_id: order_id.map(str::to_string),
            what,
        };
        if self.seen.len() != self.changes.len() {
            self.seen = self.changes.iter().cloned().collect();
        }
        if self.seen.insert(change.clone()) {
            self.changes.push(change);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether the batch names this kind of change at all.
    pub fn names(&self, what: ChangeKind) -> bool {
        self.changes.iter().any(|c| c.what == what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_names_each_change_once() {
        let mut batch = ChangeBatch::order("a", "D-1", &[ChangeKind::Outbox, ChangeKind::Order]);
        batch.push("a", Some("D-1"), ChangeKind::Outbox);
        batch.push("a", None, ChangeKind::Badge);
        assert_eq!(batch.changes.len(), 3, "{batch:?}");
        assert!(batch.names(ChangeKind::Badge));
        assert!(!batch.names(ChangeKind::Draft));
    }

    #[test]
    fn a_decoded_batch_still_names_each_change_once() {
        let sent = ChangeBatch::order("a", "D-1", &[ChangeKind::Order]);
        let mut batch: ChangeBatch =
            serde_json::from_str(&serde_json::to_string(&sent).unwrap()).unwrap();
        assert_eq!(batch, sent, "the wire form carries the changes alone");
        batch.push("a", Some("D-1"), ChangeKind::Order);
        assert_eq!(
            batch.changes.len(),
            1,
            "a decoded batch must not repeat a change: {batch:?}"
        );
    }

    #[test]
    fn a_large_batch_keeps_every_distinct_change_in_order() {
        let mut batch = ChangeBatch::default();
        for i in 0..5_000 {
            batch.push("a", Some(&format!("D-{i}")), ChangeKind::Order);
            batch.push("a", Some(&format!("D-{i}")), ChangeKind::Order);
        }
        assert_eq!(batch.changes.len(), 5_000, "each order is named once");
        assert_eq!(
            batch.changes[4_999].order_id.as_deref(),
            Some("D-4999"),
            "in push order"
        );
    }
}
