//! Tables for the breakdown, the fee rounding rule, the forecast and the period totals,
//! each case quoting the seed sentence it encodes.

use chrono::{FixedOffset, NaiveDate, TimeZone};
use rstest::rstest;
use sellerdesk_api::{Extra, OrderStatus as S};

use super::*;
use crate::fixtures::{delivered, order, profile, t0};

fn days(n: i64) -> Duration {
    Duration::days(n)
}

#[test]
fn hostjane_itemized_breakdown() {
    // hostjane: "An itemized breakdown of the Buyer's Order" and "Your forecast net earnings"
    let o = Order {
        extras: vec![
            Extra {
                title: "Fast delivery".into(),
                price_minor: 1500,
            },
            Extra {
                title: "Source files".into(),
                price_minor: 999,
            },
        ],
        ..order(S::InProgress)
    };
    let b = breakdown(&o, &profile("hostjane")).expect("valid amounts");
    let lines: Vec<_> = b
        .lines
        .iter()
        .map(|l| (l.kind, l.title.as_str(), l.amount_minor))
        .collect();
    assert_eq!(
        lines,
        [
            (LineKind::Base, "Podcast intro", 5000),
            (LineKind::Extra, "Fast delivery", 1500),
            (LineKind::Extra, "Source files", 999),
        ],
        "the base package first, then each extra in order"
    );
    assert_eq!(b.gross_minor, 7499, "gross is base plus extras");
    // 20 % of 74.99 = 14.998 → 15.00
    assert_eq!(b.fee_minor, 1500, "the fee rounds half up to the cent");
    assert_eq!(b.net_minor, 5999, "net is gross minus fee");
    assert_eq!(b.currency, "USD");
}

#[rstest]
#[case::exact(2500, 2000, 500)]
#[case::rounds_down_below_half(1, 2000, 0)]
#[case::half_rounds_up(2, 2500, 1)]
#[case::one_and_a_half_rounds_up(3, 5000, 2)]
#[case::tiny_rate_below_half(999, 1, 0)]
#[case::tiny_rate_at_half(5000, 1, 1)]
#[case::no_fee(12345, 0, 0)]
#[case::nothing_to_charge(0, 2000, 0)]
#[case::whole(10, 10_000, 10)]
#[case::capped_never_above_gross(10, 12_000, 10)]
#[case::huge_gross_no_overflow(i64::MAX, 10_000, i64::MAX)]
fn fee_rounding_rule(#[case] gross: i64, #[case] bps: u32, #[case] fee: i64) {
    // assumed: no seed states a fee; the rule is half up to the minor unit, capped at gross
    assert_eq!(fee_minor(gross, bps), fee, "fee on {gross} at {bps} bps");
}

#[rstest]
#[case::negative_base(-1, 0)]
#[case::negative_extra(100, -5)]
fn negative_amounts_are_refused(#[case] base: i64, #[case] extra: i64) {
    let o = Order {
        base_price_minor: base,
        extras: vec![Extra {
            title: "x".into(),
            price_minor: extra,
        }],
        ..order(S::InProgress)
    };
    let err = breakdown(&o, &profile("fiverr")).expect_err("a negative price must not be itemized");
    assert!(matches!(err, RuleError::NegativeAmount { .. }), "{err}");
}

#[test]
fn overflowing_sums_are_refused() {
    let o = Order {
        base_price_minor: i64::MAX,
        ..order(S::InProgress)
    };
    assert_eq!(
        breakdown(&o, &profile("fiverr")),
        Err(RuleError::AmountOverflow {
            order_id: "o1".into()
        }),
        "an overflowing gross must be an error, never a wrapped figure"
    );
}

fn completed(at: Duration) -> Order {
    Order {
        status: S::Completed,
        completed_at: Some(t0() + at),
        ..delivered(days(1))
    }
}

// Net of the fixture order at 20 %: 6500 − 1300.
const NET: i64 = 5200;

#[rstest]
// hostjane: "earnings available for withdrawal to your bank after the clearance period of 5 days."
#[case::hostjane_clearing(
    "hostjane",
    completed(days(4)),
    days(6),
    days(4),
    days(9),
    Bucket::Clearing
)]
#[case::hostjane_available_at_end(
    "hostjane",
    completed(days(4)),
    days(9),
    days(4),
    days(9),
    Bucket::Available
)]
// fiverr: "Once your order is marked as completed, the order will be processed for payment." (clearance 14 d assumed)
#[case::fiverr_clearing(
    "fiverr",
    completed(days(4)),
    days(6),
    days(4),
    days(18),
    Bucket::Clearing
)]
// hostjane: "If the Buyer fails to respond in time, the order will be closed as complete"
#[case::hostjane_delivered(
    "hostjane",
    delivered(days(1)),
    days(2),
    days(4),
    days(9),
    Bucket::Pending
)]
// fiverr: "within three days of the delivery's due date" (due t0+3d)
#[case::fiverr_delivered_early(
    "fiverr",
    delivered(days(1)),
    days(2),
    days(6),
    days(20),
    Bucket::Pending
)]
// izea: "the buyer has seven days to accept or request revisions" after the due delivery
#[case::izea_in_progress(
    "izea",
    order(S::InProgress),
    Duration::zero(),
    days(10),
    days(24),
    Bucket::Pending
)]
// assumed: late work can at best be delivered now
#[case::hostjane_late_work(
    "hostjane",
    order(S::InProgress),
    days(5),
    days(8),
    days(13),
    Bucket::Pending
)]
fn forecast_table(
    #[case] id: &str,
    #[case] o: Order,
    #[case] now: Duration,
    #[case] completion: Duration,
    #[case] available: Duration,
    #[case] bucket: Bucket,
) {
    let f = forecast(&o, &profile(id), t0() + now)
        .expect("valid amounts")
        .expect("an active or completed order has a forecast");
    assert_eq!(
        (f.expected_completion, f.available_at, f.bucket),
        (t0() + completion, t0() + available, bucket),
        "{id}: {} order seen at t0+{now}",
        o.status.as_str()
    );
    assert_eq!(f.net_minor, NET, "the forecast carries the breakdown's net");
}

