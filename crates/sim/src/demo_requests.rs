//! Order requests and reviews on the demo orders, so the app shows requests to answer
//! with their 48-hour expiry running (crackerjack's Order Assistant) and completed orders
//! with reviews (HostJane's single reply). Times are relative to the simulator's start.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, OrderRequest, Party, RequestKind, RequestState, Review};

/// crackerjack: "If the second party does not respond within 48 hours from the moment the
/// request was opened". Every demo profile uses 48 h.
const EXPIRY: Duration = Duration::hours(48);

/// (order id, request kind, opened by, opened this long before start, message,
///  proposed due shift, price, state)
struct DemoRequest {
    order: &'static str,
    kind: RequestKind,
    by: Party,
    opened_ago: Duration,
    message: &'static str,
    due_shift: Option<Duration>,
    price_minor: Option<i64>,
    state: RequestState,
}

fn requests() -> Vec<DemoRequest> {
    use Party::*;
    use RequestKind::*;
    vec![
        DemoRequest {
            order: "D-1010",
            kind: ChangeOrderTime,
            by: Buyer,
            opened_ago: Duration::hours(40),
            message: "Could you deliver two days earlier? The video goes live on Friday.",
            due_shift: Some(Duration::days(-2)),
            price_minor: None,
            state: RequestState::Pending,
        },
        DemoRequest {
            order: "D-1017",
            kind: ProgressUpdate,
            by: Buyer,
            opened_ago: Duration::hours(47),
            message: "How are the templates coming along? A first draft would help.",
            due_shift: None,
            price_minor: None,
            state: RequestState::Pending,
        },
        DemoRequest {
            order: "D-1007",
            kind: Cancel,
            by: Buyer,
            opened_ago: Duration::hours(10),
            message: "Our rebrand is on hold; can we cancel the style guide?",
            due_shift: None,
            price_minor: None,
            state: RequestState::Pending,
        },
        DemoRequest {
            order: "D-1005",
            kind: AdditionalWork,
            by: Seller,
            opened_ago: Duration::hours(5),
            message: "Adding the 400-word FAQ page you asked about in chat.",
            due_shift: Some(Duration::days(1)),
            price_minor: Some(4_000),
            state: RequestState::Pending,
        },
        DemoRequest {
            order: "D-1021",
            kind: ChangeOrderTime,
            by: Buyer,
            opened_ago: Duration::days(4),
            message: "Can we move the deadline by a day?",
            due_shift: Some(Duration::days(1)),
            price_minor: None,
            state: RequestState::Expired,
        },
    ]
}

/// (order id, rating, text, seller's reply)
const REVIEWS: [(&str, u8, &str, Option<&str>); 3] = [
    (
        "D-1009",
        5,
        "Checkout is twice as fast now. Clear explanations too.",
        None,
    ),
    (
        "D-1023",
        4,
        "Nice cards, took one extra round to get the colours right.",
        Some("Thank you! Happy to help with the letterhead next."),
    ),
    (
        "D-1030",
        5,
        "Exactly what we needed for our newsletter.",
        None,
    ),
];

/// Adds this order's demo requests and review, if it has any.
pub fn attach(order: &mut Order, start: DateTime<Utc>) {
    for (n, r) in requests()
        .into_iter()
        .filter(|r| r.order == order.id)
        .enumerate()
    {
        let opened_at = start - r.opened_ago;
        let expires_at = opened_at + EXPIRY;
        order.requests.push(OrderRequest {
            id: format!("{}-R{}", order.id, n + 1),
            kind: r.kind,
            opened_by: r.by,
            opened_at,
            expires_at,
            state: r.state,
            message: r.message.to_string(),
            proposed_due_at: r.due_shift.map(|shift| order.due_at + shift),
            price_minor: r.price_minor,
            resolved_at: (r.state != RequestState::Pending).then_some(expires_at),
            form: Default::default(),
        });
    }
    if let Some((_, rating, text, reply)) = REVIEWS.iter().find(|(id, ..)| *id == order.id) {
        order.review = Some(Review {
            rating: *rating,
            text: (*text).to_string(),
            posted_at: order.completed_at.unwrap_or(start),
            reply: reply.map(str::to_string),
        });
    }
}
