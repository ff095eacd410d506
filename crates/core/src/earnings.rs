//! The earnings view: forecast net earnings per week and month, split into pending
//! (not completed yet), clearing (completed, inside the clearance period) and available
//! (withdrawable). Canceled orders earn nothing and drop out.

use chrono::{DateTime, FixedOffset, Utc};
use sellerdesk_api::{Order, Profile};
use sellerdesk_rules::{Bucket, Forecast, PeriodTotal, forecast, totals_by_month, totals_by_week};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::view::money_label;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EarningsPeriod {
    /// First day of the period, YYYY-MM-DD (a Monday for weeks).
    pub starts_on: String,
    pub pending_minor: i64,
    pub clearing_minor: i64,
    pub available_minor: i64,
    pub total_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EarningsView {
    /// The currency of the figures (orders in other currencies are counted apart).
    pub currency: String,
    pub weeks: Vec<EarningsPeriod>,
    pub months: Vec<EarningsPeriod>,
    pub pending_label: String,
    pub clearing_label: String,
    pub available_label: String,
    /// Orders in the forecast (canceled ones excluded).
    pub order_count: u32,
    /// Orders in another currency, not in these figures.
    pub other_currency_orders: u32,
}

/// Forecasts of every order whose profile is known, as of each account's server now.
pub fn forecasts(
    orders: &[(String, Order)],
    profile_of: &dyn Fn(&str) -> Option<Profile>,
    now_of: &dyn Fn(&str) -> DateTime<Utc>,
) -> Vec<Forecast> {
    orders
        .iter()
        .filter_map(|(account, order)| {
            let profile = profile_of(account)?;
            forecast(order, &profile, now_of(account)).ok().flatten()
        })
        .collect()
}

/// Weekly and monthly totals in the seller's time zone (`offset`), in the currency most
/// orders use.
pub fn earnings_view(all: &[Forecast], offset: FixedOffset) -> EarningsView {
    let currency = main_currency(all);
    let mine: Vec<&Forecast> = all.iter().filter(|f| f.currency == currency).collect();
    let sum = |bucket: Bucket| -> i64 {
        mine.iter()
            .filter(|f| f.bucket == bucket)
            .map(|f| f.net_minor)
            .sum()
    };
    let period = |t: &PeriodTotal| EarningsPeriod {
        starts_on: t.starts_on.format("%Y-%m-%d").to_string(),
        pending_minor: t.pending_minor,
        clearing_minor: t.clearing_minor,
        available_minor: t.available_minor,
        total_label: money_label(t.total_minor(), &currency),
    };
    EarningsView {
        weeks: totals_by_week(mine.iter().copied(), offset)
            .iter()
            .map(period)
            .collect(),
        months: totals_by_month(mine.iter().copied(), offset)
            .iter()
            .map(period)
            .collect(),
        pending_label: money_label(sum(Bucket::Pending), &currency),
        clearing_label: money_label(sum(Bucket::Clearing), &currency),
        available_label: money_label(sum(Bucket::Available), &currency),
        order_count: mine.len() as u32,
        other_currency_orders: (all.len() - mine.len()) as u32,
        currency,
    }
}

fn main_currency(all: &[Forecast]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in all {
        *counts.entry(f.currency.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map_or_else(|| "USD".to_string(), |(c, _)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_orders::{order, t0};
    use sellerdesk_api::OrderStatus;

    fn profile() -> Profile {
        Profile {
            id: "fiverr".into(),
            name: "Fiverr-like".into(),
            fee_bps: 2000,
            review_window_days: 3,
            clearance_days: 14,
            request_expiry_hours: 48,
            max_file_bytes: 5 << 30,
            status_labels: Default::default(),
            notes: vec![],
        }
    }

    #[test]
    fn weekly_totals_add_up_to_the_order_nets_and_skip_canceled_orders() {
        let mut done = order("done", 1);
        done.status = OrderStatus::Completed;
        done.completed_at = Some(t0() - chrono::Duration::days(20));
        let mut canceled = order("gone", 2);
        canceled.status = OrderStatus::Canceled;
        let active = order("active", 3);
        let orders: Vec<(String, Order)> = [done, canceled, active]
            .into_iter()
            .map(|o| ("a".to_string(), o))
            .collect();
        let f = forecasts(&orders, &|_| Some(profile()), &|_| t0());
        assert_eq!(f.len(), 2, "the canceled order earns nothing");
        let view = earnings_view(&f, FixedOffset::east_opt(0).unwrap());
        let weekly: i64 = view
            .weeks
            .iter()
            .map(|w| w.pending_minor + w.clearing_minor + w.available_minor)
            .sum();
        assert_eq!(weekly, 2 * 8_000, "two orders of $100 net $80 each");
        assert_eq!(
            view.available_label, "$80.00",
            "completed 20 days ago clears after 14"
        );
        assert_eq!(view.pending_label, "$80.00");
        assert_eq!(view.clearing_label, "$0.00");
    }
}
