//! The window's alert inbox: which alerts are still live now, so an alert resolves itself
//! once its order no longer needs it (request answered or expired, order delivered…).
//!
//! It reuses [`plan_alerts`] without the "already shown" filter and without quiet hours
//! (they hold back notifications, not what the inbox lists); kinds switched off and muted
//! accounts stay out. Each live alert carries the moment it is about, so the window can
//! count down to it (or up from it) by itself.

use std::collections::HashSet;

use chrono::{DateTime, Offset, Utc};
use sellerdesk_api::{Order, Profile};
use sellerdesk_rules::{auto_complete_at, expires_at};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Alert, AlertKind, AlertSettings, plan_alerts};
use crate::error::AppError;
use crate::workspace::Workspace;

/// A live alert as the inbox lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InboxAlert {
    #[serde(flatten)]
    #[ts(flatten)]
    pub alert: Alert,
    /// The moment the alert is about, ms since the epoch on the device's clock: the
    /// deadline of a request expiring, a delivery due or late and an auto-completion;
    /// when a new order or request arrived.
    pub at: i64,
}

/// The most urgent live alerts (the bell lists these) and how many are live in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InboxPage {
    pub alerts: Vec<InboxAlert>,
    /// Live alerts in all (more than `alerts` holds when they were cut at the limit).
    pub total: u32,
}

/// The alerts still live at `now`, most urgent kind first; one per item: a request about
/// to expire supersedes its "request received".
pub fn live_alerts(
    orders: &[(String, Order)],
    profile_of: &dyn Fn(&str) -> Option<Profile>,
    now: DateTime<Utc>,
    settings: &AlertSettings,
) -> Vec<(Alert, DateTime<Utc>)> {
    let settings = AlertSettings {
        quiet_hours: None,
        ..settings.clone()
    };
    let planned = plan_alerts(
        orders,
        profile_of,
        now,
        &HashSet::new(),
        &settings,
        Utc.fix(),
    );
    let expiring: HashSet<(String, Option<String>)> = planned
        .iter()
        .filter(|a| a.kind == AlertKind::RequestExpiring)
        .map(|a| (a.account_id.clone(), a.request_id.clone()))
        .collect();
    planned
        .into_iter()
        .filter(|a| {
            a.kind != AlertKind::RequestReceived
                || !expiring.contains(&(a.account_id.clone(), a.request_id.clone()))
        })
        .filter_map(|a| {
            let (_, order) = orders
                .iter()
                .find(|(account, o)| *account == a.account_id && o.id == a.order_id)?;
            let profile = profile_of(&a.account_id)?;
            let at = moment(&a, order, &profile);
            Some((a, at))
        })
        .collect()
}

/// The moment an alert is about (see [`InboxAlert::at`]).
fn moment(alert: &Alert, order: &Order, profile: &Profile) -> DateTime<Utc> {
    let request = alert
        .request_id
        .as_deref()
        .and_then(|id| order.requests.iter().find(|r| r.id == id));
    match alert.kind {
        AlertKind::RequestReceived => request.map_or(order.updated_at, |r| r.opened_at),
        AlertKind::RequestExpiring => request.map_or(order.due_at, |r| expires_at(r, profile)),
        AlertKind::NewOrder => order.created_at,
        AlertKind::DeliveryDue | AlertKind::DeliveryLate => order.due_at,
        AlertKind::AutoCompleting => {
            let extension = sellerdesk_api::limits::days(order.review_extension_days);
            auto_complete_at(order, profile, extension).unwrap_or(order.due_at)
        }
    }
}

impl Workspace {
    /// The inbox: the `limit` most urgent alerts still live now over all accounts, each
    /// planned on its account's marketplace clock and dated on the device's, and how many
    /// are live in all (a seller with years of late orders must not get them all at once).
    pub fn alerts_inbox(&self, limit: usize) -> Result<InboxPage, AppError> {
        let settings = self.alert_settings()?;
        let device_now = self.now();
        let mut inbox = Vec::new();
        self.each_active_chunk(|mine, orders| {
            // The marketplace's clock runs `skew` ahead of the device's.
            let skew = mine.now - device_now;
            let profile_of = |_: &str| mine.profile.clone();
            inbox.extend(
                live_alerts(orders, &profile_of, mine.now, &settings)
                    .into_iter()
                    .map(|(alert, at)| InboxAlert {
                        alert,
                        at: (at - skew).timestamp_millis(),
                    }),
            );
        })?;
        inbox.sort_by(|a, b| {
            (a.alert.kind, a.at, &a.alert.order_id).cmp(&(b.alert.kind, b.at, &b.alert.order_id))
        });
        let total = u32::try_from(inbox.len()).unwrap_or(u32::MAX);
        inbox.truncate(limit);
        Ok(InboxPage {
            alerts: inbox,
            total,
        })
    }
}

#[cfg(test)]
#[path = "inbox_tests.rs"]
mod tests;
