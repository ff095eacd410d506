//! Orders, profiles and sellers shared by the integration tests and the benchmark.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sellerdesk_api::{Buyer, Extra, Order, OrderStatus, Profile};
use sellerdesk_invoice::Party;

pub fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn issue_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 14).unwrap_or_default()
}

/// An order of `base` plus the given extras, by `buyer`, in `currency`.
pub fn order(
    id: &str,
    buyer: &str,
    currency: &str,
    base: i64,
    extras: &[(&str, i64)],
    status: OrderStatus,
) -> Order {
    Order {
        id: id.into(),
        title: "Podcast intro and outro".into(),
        buyer: Buyer {
            username: buyer.to_lowercase().replace(' ', "_"),
            display_name: buyer.into(),
            country: Some("Germany".into()),
        },
        status,
        currency: currency.into(),
        base_price_minor: base,
        extras: extras
            .iter()
            .map(|(title, price)| Extra {
                title: (*title).into(),
                price_minor: *price,
            })
            .collect(),
        revisions_included: 2,
        revisions_used: 0,
        created_at: at(1, 9),
        due_at: at(8, 9),
        delivered_at: None,
        completed_at: (status == OrderStatus::Completed).then(|| at(10, 15)),
        requests: vec![],
        review: None,
        messages: Vec::new(),
        review_extension_days: 0,
        updated_at: at(10, 15),
        seq: 7,
    }
}

pub fn profile(fee_bps: u32) -> Profile {
    Profile {
        id: "fiverr".into(),
        name: "Fiverr".into(),
        fee_bps,
        review_window_days: 3,
        clearance_days: 14,
        request_expiry_hours: 48,
        max_file_bytes: 1 << 30,
        status_labels: Default::default(),
        notes: vec![],
    }
}

pub fn seller() -> Party {
    Party::new(
        "Łukasz Nowak",
        [
            "ul. Świętokrzyska 12".to_string(),
            "00-050 Warszawa, Poland".to_string(),
            "VAT PL5260250274".to_string(),
        ],
    )
}