#[test]
fn canceled_orders_drop_out() {
    // podcasterpros: "CANCELED: These are all the canceled orders, whether by mutual cancellation or
    // Customer Support cancellation." They earn nothing.
    let f = forecast(&order(S::Canceled), &profile("podcasterpros"), t0());
    assert_eq!(f, Ok(None), "a canceled order must not be forecast");
}

fn forecast_at(
    available_at: DateTime<Utc>,
    bucket: Bucket,
    net_minor: i64,
    currency: &str,
) -> Forecast {
    Forecast {
        order_id: format!("o{net_minor}"),
        currency: currency.into(),
        net_minor,
        expected_completion: available_at - days(5),
        available_at,
        bucket,
    }
}

#[test]
fn weekly_totals_split_by_bucket_and_currency() {
    // t0 is Monday 2026-03-16 (ISO week 12).
    let forecasts = [
        forecast_at(t0(), Bucket::Available, 100, "USD"),
        forecast_at(t0() + days(2), Bucket::Clearing, 200, "USD"),
        forecast_at(t0() + days(6), Bucket::Pending, 400, "USD"),
        forecast_at(t0() + days(7), Bucket::Pending, 800, "USD"),
        forecast_at(t0() + days(1), Bucket::Pending, 1600, "EUR"),
    ];
    let got = totals_by_week(&forecasts, FixedOffset::east_opt(0).expect("UTC"));
    let got: Vec<_> = got
        .iter()
        .map(|t| {
            (
                t.period,
                t.starts_on,
                t.currency.as_str(),
                t.pending_minor,
                t.clearing_minor,
                t.available_minor,
            )
        })
        .collect();
    let monday = |d| NaiveDate::from_ymd_opt(2026, 3, d).expect("valid date");
    assert_eq!(
        got,
        [
            (
                Period::IsoWeek {
                    year: 2026,
                    week: 12
                },
                monday(16),
                "EUR",
                1600,
                0,
                0
            ),
            (
                Period::IsoWeek {
                    year: 2026,
                    week: 12
                },
                monday(16),
                "USD",
                400,
                200,
                100
            ),
            (
                Period::IsoWeek {
                    year: 2026,
                    week: 13
                },
                monday(23),
                "USD",
                800,
                0,
                0
            ),
        ],
        "each week sums its forecasts per bucket, never across currencies"
    );
}

#[rstest]
// Sunday 2026-03-22 23:30 UTC is already Monday in UTC+1 and still Sunday in UTC−5.
#[case::utc(0, Period::IsoWeek { year: 2026, week: 12 })]
#[case::east_of_utc(3600, Period::IsoWeek { year: 2026, week: 13 })]
#[case::west_of_utc(-5 * 3600, Period::IsoWeek { year: 2026, week: 12 })]
fn the_sellers_zone_decides_the_week(#[case] offset_secs: i32, #[case] week: Period) {
    let at = Utc
        .with_ymd_and_hms(2026, 3, 22, 23, 30, 0)
        .single()
        .expect("valid instant");
    let offset = FixedOffset::east_opt(offset_secs).expect("valid offset");
    let got = totals_by_week(&[forecast_at(at, Bucket::Pending, 1, "USD")], offset);
    assert_eq!(
        got.first().map(|t| t.period),
        Some(week),
        "at offset {offset}"
    );
}

#[rstest]
// 2026-04-01 02:00 UTC is still March in UTC−5.
#[case::utc(0, Period::Month { year: 2026, month: 4 }, (2026, 4, 1))]
#[case::west_of_utc(-5 * 3600, Period::Month { year: 2026, month: 3 }, (2026, 3, 1))]
fn monthly_totals_in_the_sellers_zone(
    #[case] offset_secs: i32,
    #[case] month: Period,
    #[case] first: (i32, u32, u32),
) {
    let at = Utc
        .with_ymd_and_hms(2026, 4, 1, 2, 0, 0)
        .single()
        .expect("valid instant");
    let offset = FixedOffset::east_opt(offset_secs).expect("valid offset");
    let got = totals_by_month(&[forecast_at(at, Bucket::Clearing, 7, "USD")], offset);
    let starts_on = NaiveDate::from_ymd_opt(first.0, first.1, first.2).expect("valid date");
    assert_eq!(got.len(), 1, "one forecast, one month");
    assert_eq!(
        (got[0].period, got[0].starts_on, got[0].clearing_minor),
        (month, starts_on, 7)
    );
}

#[test]
fn iso_week_one_can_start_in_the_previous_year() {
    // 2025-12-29 (Monday) opens ISO week 1 of 2026.
    let at = Utc
        .with_ymd_and_hms(2025, 12, 30, 12, 0, 0)
        .single()
        .expect("valid instant");
    let got = totals_by_week(
        &[forecast_at(at, Bucket::Pending, 1, "USD")],
        FixedOffset::east_opt(0).expect("UTC"),
    );
    assert_eq!(
        got[0].period,
        Period::IsoWeek {
            year: 2026,
            week: 1
        },
        "ISO week-numbering year"
    );
    assert_eq!(
        got[0].starts_on,
        NaiveDate::from_ymd_opt(2025, 12, 29).expect("valid date")
    );
}
