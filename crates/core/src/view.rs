//! What the window shows, computed in Rust so every client shows the same thing: the
//! active order list sorted by urgency with countdowns at a given instant.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, OrderStatus, Party, Profile, RequestState, default_status_label};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::countdown::{Countdown, countdown};
use crate::error::AppError;
use crate::store::OrderProblem;

/// One line of the active order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderRow {
    pub id: String,
    pub account_id: String,
    pub title: String,
    pub buyer: String,
    /// Canonical status, or `problem` for a refused order with no good version stored.
    pub status: RowStatus,
    /// The marketplace's own word for the status.
    pub status_label: String,
    pub price_label: String,
    /// The marketplace's name, for the badge.
    pub marketplace: String,
    /// Delivery due, milliseconds since the epoch (UTC).
    pub due_at: i64,
    /// Time left before the soonest deadline that costs the seller (`deadline` says
    /// which): a buyer's request expiring unanswered, or the delivery falling due. Absent
    /// when nothing is owed (delivered, in dispute, no open request). The window
    /// recomputes it from the seconds given on its minute tick.
    pub countdown: Option<Countdown>,
    /// What `countdown` counts down to.
    pub deadline: Option<DeadlineKind>,
    /// The account's marketplace clock minus this device's, in milliseconds.
    #[ts(type = "number")]
    pub clock_offset_ms: i64,
    /// Why the marketplace's latest version of this order was refused (absurd values):
    /// the row then shows the last good version, or only the id and this reason.
    pub problem: Option<String>,
}

/// The deadline a row counts down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The delivery is due (or late).
    Delivery,
    /// A buyer's request expires unanswered (48 h; a cancel or progress-update request
    /// then cancels the order).
    Request,
}

/// Under this much time left, a deadline can still be met but only now: such rows go
/// above late ones (whose deadline already passed).
pub const IMMINENT: Duration = Duration::hours(1);

/// The soonest deadline of `order` that costs the seller: its open buyer requests'
/// expiry and, while a delivery is owed, its due instant.
pub fn soonest_deadline(order: &Order) -> Option<(DateTime<Utc>, DeadlineKind)> {
    let request = request_deadline(order).map(|at| (at, DeadlineKind::Request));
    let delivery = awaits_delivery(order.status).then_some((order.due_at, DeadlineKind::Delivery));
    request.into_iter().chain(delivery).min()
}

/// The soonest expiry of the buyer's open requests on `order` (the store keeps it in a
/// column, so the first screen finds these orders without reading every body).
pub fn request_deadline(order: &Order) -> Option<DateTime<Utc>> {
    (order.requests.iter())
        .filter(|r| r.state == RequestState::Pending && r.opened_by == Party::Buyer)
        .map(|r| r.expires_at)
        .min()
}

/// The urgency order of rows with `seconds` left (None = nothing due): deadlines within
/// [`IMMINENT`] first (soonest first), then late ones (latest first), then the rest by
/// time left, then rows with nothing due. `ui/src/lib/workspace.svelte.ts` sorts merged
/// rows with the same rule.
pub fn urgency_rank(seconds: Option<i64>) -> (u8, i64) {
    match seconds {
        Some(s) if s > 0 && s <= IMMINENT.num_seconds() => (0, s),
        Some(s) if s <= 0 => (1, s),
        Some(s) => (2, s),
        None => (3, 0),
    }
}

/// An order row's status: the marketplace's canonical one, or a refused order's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    AwaitingAcceptance,
    PendingRequirements,
    Accepted,
    InProgress,
    Delivered,
    RevisionRequested,
    Completed,
    Canceled,
    Disputed,
    /// The marketplace's latest version was refused (see `OrderRow::problem`).
    Problem,
}

