//! How long to wait before retrying a failed sync: exponential with jitter, capped, and
//! never shorter than the server's `Retry-After`.

use std::time::Duration;

const BASE: Duration = Duration::from_secs(2);
const CAP: Duration = Duration::from_secs(120);

/// Delay before retry number `attempt` (1 = first retry). `jitter` in [0, 1) spreads
/// clients apart (up to +25 %); pass a random value in the app, a fixed one in tests.
pub fn retry_delay(attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    let exp = BASE.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let jittered = exp.mul_f64(1.0 + 0.25 * jitter.clamp(0.0, 1.0)).min(CAP);
    match retry_after {
        Some(server) if server > jittered => server,
        _ => jittered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_table() {
        let s = Duration::from_secs;
        let cases = [
            (1, None, 0.0, s(2)),
            (2, None, 0.0, s(4)),
            (3, None, 0.0, s(8)),
            (1, None, 1.0, Duration::from_millis(2500)),
            (30, None, 0.0, s(120)),
            (1, Some(s(30)), 0.0, s(30)),
            (5, Some(s(1)), 0.0, s(32)),
        ];
        for (attempt, retry_after, jitter, expected) in cases {
            assert_eq!(
                retry_delay(attempt, retry_after, jitter),
                expected,
                "attempt {attempt}, Retry-After {retry_after:?}, jitter {jitter}"
            );
        }
    }
}
