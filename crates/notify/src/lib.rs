//! Desktop notifications for the core's due alerts, without Tauri: the notification an
//! alert becomes (freedesktop on Linux, through notify-rust), and what its buttons do —
//! Accept / Decline queue the answer in the same outbox as the window's buttons, a click
//! on the body opens the order. The shell only decides where "open the order" leads.
//!
//! When no notification service answers, the alerts still reach the window (the shell
//! emits them); [`MissingService`] logs that once, not once per alert.

mod tray_host;
pub use tray_host::{WATCHER, tray_host_present};

use std::sync::atomic::{AtomicBool, Ordering};

use notify_rust::{Hint, Notification, Timeout, Urgency};
use sellerdesk_core::AppError;
use sellerdesk_core::alerts::{Alert, AlertKind};
use sellerdesk_core::desk::AlertAnswer;
use sellerdesk_core::detail::SellerAction;

/// The application name every notification carries.
pub const APP_NAME: &str = "sellerdesk";
/// The installed `.desktop` file's name (Tauri's bundle names it after `productName`):
/// notification servers group notifications by it and show the app's icon.
pub const DESKTOP_ENTRY: &str = "sellerdesk";

/// What became of a shown notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accept or Decline was pressed: the answer is in the outbox and the sync was woken.
    Queued(SellerAction),
    /// Accept or Decline was pressed but the outbox refused it (logged); the order was
    /// opened so the seller sees its state.
    NotQueued(SellerAction),
    /// The body (the "default" action) was clicked: the order was opened.
    Opened,
    /// Closed, expired, or an action this alert does not offer: nothing was done.
    Dismissed,
}

/// The notification for `alert`: its title and body, its buttons, how urgent it is, and
/// the hints a server uses to group and file it.
pub fn notification_for(alert: &Alert) -> Notification {
    let mut note = Notification::new();
    note.appname(APP_NAME)
        .summary(&alert.title)
        .body(&alert.body)
        .hint(Hint::DesktopEntry(DESKTOP_ENTRY.to_string()))
        .hint(Hint::Category(category(alert.kind).to_string()))
        .urgency(urgency(alert.kind));
    for (id, label) in &alert.actions {
        note.action(id, label);
    }
    // A request the seller can answer stays until answered or dismissed; the rest follow
    // the server's default timeout (they remain in the window's list anyway).
    if answerable(alert) {
        note.timeout(Timeout::Never);
    } else {
        note.timeout(Timeout::Default);
    }
    note
}

/// One notification for `alerts` that did not get their own (more were due at once than
/// a seller can read): how many, the first titles, and a click that opens the window,
/// where the inbox lists them all.
pub fn summary_for(alerts: &[Alert]) -> Notification {
    const LISTED: usize = 3;
    let mut lines: Vec<String> = alerts
        .iter()
        .take(LISTED)
        .map(|a| a.title.clone())
        .collect();
    if alerts.len() > LISTED {
        lines.push(format!("… and {} more in the bell", alerts.len() - LISTED));
    }
    let critical = alerts.iter().any(|a| urgency(a.kind) == Urgency::Critical);
    let mut note = Notification::new();
    note.appname(APP_NAME)
        .summary(&match alerts.len() {
            1 => "1 more alert needs you".to_string(),
            n => format!("{n} more alerts need you"),
        })
        .body(&lines.join("\n"))
        .hint(Hint::DesktopEntry(DESKTOP_ENTRY.to_string()))
        .hint(Hint::Category("x-sellerdesk.summary".to_string()))
        .urgency(if critical {
            Urgency::Critical
        } else {
            Urgency::Normal
        })
        .action("default", "Open sellerdesk")
        .timeout(Timeout::Default);
    note
}

/// Shows [`summary_for`] `alerts` and blocks until it is clicked (`on_open`) or closes.
pub fn show_summary_and_wait(
    alerts: &[Alert],
    on_open: &dyn Fn(),
) -> Result<Outcome, notify_rust::error::Error> {
    let handle = summary_for(alerts).show()?;
    let mut outcome = Outcome::Dismissed;
    handle.wait_for_action(|key| {
        if key == "default" {
            on_open();
            outcome = Outcome::Opened;
        }
    });
    Ok(outcome)
}

