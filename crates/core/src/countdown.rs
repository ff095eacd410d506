//! Delivery countdowns: a pure function of (due instant, device clock, server clock offset).
//!
//! The device clock can be wrong; the sync records the offset between the marketplace's
//! `Date` header and the device clock, and every countdown is computed on the corrected
//! instant. All instants are UTC, so daylight-saving changes cannot shift a countdown.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Under this much time left, a delivery is "due soon".
pub const DUE_SOON: Duration = Duration::hours(24);
/// Past due by this much, a delivery is "very late".
pub const VERY_LATE: Duration = Duration::hours(24);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CountdownState {
    OnTime,
    DueSoon,
    Late,
    VeryLate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Countdown {
    pub state: CountdownState,
    /// Seconds until due; negative once late.
    pub seconds: i64,
    /// Human text: "2d 4h left", "5h 10m left", "late by 3h".
    pub label: String,
}

/// The marketplace's idea of now: the device clock corrected by the measured offset
/// (server minus device). An offset the sync would never store (beyond
/// [`sellerdesk_api::limits::MAX_CLOCK_SKEW`], e.g. from an older database) is ignored.
pub fn server_now(device_now: DateTime<Utc>, clock_offset: Duration) -> DateTime<Utc> {
    if clock_offset.abs() > sellerdesk_api::limits::MAX_CLOCK_SKEW {
        return device_now;
    }
    sellerdesk_api::limits::add(device_now, clock_offset).unwrap_or(device_now)
}

/// A stored clock offset in milliseconds as a duration (zero when out of range).
pub fn offset_from_ms(ms: i64) -> Duration {
    Duration::try_milliseconds(ms).unwrap_or_default()
}

/// Time left until `due` as seen at `device_now`, corrected by `clock_offset` (negative
/// once passed).
pub fn time_left(
    due: DateTime<Utc>,
    device_now: DateTime<Utc>,
    clock_offset: Duration,
) -> Duration {
    due - server_now(device_now, clock_offset)
}

/// The state of a countdown with `remaining` time left.
pub fn state_of(remaining: Duration) -> CountdownState {
    if remaining > DUE_SOON {
        CountdownState::OnTime
    } else if remaining > Duration::zero() {
        CountdownState::DueSoon
    } else if -remaining < VERY_LATE {
        CountdownState::Late
    } else {
        CountdownState::VeryLate
    }
}

/// Countdown to `due` as seen at `device_now`, corrected by `clock_offset`.
pub fn countdown(
    due: DateTime<Utc>,
    device_now: DateTime<Utc>,
    clock_offset: Duration,
) -> Countdown {
    let remaining = time_left(due, device_now, clock_offset);
    let seconds = remaining.num_seconds();
    let label = if remaining > Duration::zero() {
        format!("{} left", span(seconds))
    } else {
        format!("late by {}", span(-seconds))
    };
    Countdown {
        state: state_of(remaining),
        seconds,
        label,
    }
}

/// The countdown rule as a table of cases (time left in seconds → state, label), written
/// next to the TypeScript bindings so the window's own countdown (`ui/src/lib/countdown.ts`,
/// recomputed on a minute tick) is tested against the same rule.
pub fn shared_cases() -> String {
    const LEFT: [i64; 18] = [
        -200_000, -86_401, -86_400, -86_399, -12_000, -3_600, -59, 0, 1, 59, 60, 3_599, 3_600,
        18_600, 86_400, 86_401, 190_000, 604_800,
    ];
    let t0 = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
    let cases: Vec<serde_json::Value> = LEFT
        .iter()
        .map(|left| {
            let c = countdown(t0 + Duration::seconds(*left), t0, Duration::zero());
            serde_json::json!({"secondsLeft": left, "state": c.state, "seconds": c.seconds, "label": c.label})
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&cases).unwrap_or_default();
    text.push('\n');
    text
}

/// "2d 4h", "5h 10m", "12m", "<1m" — two units at most, truncated (never rounds up a
/// deadline).
fn span(seconds: i64) -> String {
    let minutes = seconds / 60;
    let (days, hours, mins) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, 0) => "<1m".to_string(),
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use rstest::rstest;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap()
    }

    #[rstest]
    #[case::days_and_hours(Duration::hours(52) + Duration::minutes(30), CountdownState::OnTime, "2d 4h left")]
    #[case::whole_days(Duration::days(3), CountdownState::OnTime, "3d left")]
    #[case::exactly_24h_is_due_soon(Duration::hours(24), CountdownState::DueSoon, "1d left")]
    #[case::hours_minutes(Duration::hours(5) + Duration::minutes(10), CountdownState::DueSoon, "5h 10m left")]
    #[case::minutes(Duration::minutes(12), CountdownState::DueSoon, "12m left")]
    #[case::seconds(Duration::seconds(30), CountdownState::DueSoon, "<1m left")]
    #[case::due_now_is_late(Duration::zero(), CountdownState::Late, "late by <1m")]
    #[case::late_hours(-(Duration::hours(3) + Duration::minutes(20)), CountdownState::Late, "late by 3h 20m")]
    #[case::late_whole_hours(-Duration::hours(3), CountdownState::Late, "late by 3h")]
    #[case::very_late_at_24h(-Duration::hours(24), CountdownState::VeryLate, "late by 1d")]
    #[case::very_late(-(Duration::days(2) + Duration::hours(1)), CountdownState::VeryLate, "late by 2d 1h")]
    fn countdown_table(#[case] left: Duration, #[case] state: CountdownState, #[case] label: &str) {
        let c = countdown(t0() + left, t0(), Duration::zero());
        assert_eq!(c.state, state, "state for {left}");
        assert_eq!(c.label, label, "label for {left}");
        assert_eq!(c.seconds, left.num_seconds());
    }

    #[test]
    fn server_clock_offset_corrects_a_slow_device() {
        // The device is 2 hours behind the marketplace: 3h left on the device is 1h really.
        let c = countdown(t0() + Duration::hours(3), t0(), Duration::hours(2));
        assert_eq!(
            c.label, "1h left",
            "the server offset must be applied to the device clock"
        );
    }

    #[test]
    fn dst_change_does_not_shift_a_utc_countdown() {
        // 2026-03-29 01:00 UTC is the EU spring-forward instant; 24 h of real time pass
        // across it and the countdown must drop by exactly 24 h.
        let due = t0() + Duration::hours(48);
        let before = countdown(due, t0(), Duration::zero());
        let after = countdown(due, t0() + Duration::hours(24), Duration::zero());
        assert_eq!(before.seconds - after.seconds, 24 * 3600);
        assert_eq!(after.label, "1d left");
    }

    proptest! {
        #[test]
        fn negative_seconds_always_mean_late(offset_s in -10_000_000i64..10_000_000, skew_s in -100_000i64..100_000) {
            let c = countdown(t0() + Duration::seconds(offset_s), t0(), Duration::seconds(skew_s));
            let late = matches!(c.state, CountdownState::Late | CountdownState::VeryLate);
            prop_assert_eq!(c.seconds <= 0, late, "a countdown at or below zero must be late, and only then");
            prop_assert_eq!(c.label.starts_with("late by"), late);
        }
    }
}