impl From<OrderStatus> for RowStatus {
    fn from(status: OrderStatus) -> RowStatus {
        match status {
            OrderStatus::AwaitingAcceptance => RowStatus::AwaitingAcceptance,
            OrderStatus::PendingRequirements => RowStatus::PendingRequirements,
            OrderStatus::Accepted => RowStatus::Accepted,
            OrderStatus::InProgress => RowStatus::InProgress,
            OrderStatus::Delivered => RowStatus::Delivered,
            OrderStatus::RevisionRequested => RowStatus::RevisionRequested,
            OrderStatus::Completed => RowStatus::Completed,
            OrderStatus::Canceled => RowStatus::Canceled,
            OrderStatus::Disputed => RowStatus::Disputed,
        }
    }
}

/// What the window needs at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// Running on the embedded demo marketplace.
    pub demo: bool,
    /// The marketplaces' names for the header: the names of one or two, else "5
    /// marketplaces".
    pub marketplace: String,
    /// Every account's marketplace name, in account order (the header's tooltip).
    pub marketplaces: Vec<String>,
    /// Set when the workspace could not be opened (e.g. a newer database).
    pub startup_error: Option<AppError>,
}

/// A marketplace account as the settings list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub label: String,
    /// The marketplace's name once its rules were synced.
    pub marketplace: Option<String>,
    pub base_url: String,
    /// Synced by this session (its token was found).
    pub connected: bool,
    /// Where its token is kept, when connected.
    pub token_home: Option<crate::vault::TokenHome>,
}

/// Statuses where a delivery is still owed, so a countdown to the due date makes sense:
/// these rows come first, by time left.
pub(crate) const OWED: [OrderStatus; 5] = [
    OrderStatus::AwaitingAcceptance,
    OrderStatus::PendingRequirements,
    OrderStatus::Accepted,
    OrderStatus::InProgress,
    OrderStatus::RevisionRequested,
];

fn awaits_delivery(status: OrderStatus) -> bool {
    OWED.contains(&status)
}

/// Where a row goes in the active list: [`urgency_rank`] of the seconds left before its
/// soonest deadline, or, with nothing due, after all of those by due date. Equal ranks
/// are ordered by order id, then account id. The paged list (`crate::paging`) sorts its
/// index on the same key.
pub fn list_rank(seconds_left: Option<i64>, due_at_ms: i64) -> (u8, i64) {
    match seconds_left {
        Some(s) => urgency_rank(Some(s)),
        None => (3, due_at_ms.div_euclid(1000)),
    }
}

/// The list row of one active order with its countdown at `device_now`.
pub fn order_row(
    account_id: &str,
    order: &Order,
    profile: Option<&Profile>,
    device_now: DateTime<Utc>,
    offset: Duration,
) -> OrderRow {
    let deadline = soonest_deadline(order);
    let status_label = profile
        .map(|p| p.status_label(order.status))
        .unwrap_or_else(|| default_status_label(order.status).to_string());
    OrderRow {
        id: order.id.clone(),
        account_id: account_id.to_string(),
        title: order.title.clone(),
        buyer: order.buyer.display_name.clone(),
        status: order.status.into(),
        status_label,
        price_label: money_label(order.gross_minor(), &order.currency),
        marketplace: profile.map(|p| p.name.clone()).unwrap_or_default(),
        due_at: order.due_at.timestamp_millis(),
        countdown: deadline.map(|(at, _)| countdown(at, device_now, offset)),
        deadline: deadline.map(|(_, kind)| kind),
        problem: None,
        clock_offset_ms: offset.num_milliseconds(),
    }
}

/// Builds the rows of the active list, most urgent first ([`list_rank`] of each row).
pub fn order_rows<'p>(
    orders: &[(String, Order)],
    profile_of: &dyn Fn(&str) -> Option<&'p Profile>,
    device_now: DateTime<Utc>,
    clock_offset: &dyn Fn(&str) -> Duration,
) -> Vec<OrderRow> {
    let mut rows: Vec<OrderRow> = orders
        .iter()
        .filter(|(_, o)| o.status.is_active())
        .map(|(account_id, order)| {
            let offset = clock_offset(account_id);
            order_row(
                account_id,
                order,
                profile_of(account_id),
                device_now,
                offset,
            )
        })
        .collect();
    // Keys borrowed, not cloned: a sort of 100,000 rows compares ~1.7 million times.
    rows.sort_by(|a, b| {
        let key = |r: &OrderRow| list_rank(r.countdown.as_ref().map(|c| c.seconds), r.due_at);
        key(a)
            .cmp(&key(b))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.account_id.cmp(&b.account_id))
    });
    rows
}

