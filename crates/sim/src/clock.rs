//! The simulator's controllable clock: real time flowing from a chosen start, plus an
//! offset tests can advance ("jump 49 hours ahead").

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

pub struct SimClock {
    start: DateTime<Utc>,
    started: Instant,
    advanced: Mutex<Duration>,
}

impl SimClock {
    pub fn new(start: DateTime<Utc>) -> SimClock {
        SimClock {
            start,
            started: Instant::now(),
            advanced: Mutex::new(Duration::zero()),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = Duration::from_std(self.started.elapsed()).unwrap_or_else(|_| Duration::zero());
        self.start + elapsed + *self.advanced.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn advance(&self, by: Duration) -> DateTime<Utc> {
        *self.advanced.lock().unwrap_or_else(|p| p.into_inner()) += by;
        self.now()
    }
}

/// `Date` header format (IMF-fixdate, RFC 9110).
pub fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn advancing_moves_now_by_exactly_that_much() {
        let clock = SimClock::new(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        let before = clock.now();
        let after = clock.advance(Duration::hours(49));
        let moved = after - before;
        assert!(moved >= Duration::hours(49) && moved < Duration::hours(49) + Duration::seconds(5), "moved {moved}");
    }

    #[test]
    fn http_date_is_imf_fixdate() {
        let at = Utc.with_ymd_and_hms(1994, 11, 6, 8, 49, 37).unwrap();
        assert_eq!(http_date(at), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
