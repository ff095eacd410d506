//! The simulator's controllable clock: the configured start, plus real time elapsed
//! since spawn, plus whatever tests have advanced it by. Also formats HTTP dates.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

use crate::handle::lock;

/// How far the clock may be moved away from real time, either way (100 years).
const MAX_OFFSET: Duration = Duration::days(36_525);

#[derive(Debug)]
pub(crate) struct SimClock {
    start: DateTime<Utc>,
    origin: Instant,
    offset: Mutex<Duration>,
}

impl SimClock {
    pub(crate) fn new(start: DateTime<Utc>) -> SimClock {
        SimClock {
            start,
            origin: Instant::now(),
            offset: Mutex::new(Duration::zero()),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        let offset = *lock(&self.offset);
        sim_now(self.start, self.origin.elapsed(), offset)
    }

    /// Moves the clock by `by` (negative goes back) and returns the new time. The total
    /// offset is clamped to ±100 years so the clock can never overflow.
    pub(crate) fn advance(&self, by: Duration) -> DateTime<Utc> {
        {
            let mut offset = lock(&self.offset);
            *offset = clamp_offset(offset.checked_add(&by).unwrap_or(if by < Duration::zero() {
                -MAX_OFFSET
            } else {
                MAX_OFFSET
            }));
        }
        self.now()
    }
}

fn clamp_offset(offset: Duration) -> Duration {
    offset.clamp(-MAX_OFFSET, MAX_OFFSET)
}

/// `start + elapsed + offset`, saturating at chrono's range instead of panicking.
pub(crate) fn sim_now(
    start: DateTime<Utc>,
    elapsed: std::time::Duration,
    offset: Duration,
) -> DateTime<Utc> {
    let elapsed = Duration::from_std(elapsed).unwrap_or(Duration::MAX);
    let total = elapsed.checked_add(&offset).unwrap_or(Duration::MAX);
    start
        .checked_add_signed(total)
        .unwrap_or(if total < Duration::zero() {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
}

/// RFC 9110 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn http_date_is_imf_fixdate() {
        let cases = [
            (
                Utc.with_ymd_and_hms(1994, 11, 6, 8, 49, 37),
                "Sun, 06 Nov 1994 08:49:37 GMT",
            ),
            (
                Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0),
                "Thu, 01 Jan 2026 00:00:00 GMT",
            ),
            (
                Utc.with_ymd_and_hms(2030, 12, 31, 23, 59, 59),
                "Tue, 31 Dec 2030 23:59:59 GMT",
            ),
        ];
        for (at, want) in cases {
            let at = at.single().unwrap();
            assert_eq!(http_date(at), want, "IMF-fixdate of {at}");
            let back = DateTime::parse_from_rfc2822(want).unwrap();
            assert_eq!(back, at, "an HTTP date must parse back to the same instant");
        }
    }

    #[test]
    fn sim_now_adds_elapsed_and_offset() {
        let start = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).single().unwrap();
        let cases = [
            (0, Duration::zero(), start),
            (90, Duration::zero(), start + Duration::seconds(90)),
            (
                10,
                Duration::days(3),
                start + Duration::days(3) + Duration::seconds(10),
            ),
            (0, Duration::hours(-5), start - Duration::hours(5)),
        ];
        for (elapsed, offset, want) in cases {
            let got = sim_now(start, std::time::Duration::from_secs(elapsed), offset);
            assert_eq!(got, want, "start + {elapsed}s elapsed + {offset} offset");
        }
    }

    #[test]
    fn the_clock_saturates_instead_of_panicking() {
        let late = DateTime::<Utc>::MAX_UTC - Duration::seconds(1);
        assert_eq!(
            sim_now(late, std::time::Duration::from_secs(10), Duration::zero()),
            DateTime::<Utc>::MAX_UTC,
            "a clock past chrono's range must saturate"
        );
        let clock = SimClock::new(Utc::now());
        clock.advance(Duration::MAX);
        clock.advance(Duration::MAX);
        assert_eq!(
            *lock(&clock.offset),
            MAX_OFFSET,
            "the offset is clamped to 100 years"
        );
        clock.advance(Duration::MIN);
        assert_eq!(*lock(&clock.offset), -MAX_OFFSET, "and to -100 years");
    }

    #[test]
    fn advancing_moves_now_by_that_much() {
        let clock = SimClock::new(Utc::now());
        let before = clock.now();
        let after = clock.advance(Duration::days(3));
        let moved = after - before;
        assert!(
            moved >= Duration::days(3) && moved < Duration::days(3) + Duration::seconds(5),
            "advance(3 days) must move now by 3 days, moved {moved}"
        );
    }
}
