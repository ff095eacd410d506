//! Order fixtures for unit tests.

use chrono::{DateTime, TimeZone, Utc};
use sellerdesk_api::{Buyer, Order, OrderStatus, Profile};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

pub fn order(id: &str, seq: u64) -> Order {
    Order {
        id: id.to_string(),
        title: format!("Order {id}"),
        buyer: Buyer {
            username: "buyer".into(),
            display_name: "Zoë Müller".into(),
            country: None,
        },
        status: OrderStatus::InProgress,
        currency: "USD".into(),
        base_price_minor: 10_000,
        extras: vec![],
        revisions_included: 2,
        revisions_used: 0,
        created_at: t0(),
        due_at: t0() + chrono::Duration::days(2),
        delivered_at: None,
        completed_at: None,
        requests: vec![],
        review: None,
        messages: Vec::new(),
        review_extension_days: 0,
        updated_at: t0(),
        seq,
    }
}

/// Crackerjack-like rules: 20 % fee, 3-day review window, 14-day clearance, 48 h expiry.
pub fn profile() -> Profile {
    Profile {
        id: "crackerjack".into(),
        name: "crackerjack".into(),
        fee_bps: 2000,
        review_window_days: 3,
        clearance_days: 14,
        request_expiry_hours: 48,
        max_file_bytes: 5 << 30,
        status_labels: Default::default(),
        notes: vec![],
    }
}