/// The row of an order that is no longer active (completed or canceled): no countdown.
pub fn closed_order_row(account_id: &str, order: &Order, profile: &Profile) -> OrderRow {
    OrderRow {
        countdown: None,
        deadline: None,
        clock_offset_ms: 0,
        ..order_row(
            account_id,
            order,
            Some(profile),
            DateTime::UNIX_EPOCH,
            Duration::zero(),
        )
    }
}

/// Marks the rows of refused orders with their reason; a refused order with no stored
/// version gets a row of its own, on top, so the seller sees it and knows why.
pub fn add_problems(rows: &mut Vec<OrderRow>, problems: &[(String, OrderProblem)]) {
    let mut alone = Vec::new();
    for (account_id, p) in problems {
        match rows
            .iter_mut()
            .find(|r| &r.account_id == account_id && r.id == p.order_id)
        {
            Some(row) => row.problem = Some(p.problem.clone()),
            None => alone.push(OrderRow {
                account_id: account_id.clone(),
                ..problem_row(p)
            }),
        }
    }
    rows.splice(0..0, alone);
}

/// The row of a refused order with no active stored version: its id, title and the
/// reason, no countdown (the caller names the account).
pub fn problem_row(p: &OrderProblem) -> OrderRow {
    OrderRow {
        id: p.order_id.clone(),
        account_id: String::new(),
        title: p.title.clone(),
        buyer: String::new(),
        status: RowStatus::Problem,
        status_label: "Could not be read".to_string(),
        price_label: String::new(),
        marketplace: String::new(),
        due_at: p.seen_ms,
        countdown: None,
        deadline: None,
        problem: Some(p.problem.clone()),
        clock_offset_ms: 0,
    }
}

