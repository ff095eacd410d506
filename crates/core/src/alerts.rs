//! The alert planner: which notifications are due now, from the orders and `now`, pure.
//! An order request about to expire (24 h, 6 h and 1 h before its expiry), a delivery due
//! soon (24 h, 2 h) or late, a new order awaiting acceptance, a request received, and a
//! delivered order about to auto-complete. Each alert has a stable key (item + threshold)
//! so it fires once; the caller remembers the keys already shown.
//!
//! "Missed while closed" falls out of the design: at start the planner sees every
//! threshold already crossed, and only the most urgent one per item is kept, so a
//! seller who opens the app after two days gets one alert per item, never a flood.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use sellerdesk_api::{Order, OrderRequest, OrderStatus, Party, Profile, RequestKind, RequestState};
use sellerdesk_rules::requests::can_respond;
use sellerdesk_rules::{Action, allowed_actions, auto_complete_at, expires_at};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod inbox;
mod settings;

pub use inbox::{InboxAlert, InboxPage, live_alerts};
pub use settings::{AlertSettings, QuietWindow, SETTINGS_KEY};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    RequestReceived,
    RequestExpiring,
    NewOrder,
    DeliveryDue,
    DeliveryLate,
    AutoCompleting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Stable identity: the same alert is never shown twice.
    pub key: String,
    pub kind: AlertKind,
    pub account_id: String,
    pub order_id: String,
    /// The request concerned, for request alerts (the notification's Accept / Decline).
    pub request_id: Option<String>,
    pub title: String,
    pub body: String,
    /// Notification buttons as (action id, label): "accept" / "decline" on a buyer's
    /// request the seller may answer, "accept" alone on a new order, "decline" alone on a
    /// cancel request (what costs the seller asks first, in the window), and "default"
    /// (open the order) on every alert.
    pub actions: Vec<(String, String)>,
}

/// Quiet hours in the seller's local time (`offset` from UTC): no alert is raised inside
/// them; they are raised after, if still relevant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub offset: chrono::FixedOffset,
}

impl QuietHours {
    pub fn contains(&self, now: DateTime<Utc>) -> bool {
        let local = now.with_timezone(&self.offset).time();
        if self.start <= self.end {
            local >= self.start && local < self.end
        } else {
            local >= self.start || local < self.end
        }
    }
}

/// The alerts due at `now` that are not in `shown`, most urgent first. `profile_of` gives
/// each account's rules; `settings` the seller's thresholds, kinds switched off, muted
/// accounts and quiet hours (local time at `offset`).
pub fn plan_alerts(
    orders: &[(String, Order)],
    profile_of: &dyn Fn(&str) -> Option<Profile>,
    now: DateTime<Utc>,
    shown: &HashSet<String>,
    settings: &AlertSettings,
    offset: chrono::FixedOffset,
) -> Vec<Alert> {
    if settings.quiet(offset).is_some_and(|q| q.contains(now)) {
        return Vec::new();
    }
    let muted = settings.muted();
    let mut alerts = Vec::new();
    for (account, order) in orders {
        if muted.contains(account) {
            continue;
        }
        let Some(profile) = profile_of(account) else {
            continue;
        };
        alerts.extend(order_alerts(account, order, &profile, now, settings));
    }
    alerts.retain(|a| !shown.contains(&a.key) && settings.is_on(a.kind));
    alerts.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.order_id.cmp(&b.order_id)));
    alerts
}

