//! Wire types of the Marketplace API v1 (see `openapi/marketplace-v1.json`).
//!
//! They are declared once here and used by both ends: the simulator serializes them,
//! the core's client deserializes them. Money is always integer minor units (cents);
//! instants are UTC, RFC 3339 on the wire.

pub mod limits;
mod requests;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use requests::{
    DeliveredFile, Delivery, IDEMPOTENCY_KEY, MAX_MESSAGE_CHARS, Message, OrderAction,
    OrderRequest, Party, RequestForm, RequestKind, RequestState, Review,
};

/// Media type of every error body (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";
/// Default and maximum page sizes of `GET /v1/orders`.
pub const DEFAULT_PAGE_LIMIT: u32 = 100;
pub const MAX_PAGE_LIMIT: u32 = 500;

/// Canonical order state shared by every marketplace; each profile renames them for display.
/// "Late" is not a state: it is derived from the due date and the clock.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// New order waiting for the seller to accept or decline.
    AwaitingAcceptance,
    /// Placed, but the buyer has not submitted the requirements yet.
    PendingRequirements,
    Accepted,
    InProgress,
    Delivered,
    RevisionRequested,
    Completed,
    Canceled,
    Disputed,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 9] = [
        OrderStatus::AwaitingAcceptance,
        OrderStatus::PendingRequirements,
        OrderStatus::Accepted,
        OrderStatus::InProgress,
        OrderStatus::Delivered,
        OrderStatus::RevisionRequested,
        OrderStatus::Completed,
        OrderStatus::Canceled,
        OrderStatus::Disputed,
    ];

    /// Active orders still need something from the seller or the buyer.
    pub fn is_active(self) -> bool {
        !matches!(self, OrderStatus::Completed | OrderStatus::Canceled)
    }

    /// The snake_case name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::AwaitingAcceptance => "awaiting_acceptance",
            OrderStatus::PendingRequirements => "pending_requirements",
            OrderStatus::Accepted => "accepted",
            OrderStatus::InProgress => "in_progress",
            OrderStatus::Delivered => "delivered",
            OrderStatus::RevisionRequested => "revision_requested",
            OrderStatus::Completed => "completed",
            OrderStatus::Canceled => "canceled",
            OrderStatus::Disputed => "disputed",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buyer {
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub country: Option<String>,
}

/// A paid extra on top of the base package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extra {
    pub title: String,
    pub price_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub title: String,
    pub buyer: Buyer,
    pub status: OrderStatus,
    /// ISO 4217 code, e.g. "USD".
    pub currency: String,
    pub base_price_minor: i64,
    #[serde(default)]
    pub extras: Vec<Extra>,
    pub revisions_included: u32,
    #[serde(default)]
    pub revisions_used: u32,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    #[serde(default)]
    pub delivered_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
    /// Order requests ever opened on this order (pending ones first to answer).
    #[serde(default)]
    pub requests: Vec<OrderRequest>,
    /// The buyer's review, once posted.
    #[serde(default)]
    pub review: Option<Review>,
    /// The order's chat, oldest first.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// Days the buyer added to the review window ("extend review time").
    #[serde(default)]
    pub review_extension_days: u32,
    pub updated_at: DateTime<Utc>,
    /// Server change sequence: strictly increases every time the order changes, a
    /// request or the review included.
    pub seq: u64,
}

impl Order {
    /// Gross price: base package plus extras, in minor units. Exact for every order that
    /// passed [`Order::validate`]; saturates instead of overflowing on any other.
    pub fn gross_minor(&self) -> i64 {
        self.extras.iter().fold(self.base_price_minor, |sum, e| {
            sum.saturating_add(e.price_minor)
        })
    }
}

/// One page of `GET /v1/orders?since=<cursor>&limit=<n>`: orders changed after the cursor,
/// in change order. Pass `next_cursor` back as `since` to continue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    pub orders: Vec<Order>,
    pub next_cursor: String,
    pub has_more: bool,
}

/// A marketplace's rules, as stated in its help pages (`shared/seeds/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Stable key: "fiverr", "podcasterpros", "crackerjack", "izea", "hostjane".
    pub id: String,
    pub name: String,
    /// Marketplace fee taken from the seller, in basis points (2000 = 20 %).
    pub fee_bps: u32,
    /// Days the buyer has to accept a delivery before it auto-completes.
    pub review_window_days: u32,
    /// Days after completion before earnings can be withdrawn.
    pub clearance_days: u32,
    /// Hours after which an unanswered order request expires.
    pub request_expiry_hours: u32,
    /// Largest single delivery file, in bytes.
    pub max_file_bytes: u64,
    /// How this marketplace names each canonical status.
    pub status_labels: BTreeMap<OrderStatus, String>,
    /// Which figures come from the marketplace's help page and which are assumptions.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Profile {
    /// The marketplace's own word for a status, falling back to a readable default.
    pub fn status_label(&self, status: OrderStatus) -> String {
        self.status_labels
            .get(&status)
            .cloned()
            .unwrap_or_else(|| default_status_label(status).to_string())
    }
}

pub fn default_status_label(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::AwaitingAcceptance => "New",
        OrderStatus::PendingRequirements => "Awaiting requirements",
        OrderStatus::Accepted => "Accepted",
        OrderStatus::InProgress => "In progress",
        OrderStatus::Delivered => "Delivered",
        OrderStatus::RevisionRequested => "Revision requested",
        OrderStatus::Completed => "Completed",
        OrderStatus::Canceled => "Canceled",
        OrderStatus::Disputed => "Disputed",
    }
}

/// RFC 9457 problem details, the body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default)]
    pub detail: Option<String>,
}

fn about_blank() -> String {
    "about:blank".to_string()
}

impl Problem {
    pub fn new(status: u16, title: impl Into<String>, detail: impl Into<String>) -> Problem {
        Problem {
            kind: about_blank(),
            title: title.into(),
            status,
            detail: Some(detail.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_round_trip_through_serde_and_parse() {
        for status in OrderStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", status.as_str()),
                "wire name of {status:?}"
            );
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(
            OrderStatus::parse("late"),
            None,
            "late is derived, never a stored status"
        );
    }

    #[test]
    fn gross_adds_extras_to_base() {
        let order: Order = serde_json::from_value(serde_json::json!({
            "id": "o1", "title": "Logo", "status": "in_progress", "currency": "USD",
            "buyer": {"username": "b", "display_name": "B"},
            "base_price_minor": 5000, "extras": [{"title": "Fast", "price_minor": 1500}],
            "revisions_included": 2, "created_at": "2026-01-01T00:00:00Z",
            "due_at": "2026-01-03T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "seq": 1
        }))
        .unwrap();
        assert_eq!(order.gross_minor(), 6500);
        assert_eq!(
            order.revisions_used, 0,
            "missing revisions_used defaults to 0"
        );
    }

    #[test]
    fn profile_label_falls_back_to_default() {
        let profile = Profile {
            id: "x".into(),
            name: "X".into(),
            fee_bps: 2000,
            review_window_days: 3,
            clearance_days: 14,
            request_expiry_hours: 48,
            max_file_bytes: 5 << 30,
            status_labels: BTreeMap::from([(OrderStatus::InProgress, "ACTIVE".to_string())]),
            notes: vec![],
        };
        assert_eq!(profile.status_label(OrderStatus::InProgress), "ACTIVE");
        assert_eq!(profile.status_label(OrderStatus::Delivered), "Delivered");
    }
}