/// A file size as people read it, in 1024 steps: "512 B", "1.5 KB", "5 GB", "4.7 GB".
pub fn bytes_label(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else if (value - value.round()).abs() < 0.05 {
        format!("{:.0} {}", value.round(), UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The app's one money formatter (lists, detail, earnings, invoices, CSV).
pub use sellerdesk_invoice::money_label;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::countdown::CountdownState;
    use crate::test_orders::{order, t0};

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(bytes_label(0), "0 B");
        assert_eq!(bytes_label(1023), "1023 B");
        assert_eq!(bytes_label(1536), "1.5 KB");
        assert_eq!(bytes_label(5 << 30), "5 GB");
        assert_eq!(bytes_label((5 << 30) + 1), "5 GB");
        assert_eq!(bytes_label(4_700_000_000), "4.4 GB");
        assert_eq!(bytes_label(256 << 20), "256 MB");
    }

    #[test]
    fn money_table() {
        let cases = [
            (14_500, "USD", "$145.00"),
            (123_450, "USD", "$1,234.50"),
            (100_000_000, "EUR", "€1,000,000.00"),
            (5, "GBP", "£0.05"),
            (-2_050, "USD", "-$20.50"),
            (1_200, "CHF", "12.00 CHF"),
        ];
        for (minor, cur, label) in cases {
            assert_eq!(money_label(minor, cur), label);
        }
    }

    #[test]
    fn rows_are_sorted_by_urgency_and_hide_inactive_orders() {
        let mut late = order("late", 1);
        late.due_at = t0() - Duration::hours(3);
        let mut soon = order("soon", 2);
        soon.due_at = t0() + Duration::hours(5);
        let mut later = order("later", 3);
        later.due_at = t0() + Duration::days(9);
        let mut delivered = order("delivered", 4);
        delivered.status = OrderStatus::Delivered;
        delivered.due_at = t0() - Duration::days(5);
        let mut done = order("done", 5);
        done.status = OrderStatus::Completed;
        let orders: Vec<(String, Order)> = [later, delivered, done, soon, late]
            .into_iter()
            .map(|o| ("acct".to_string(), o))
            .collect();
        let rows = order_rows(&orders, &|_| None, t0(), &|_| Duration::zero());
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            ["late", "soon", "later", "delivered"],
            "late first, delivered last, completed hidden"
        );
        assert_eq!(
            rows[0].countdown.as_ref().unwrap().state,
            CountdownState::Late
        );
        assert!(
            rows[3].countdown.is_none(),
            "a delivered order has no delivery countdown"
        );
        assert_eq!(rows[0].price_label, "$100.00");
    }

    #[test]
    fn a_request_about_to_expire_goes_above_late_orders_and_says_it_is_a_request() {
        use sellerdesk_api::{OrderRequest, RequestKind};
        let request = |expires_in: Duration, by: Party, state: RequestState| OrderRequest {
            id: "R1".into(),
            kind: RequestKind::Cancel,
            opened_by: by,
            opened_at: t0() + expires_in - Duration::hours(48),
            expires_at: t0() + expires_in,
            state,
            message: "Can we stop here?".into(),
            proposed_due_at: None,
            price_minor: None,
            resolved_at: None,
            form: Default::default(),
        };
        let mut late = order("late", 1);
        late.due_at = t0() - Duration::days(3);
        let mut asked = order("asked", 2);
        asked.due_at = t0() + Duration::days(7);
        asked.requests = vec![request(
            Duration::minutes(59),
            Party::Buyer,
            RequestState::Pending,
        )];
        let mut delivered = order("delivered-asked", 3);
        delivered.status = OrderStatus::Delivered;
        delivered.requests = vec![request(
            Duration::hours(30),
            Party::Buyer,
            RequestState::Pending,
        )];
        let mut own = order("own-request", 4);
        own.due_at = t0() + Duration::days(2);
        own.requests = vec![request(
            Duration::minutes(10),
            Party::Seller,
            RequestState::Pending,
        )];
        let mut answered = order("answered", 5);
        answered.due_at = t0() + Duration::days(3);
        answered.requests = vec![request(
            Duration::minutes(5),
            Party::Buyer,
            RequestState::Declined,
        )];
        let orders: Vec<(String, Order)> = [answered, own, delivered, late, asked]
            .into_iter()
            .map(|o| ("acct".to_string(), o))
            .collect();
        let rows = order_rows(&orders, &|_| None, t0(), &|_| Duration::zero());
        let got: Vec<(&str, Option<DeadlineKind>, Option<&str>)> = rows
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.deadline,
                    r.countdown.as_ref().map(|c| c.label.as_str()),
                )
            })
            .collect();
        use DeadlineKind::*;
        assert_eq!(
            got,
            [
                ("asked", Some(Request), Some("59m left")),
                ("late", Some(Delivery), Some("late by 3d")),
                ("delivered-asked", Some(Request), Some("1d 6h left")),
                ("own-request", Some(Delivery), Some("2d left")),
                ("answered", Some(Delivery), Some("3d left")),
            ],
            "a buyer's request expiring within the hour first, the seller's own and answered requests cost nothing"
        );
    }

    #[test]
    fn urgency_ranks_imminent_then_late_then_the_rest() {
        let mut ranked: Vec<Option<i64>> = vec![
            None,
            Some(90_000),
            Some(-10),
            Some(3_600),
            Some(-90_000),
            Some(60),
            Some(3_601),
        ];
        ranked.sort_by_key(|s| urgency_rank(*s));
        assert_eq!(
            ranked,
            [
                Some(60),
                Some(3_600),
                Some(-90_000),
                Some(-10),
                Some(3_601),
                Some(90_000),
                None
            ]
        );
    }
}
