//! Realistic orders for the benches: copies of the demo marketplace's orders (their
//! messages, requests, extras, reviews and statuses) under new ids, buyers and due dates.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::Order;

/// The `i`th realistic order, from `templates` (`sellerdesk_sim::demo_orders`).
pub fn realistic(templates: &[Order], i: usize, now: DateTime<Utc>) -> Order {
    let mut order = templates[i % templates.len()].clone();
    order.id = format!("B-{i:06}");
    order.title = format!("{} #{i}", order.title);
    order.buyer.username = format!("{}{i}", order.buyer.username);
    order.due_at = now + Duration::minutes(30 + i as i64 * 7);
    order.seq = 0;
    order
}
