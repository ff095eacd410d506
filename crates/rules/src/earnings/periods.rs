//! Forecast totals per ISO week or calendar month, split into pending / clearing /
//! available, for the earnings chart.
//!
//! Each forecast counts in the period of its `available_at` (when the money can be
//! withdrawn), as a date in the seller's zone given as a fixed UTC offset. Totals are
//! kept per currency: amounts in different currencies are never added together.

use std::collections::BTreeMap;

use chrono::{Datelike, FixedOffset, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::{Bucket, Forecast};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Period {
    /// ISO 8601 week: weeks start on Monday, week 1 holds the year's first Thursday.
    IsoWeek {
        year: i32,
        week: u32,
    },
    Month {
        year: i32,
        month: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodTotal {
    pub period: Period,
    /// First local day of the period (a Monday for weeks).
    pub starts_on: NaiveDate,
    pub currency: String,
    pub pending_minor: i64,
    pub clearing_minor: i64,
    pub available_minor: i64,
}

impl PeriodTotal {
    pub fn total_minor(&self) -> i64 {
        self.pending_minor
            .saturating_add(self.clearing_minor)
            .saturating_add(self.available_minor)
    }
}

/// Totals per ISO week of `available_at` in the zone `offset`, sorted by week then
/// currency. Only weeks holding a forecast appear.
pub fn totals_by_week<'a>(
    forecasts: impl IntoIterator<Item = &'a Forecast>,
    offset: FixedOffset,
) -> Vec<PeriodTotal> {
    totals(forecasts, offset, |day| {
        let week = day.iso_week();
        let starts_on =
            NaiveDate::from_isoywd_opt(week.year(), week.week(), Weekday::Mon).unwrap_or(day);
        let period = Period::IsoWeek {
            year: week.year(),
            week: week.week(),
        };
        (period, starts_on)
    })
}

/// Totals per calendar month of `available_at` in the zone `offset`, sorted by month then
/// currency. Only months holding a forecast appear.
pub fn totals_by_month<'a>(
    forecasts: impl IntoIterator<Item = &'a Forecast>,
    offset: FixedOffset,
) -> Vec<PeriodTotal> {
    totals(forecasts, offset, |day| {
        let period = Period::Month {
            year: day.year(),
            month: day.month(),
        };
        (period, day.with_day(1).unwrap_or(day))
    })
}

/// Sums saturate at the 64-bit limits rather than wrap.
fn totals<'a>(
    forecasts: impl IntoIterator<Item = &'a Forecast>,
    offset: FixedOffset,
    period_of: impl Fn(NaiveDate) -> (Period, NaiveDate),
) -> Vec<PeriodTotal> {
    let mut by_key: BTreeMap<(Period, String), PeriodTotal> = BTreeMap::new();
    for f in forecasts {
        let day = f.available_at.with_timezone(&offset).date_naive();
        let (period, starts_on) = period_of(day);
        let total = by_key
            .entry((period, f.currency.clone()))
            .or_insert_with(|| PeriodTotal {
                period,
                starts_on,
                currency: f.currency.clone(),
                pending_minor: 0,
                clearing_minor: 0,
                available_minor: 0,
            });
        let sum = match f.bucket {
            Bucket::Pending => &mut total.pending_minor,
            Bucket::Clearing => &mut total.clearing_minor,
            Bucket::Available => &mut total.available_minor,
        };
        *sum = sum.saturating_add(f.net_minor);
    }
    by_key.into_values().collect()
}