/// The order in which due alerts get their own notification: what is lost if ignored
/// (critical: a request about to expire, a late delivery) first, then what asks for an
/// answer (new orders, requests), then the rest; stable within each.
pub fn most_urgent_first(alerts: &mut [Alert]) {
    let rank = |a: &Alert| match (urgency(a.kind), a.actions.len() > 1) {
        (Urgency::Critical, _) => 0,
        (_, true) => 1,
        _ => 2,
    };
    alerts.sort_by_key(rank);
}

/// Shows `alert` and blocks until the seller acts on it or it closes. Accept / Decline
/// hand the seller action to `act` — the app passes `Desk::perform`, the same method as
/// the window's buttons, which queues it and wakes the sync — then `on_open` so the
/// window shows the result (applied, or "this request already expired"); a click on
/// the body calls `on_open` only. An error means no notification service answered: the
/// caller reports it through [`MissingService`].
#[tracing::instrument(level = "debug", skip_all, fields(alert = %alert.key))]
pub fn show_and_wait(
    alert: &Alert,
    act: &dyn Fn(&Alert, &SellerAction) -> Result<(), AppError>,
    on_open: &dyn Fn(&Alert),
) -> Result<Outcome, notify_rust::error::Error> {
    let handle = notification_for(alert).show()?;
    let mut outcome = Outcome::Dismissed;
    handle.wait_for_action(|key| outcome = respond(act, alert, on_open, key));
    tracing::debug!(?outcome, "notification answered");
    Ok(outcome)
}

/// Does what the action `key` of `alert`'s notification asks.
fn respond(
    act: &dyn Fn(&Alert, &SellerAction) -> Result<(), AppError>,
    alert: &Alert,
    on_open: &dyn Fn(&Alert),
    key: &str,
) -> Outcome {
    let action = match AlertAnswer::of(alert, key) {
        AlertAnswer::Act(action) => action,
        AlertAnswer::Open => {
            on_open(alert);
            return Outcome::Opened;
        }
        AlertAnswer::Ignore => return Outcome::Dismissed, // "__closed", or a button it has not
    };
    let outcome = match act(alert, &action) {
        Ok(()) => Outcome::Queued(action),
        Err(e) => {
            tracing::warn!(error = %e, order = %alert.order_id, "cannot queue the notification's action");
            Outcome::NotQueued(action)
        }
    };
    // Show the result in the window, where the outbox says applied or refused.
    on_open(alert);
    outcome
}

fn answerable(alert: &Alert) -> bool {
    (alert.actions.iter()).any(|(id, _)| id == "accept" || id == "decline")
}

/// Vendor categories (`x-vendor.class`, as the spec asks for non-standard ones).
fn category(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::RequestReceived | AlertKind::RequestExpiring => "x-sellerdesk.request",
        AlertKind::NewOrder => "x-sellerdesk.order",
        AlertKind::DeliveryDue | AlertKind::DeliveryLate => "x-sellerdesk.delivery",
        AlertKind::AutoCompleting => "x-sellerdesk.review",
    }
}

/// Critical for what is lost if ignored (a request about to expire, a late delivery).
fn urgency(kind: AlertKind) -> Urgency {
    match kind {
        AlertKind::RequestExpiring | AlertKind::DeliveryLate => Urgency::Critical,
        _ => Urgency::Normal,
    }
}

/// Remembers that the notification service is missing, so it is logged once and not
/// once per alert (a machine without one keeps raising alerts, shown in the window).
#[derive(Debug, Default)]
pub struct MissingService {
    logged: AtomicBool,
}

impl MissingService {
    pub fn new() -> Self {
        Self::default()
    }

    /// Logs `error` the first time; returns whether it did.
    pub fn report(&self, error: &notify_rust::error::Error) -> bool {
        let first = !self.logged.swap(true, Ordering::Relaxed);
        if first {
            tracing::warn!(error = %error, "no notification service: alerts are shown in the window only");
        }
        first
    }
}

#[cfg(test)]
mod tests;