/// Every alert an order deserves at `now`; for each kind, only the most urgent
/// threshold crossed (the others are superseded).
fn order_alerts(
    account: &str,
    order: &Order,
    profile: &Profile,
    now: DateTime<Utc>,
    settings: &AlertSettings,
) -> Vec<Alert> {
    let request_thresholds = AlertSettings::thresholds(&settings.request_expiring_hours);
    let delivery_thresholds = AlertSettings::thresholds(&settings.delivery_due_hours);
    let auto_complete_threshold = sellerdesk_api::limits::hours(settings.auto_completing_hours);
    let mut out = Vec::new();
    // The same checks as the window's buttons: a buyer's request the seller may answer
    // now, or a new order the rules let the seller accept and decline.
    let order_answerable = || {
        let rules = allowed_actions(order, profile, &order.requests, order.review.as_ref(), now);
        let allows = |a: Action| rules.iter().any(|r| r.action == a && r.allowed);
        allows(Action::Accept) && allows(Action::Decline)
    };
    let alert = |kind, key: String, request_id: Option<String>, title: String, body: String| {
        let answerable = match request_id.as_ref() {
            Some(id) => order
                .requests
                .iter()
                .find(|r| &r.id == id)
                .is_some_and(|r| answerable_request(r, profile, now)),
            None => kind == AlertKind::NewOrder && order_answerable(),
        };
        // A button only for an answer that costs the seller nothing: declining an order
        // and accepting a cancel request (the buyer is refunded) ask first, in the window.
        let cancel = request_id.as_ref().is_some_and(|id| {
            (order.requests.iter()).any(|r| &r.id == id && r.kind == RequestKind::Cancel)
        });
        let (accept, decline) = match (answerable, kind, cancel) {
            (false, ..) => (false, false),
            (true, AlertKind::NewOrder, _) => (true, false),
            (true, _, true) => (false, true),
            (true, _, false) => (true, true),
        };
        let mut actions = Vec::new();
        if accept {
            actions.push(("accept".to_string(), "Accept".to_string()));
        }
        if decline {
            actions.push(("decline".to_string(), "Decline".to_string()));
        }
        actions.push(("default".to_string(), "Open order".to_string()));
        Alert {
            key: format!("{account}/{}/{key}", order.id),
            kind,
            account_id: account.to_string(),
            order_id: order.id.clone(),
            request_id,
            title,
            body,
            actions,
        }
    };
    for request in order
        .requests
        .iter()
        .filter(|r| r.state == RequestState::Pending)
    {
        let expiry = expires_at(request, profile);
        if expiry <= now {
            continue; // expired requests are never alerted
        }
        if request.opened_by == Party::Buyer {
            let mut body = format!("{}: {}", order.buyer.display_name, request.message);
            if answerable_request(request, profile, now) {
                body = format!("{body}\n{}", crate::detail::on_expiry(request.kind));
            }
            out.push(alert(
                AlertKind::RequestReceived,
                format!("{}/received", request.id),
                Some(request.id.clone()),
                format!("New request on {}", order.id),
                body,
            ));
        }
        if let Some(t) = crossed(&request_thresholds, expiry - now) {
            let mut body = format!("{} — answer before it expires.", order.title);
            if answerable_request(request, profile, now) {
                body = format!("{body}\n{}", crate::detail::on_expiry(request.kind));
            }
            out.push(alert(
                AlertKind::RequestExpiring,
                format!("{}/expiring/{}h", request.id, t.num_hours()),
                Some(request.id.clone()),
                format!("Request on {} expires in {}", order.id, hours(expiry - now)),
                body,
            ));
        }
    }
    match order.status {
        OrderStatus::AwaitingAcceptance => out.push(alert(
            AlertKind::NewOrder,
            "new".into(),
            None,
            format!("New order from {}", order.buyer.display_name),
            order.title.clone(),
        )),
        OrderStatus::Accepted | OrderStatus::InProgress | OrderStatus::RevisionRequested => {
            let left = order.due_at - now;
            if left <= Duration::zero() {
                out.push(alert(
                    AlertKind::DeliveryLate,
                    "late".into(),
                    None,
                    format!("{} is late", order.id),
                    format!("{} was due {} ago.", order.title, hours(-left)),
                ));
            } else if let Some(t) = crossed(&delivery_thresholds, left) {
                out.push(alert(
                    AlertKind::DeliveryDue,
                    format!("due/{}h", t.num_hours()),
                    None,
                    format!("{} is due in {}", order.id, hours(left)),
                    order.title.clone(),
                ));
            }
        }
        OrderStatus::Delivered => {
            let extension = sellerdesk_api::limits::days(order.review_extension_days);
            if let Some(at) = auto_complete_at(order, profile, extension) {
                let left = at - now;
                if left > Duration::zero() && left <= auto_complete_threshold {
                    out.push(alert(
                        AlertKind::AutoCompleting,
                        "auto-complete".into(),
                        None,
                        format!("{} completes in {}", order.id, hours(left)),
                        "The buyer's review window is closing.".into(),
                    ));
                }
            }
        }
        _ => {}
    }
    out
}

/// A buyer's request the seller can accept or decline from a notification: a change of
/// time, extra work or a cancel, still open to the seller's answer.
fn answerable_request(request: &OrderRequest, profile: &Profile, now: DateTime<Utc>) -> bool {
    request.opened_by == Party::Buyer
        && matches!(
            request.kind,
            RequestKind::AdditionalWork | RequestKind::ChangeOrderTime | RequestKind::Cancel
        )
        && can_respond(request, Party::Seller, profile, now).is_ok()
}

/// Items waiting for the seller's answer — new orders to accept or decline, and buyers'
/// requests still open — the count the window's badge shows.
pub fn needs_response(
    orders: &[(String, Order)],
    profile_of: &dyn Fn(&str) -> Option<Profile>,
    now: DateTime<Utc>,
) -> usize {
    orders
        .iter()
        .map(|(account, order)| {
            let new = usize::from(order.status == OrderStatus::AwaitingAcceptance);
            let requests = profile_of(account).map_or(0, |profile| {
                order
                    .requests
                    .iter()
                    .filter(|r| {
                        r.state == RequestState::Pending
                            && r.opened_by == Party::Buyer
                            && expires_at(r, &profile) > now
                    })
                    .count()
            });
            new + requests
        })
        .sum()
}

/// The smallest threshold already reached by `left` (thresholds given largest first).
fn crossed(thresholds: &[Duration], left: Duration) -> Option<Duration> {
    thresholds.iter().rev().find(|t| left <= **t).copied()
}

/// "5 h", "45 min".
fn hours(d: Duration) -> String {
    if d >= Duration::hours(1) {
        format!("{} h", d.num_hours())
    } else {
        format!("{} min", d.num_minutes().max(1))
    }
}

#[cfg(test)]
mod tests;
