//! What the window shows, computed in Rust so every client shows the same thing: the
//! active order list sorted by urgency with countdowns at a given instant.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, OrderStatus, Profile, default_status_label};
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
    /// Time left to deliver; absent once the work is delivered (or in dispute). The
    /// window recomputes it from `due_at` and `clock_offset_ms` on its minute tick.
    pub countdown: Option<Countdown>,
    /// The account's marketplace clock minus this device's, in milliseconds.
    #[ts(type = "number")]
    pub clock_offset_ms: i64,
    /// Why the marketplace's latest version of this order was refused (absurd values):
    /// the row then shows the last good version, or only the id and this reason.
    pub problem: Option<String>,
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
    pub marketplace: String,
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

/// Active statuses with nothing owed: listed after the owed ones, by due date.
pub(crate) const SETTLED: [OrderStatus; 2] = [OrderStatus::Delivered, OrderStatus::Disputed];

fn awaits_delivery(status: OrderStatus) -> bool {
    OWED.contains(&status)
}

/// Builds the rows of the active list, most urgent first: owed deliveries by time left
/// (late ones on top), then delivered and disputed orders by due date.
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
            let profile = profile_of(account_id);
            let status_label = profile
                .map(|p| p.status_label(order.status))
                .unwrap_or_else(|| default_status_label(order.status).to_string());
            OrderRow {
                id: order.id.clone(),
                account_id: account_id.clone(),
                title: order.title.clone(),
                buyer: order.buyer.display_name.clone(),
                status: order.status.into(),
                status_label,
                price_label: money_label(order.gross_minor(), &order.currency),
                marketplace: profile.map(|p| p.name.clone()).unwrap_or_default(),
                due_at: order.due_at.timestamp_millis(),
                countdown: awaits_delivery(order.status)
                    .then(|| countdown(order.due_at, device_now, clock_offset(account_id))),
                problem: None,
                clock_offset_ms: 0,
            }
        })
        .collect();
    // Keys borrowed, not cloned: a sort of 100,000 rows compares ~1.7 million times.
    rows.sort_by(|a, b| {
        let key = |r: &OrderRow| {
            (
                r.countdown.is_none(),
                r.countdown.as_ref().map_or(r.due_at / 1000, |c| c.seconds),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// The row of an order that is no longer active (completed or canceled): no countdown.
pub fn closed_order_row(account_id: &str, order: &Order, profile: &Profile) -> OrderRow {
    OrderRow {
        id: order.id.clone(),
        account_id: account_id.to_string(),
        title: order.title.clone(),
        buyer: order.buyer.display_name.clone(),
        status: order.status.into(),
        status_label: profile.status_label(order.status),
        price_label: money_label(order.gross_minor(), &order.currency),
        marketplace: profile.name.clone(),
        due_at: order.due_at.timestamp_millis(),
        countdown: None,
        problem: None,
        clock_offset_ms: 0,
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
                id: p.order_id.clone(),
                account_id: account_id.clone(),
                title: p.title.clone(),
                buyer: String::new(),
                status: RowStatus::Problem,
                status_label: "Could not be read".to_string(),
                price_label: String::new(),
                marketplace: String::new(),
                due_at: p.seen_ms,
                countdown: None,
                problem: Some(p.problem.clone()),
                clock_offset_ms: 0,
            }),
        }
    }
    rows.splice(0..0, alone);
}

/// "$1,234.50", "€12.00", "£3.10"; other currencies as "12.00 CHF".
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

pub fn money_label(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let amount = format!("{grouped}.{:02}", abs % 100);
    match currency {
        "USD" => format!("{sign}${amount}"),
        "EUR" => format!("{sign}€{amount}"),
        "GBP" => format!("{sign}£{amount}"),
        other => format!("{sign}{amount} {other}"),
    }
}

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
}
