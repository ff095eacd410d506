//! The marketplace's clock at work: pending order requests nobody answered within the
//! profile's expiry become Expired, with the outcome the shared rules give (the order is
//! canceled for unanswered cancel and progress-update requests). Applied before every
//! read, so whatever the client sees is already up to date with the simulator's clock.

use chrono::{DateTime, Utc};
use sellerdesk_api::{Order, Profile, RequestState};
use sellerdesk_rules::resolve_expired;

#[cfg(test)]
use crate::book::OrderBook;

/// Expires what is due at `now`; each changed order becomes a new change in the feed.
/// Returns how many orders changed. The running simulator plays expiry in time order
/// with everything else ([`crate::lifecycle`]); this batch form is kept for the tables.
#[cfg(test)]
pub(crate) fn expire_due(book: &mut OrderBook, profile: &Profile, now: DateTime<Utc>) -> usize {
    let changed: Vec<Order> = book
        .with_pending_requests()
        .into_iter()
        .filter_map(|order| expire_order(order, profile, now))
        .collect();
    let n = changed.len();
    for order in changed {
        book.upsert(order, now);
    }
    n
}

pub(crate) fn expire_order(
    mut order: Order,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Option<Order> {
    let mut changed = false;
    for i in 0..order.requests.len() {
        let Some(effect) = resolve_expired(&order, &order.requests[i], profile, now) else {
            continue;
        };
        let request = &mut order.requests[i];
        request.state = RequestState::Expired;
        request.resolved_at = Some(effect.expired_at);
        if let Some(status) = effect.order_status {
            order.status = status;
        }
        changed = true;
    }
    changed.then_some(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use sellerdesk_api::OrderStatus;

    fn book_at(start: DateTime<Utc>) -> OrderBook {
        let mut book = OrderBook::default();
        for order in crate::demo_orders(start) {
            book.insert_with_seq(order);
        }
        book
    }

    #[test]
    fn nothing_expires_before_48_hours() {
        let start = Utc::now();
        let mut book = book_at(start);
        let profile = crate::profile("fiverr").unwrap();
        assert_eq!(
            expire_due(&mut book, &profile, start),
            0,
            "no demo request is due at start"
        );
    }

    #[test]
    fn expiry_outcome_depends_on_the_request_kind() {
        let start = Utc::now();
        let mut book = book_at(start);
        let profile = crate::profile("crackerjack").unwrap();
        let later = start + Duration::hours(49);
        assert_eq!(
            expire_due(&mut book, &profile, later),
            4,
            "D-1005, D-1007, D-1010 and D-1017 expire"
        );
        // crackerjack: "For Change Order Time ... no changes will be made to the order."
        let d1010 = book.get("D-1010").unwrap();
        assert_eq!(d1010.status, OrderStatus::InProgress);
        assert_eq!(d1010.requests[0].state, RequestState::Expired);
        // "For Cancel and Provide a Progress requests: ... the order will be canceled"
        assert_eq!(book.get("D-1017").unwrap().status, OrderStatus::Canceled);
        assert_eq!(book.get("D-1007").unwrap().status, OrderStatus::Canceled);
        // The seller's own additional-work offer (opened 5 h before start) expired too
        // but leaves the order as it was.
        assert_eq!(book.get("D-1005").unwrap().status, OrderStatus::Accepted);
        assert_eq!(
            expire_due(&mut book, &profile, later),
            0,
            "expiry applies once"
        );
    }
}
