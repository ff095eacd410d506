//! Test fixtures: the five marketplace profiles with the figures their seeds state
//! (hardcoded here; the simulator builds the real ones and this crate must not depend on
//! it), and an order builder around a fixed instant.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use sellerdesk_api::{Order, OrderRequest, OrderStatus, Party, Profile, RequestKind, RequestState};

/// A Monday, 09:00 UTC, far from any month or ISO-week edge.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 16, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn profile(id: &str) -> Profile {
    // (review window days, clearance days): seeds where they say so, else the simulator's
    // assumptions (3 and 14).
    let (review, clearance) = match id {
        "izea" => (7, 14),    // "the buyer has seven days to accept or request revisions"
        "hostjane" => (3, 5), // "3 days exactly"; "clearance period of 5 days"
        _ => (3, 14),         // Fiverr: "within three days"; clearance assumed
    };
    let labels: &[(OrderStatus, &str)] = match id {
        "podcasterpros" => &[
            (OrderStatus::AwaitingAcceptance, "PENDING JOBS"),
            (OrderStatus::PendingRequirements, "ACTIVE"),
            (OrderStatus::Accepted, "PENDING JOBS"),
            (OrderStatus::InProgress, "ACTIVE"),
            (OrderStatus::Delivered, "DELIVERED"),
            (OrderStatus::RevisionRequested, "ACTIVE"),
            (OrderStatus::Completed, "COMPLETED"),
            (OrderStatus::Canceled, "CANCELED"),
        ],
        _ => &[],
    };
    Profile {
        id: id.to_string(),
        name: format!("{id}-like"),
        fee_bps: 2000,
        review_window_days: review,
        clearance_days: clearance,
        request_expiry_hours: 48,
        max_file_bytes: 5 << 30,
        status_labels: labels
            .iter()
            .map(|(s, l)| (*s, l.to_string()))
            .collect::<BTreeMap<_, _>>(),
        notes: vec![],
    }
}

/// A $50 order with one $15 extra and 2 revisions, created at t0, due in 3 days.
///
/// Built from its wire form so that fields the API adds with a default (requests, review,
/// …) need no change here.
pub fn order(status: OrderStatus) -> Order {
    let wire = serde_json::json!({
        "id": "o1",
        "title": "Podcast intro",
        "buyer": {"username": "ana", "display_name": "Ana"},
        "status": status,
        "currency": "USD",
        "base_price_minor": 5000,
        "extras": [{"title": "Fast delivery", "price_minor": 1500}],
        "revisions_included": 2,
        "revisions_used": 0,
        "created_at": t0(),
        "due_at": t0() + Duration::days(3),
        "updated_at": t0(),
        "seq": 1,
    });
    match serde_json::from_value(wire) {
        Ok(order) => order,
        Err(e) => panic!("the fixture order must match the wire format: {e}"),
    }
}

/// The same order, delivered `after` past t0.
pub fn delivered(after: Duration) -> Order {
    Order {
        delivered_at: Some(t0() + after),
        ..order(OrderStatus::Delivered)
    }
}

pub fn request(kind: RequestKind, by: Party, state: RequestState) -> OrderRequest {
    OrderRequest {
        id: "r1".to_string(),
        kind,
        opened_by: by,
        opened_at: t0() + Duration::hours(1),
        expires_at: t0() + Duration::hours(49),
        state,
        message: String::new(),
        proposed_due_at: None,
        price_minor: None,
        resolved_at: None,
        form: Default::default(),
    }
}
