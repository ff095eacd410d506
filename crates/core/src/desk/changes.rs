//! Change batches: what the core tells the window changed, so it re-fetches only that.
//! One batch per operation or sync round; each change names an account, the order if
//! one, and what about it changed.

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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChangeBatch {
    pub changes: Vec<Change>,
}

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
        if !self.changes.contains(&change) {
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
}
