//! What an order earns the seller, in integer minor units only: the itemized breakdown
//! (HostJane's workspace shows "An itemized breakdown of the Buyer's Order" and "Your
//! forecast net earnings"), when the money is expected, and per-period totals.
//!
//! Fee rounding (assumed: no seed states a fee or its rounding): the marketplace fee is
//! `gross × fee_bps / 10 000`, computed exactly and rounded half up to the minor unit,
//! with `fee_bps` capped at 10 000 so the fee never exceeds the gross. The net is
//! `gross − fee`, so `net + fee == gross` always holds. Rounding half up leaves the
//! seller's forecast net at most half a cent below the exact figure, never above it.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, OrderStatus, Profile};
use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::review::{auto_complete_at, review_window};

mod periods;

pub use periods::{Period, PeriodTotal, totals_by_month, totals_by_week};

/// Basis points in a whole: 10 000 bps = 100 %.
pub const BPS_PER_WHOLE: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// The package the buyer ordered.
    Base,
    /// A paid extra on top of it.
    Extra,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub kind: LineKind,
    pub title: String,
    pub amount_minor: i64,
}

/// The order itemized: what the buyer pays, what the marketplace keeps, what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub currency: String,
    /// The base package first, then each extra in order.
    pub lines: Vec<Line>,
    pub gross_minor: i64,
    pub fee_bps: u32,
    pub fee_minor: i64,
    pub net_minor: i64,
}

/// The marketplace's fee on `gross_minor`, rounded half up to the minor unit, between 0
/// and the gross (a negative gross pays no fee).
pub fn fee_minor(gross_minor: i64, fee_bps: u32) -> i64 {
    let gross = i128::from(gross_minor.max(0));
    let bps = i128::from(fee_bps.min(BPS_PER_WHOLE));
    let whole = i128::from(BPS_PER_WHOLE);
    let fee = (gross * bps + whole / 2) / whole;
    // 0 ≤ fee ≤ gross ≤ i64::MAX, so the conversion cannot fail.
    i64::try_from(fee).unwrap_or(gross_minor)
}

/// The itemized breakdown of an order. Refuses negative amounts and sums that do not fit
/// in 64 bits, rather than showing a wrong figure.
pub fn breakdown(order: &Order, profile: &Profile) -> Result<Breakdown, RuleError> {
    let base = Line {
        kind: LineKind::Base,
        title: order.title.clone(),
        amount_minor: order.base_price_minor,
    };
    let extras = order.extras.iter().map(|e| Line {
        kind: LineKind::Extra,
        title: e.title.clone(),
        amount_minor: e.price_minor,
    });
    let lines: Vec<Line> = std::iter::once(base).chain(extras).collect();
    let mut gross_minor: i64 = 0;
    for line in &lines {
        if line.amount_minor < 0 {
            return Err(RuleError::NegativeAmount {
                order_id: order.id.clone(),
                what: format!("the price of \"{}\"", line.title),
                amount_minor: line.amount_minor,
            });
        }
        gross_minor = gross_minor.checked_add(line.amount_minor).ok_or_else(|| {
            RuleError::AmountOverflow {
                order_id: order.id.clone(),
            }
        })?;
    }
    let fee_minor = fee_minor(gross_minor, profile.fee_bps);
    Ok(Breakdown {
        currency: order.currency.clone(),
        lines,
        gross_minor,
        fee_bps: profile.fee_bps,
        fee_minor,
        net_minor: gross_minor - fee_minor,
    })
}

/// Where a forecast's money stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// The order is not completed yet.
    Pending,
    /// Completed, inside the clearance period.
    Clearing,
    /// Completed and cleared: can be withdrawn.
    Available,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forecast {
    pub order_id: String,
    pub currency: String,
    pub net_minor: i64,
    pub expected_completion: DateTime<Utc>,
    pub available_at: DateTime<Utc>,
    pub bucket: Bucket,
}

/// Days between completion and withdrawal: HostJane "after the clearance period of 5
/// days"; 14 days on the other profiles (assumed there by the simulator).
pub fn clearance(profile: &Profile) -> Duration {
    sellerdesk_api::limits::days(profile.clearance_days)
}

/// When the order is expected to complete, or `None` for a canceled order.
///
/// - completed: `completed_at` (assumed: `updated_at` when the wire omits it);
/// - delivered: the auto-completion instant ([`auto_complete_at`], no extra review
///   time: the wire does not carry it);
/// - not delivered yet (including revisions and disputes, assumed to resume): the work
///   is expected at its due date, or now if that has passed (assumed: a late delivery
///   can at best arrive now), and then completes after a full review window.
pub fn expected_completion(
    order: &Order,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match order.status {
        OrderStatus::Canceled => None,
        OrderStatus::Completed => Some(order.completed_at.unwrap_or(order.updated_at)),
        _ => auto_complete_at(order, profile, Duration::zero())
            .or_else(|| sellerdesk_api::limits::add(order.due_at.max(now), review_window(profile))),
    }
}

/// The order's net, when it is expected to complete and to become available, and where it
/// stands at `now`. `Ok(None)` for a canceled order: it earns nothing.
pub fn forecast(
    order: &Order,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<Option<Forecast>, RuleError> {
    let Some(expected_completion) = expected_completion(order, profile, now) else {
        return Ok(None);
    };
    let net_minor = breakdown(order, profile)?.net_minor;
    let available_at = sellerdesk_api::limits::add(expected_completion, clearance(profile))
        .ok_or_else(|| RuleError::DateOutOfRange {
            order_id: order.id.clone(),
        })?;
    let bucket = match order.status {
        OrderStatus::Completed if now < available_at => Bucket::Clearing,
        OrderStatus::Completed => Bucket::Available,
        _ => Bucket::Pending,
    };
    Ok(Some(Forecast {
        order_id: order.id.clone(),
        currency: order.currency.clone(),
        net_minor,
        expected_completion,
        available_at,
        bucket,
    }))
}

#[cfg(test)]
mod tests;
