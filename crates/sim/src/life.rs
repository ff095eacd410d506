//! What the simulator remembers about an order beyond the wire: whether its buyer is
//! scripted silent, HostJane's accepted-and-awaiting-Final-Work instant, the open
//! dispute. Plus the small pieces every lifecycle step shares (a chat post, a seeded
//! number).

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Message, Order, Party};

/// The simulator's own record of one order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Life {
    /// A test said "silent": this buyer never acts again (auto-completion shows).
    pub silent: bool,
    /// HostJane: the buyer "accepted the Work and released funds" at this instant; the
    /// seller's Final Work is due within 24 hours.
    pub accepted_at: Option<DateTime<Utc>>,
    /// The dispute the marketplace's support is handling, if any.
    pub dispute: Option<DisputeCase>,
}

/// A dispute and how far support got with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DisputeCase {
    pub opened_at: DateTime<Utc>,
    pub opened_by: Party,
    pub stage: DisputeStage,
    /// IZEA's Cancel Order: support settles by canceling.
    pub asks_cancel: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DisputeStage {
    /// Waiting for support to join the chat.
    Opened,
    /// Support joined and is looking into it.
    Joined,
    /// Settled.
    Resolved,
}

/// Adds a message to the order's chat, with the next id of the order.
pub(crate) fn post(order: &mut Order, from: Party, text: impl Into<String>, at: DateTime<Utc>) {
    let id = format!("{}-M{}", order.id, order.messages.len() + 1);
    order.messages.push(Message {
        id,
        from,
        text: text.into(),
        sent_at: at,
    });
}

/// A deterministic number from the parts (FNV-1a, 64 bits): the same order at the same
/// step always draws the same number, so a run replays exactly.
pub(crate) fn draw(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A duration between `min` and `max` (inclusive, minute steps) picked by `n`.
pub(crate) fn between(n: u64, min: Duration, max: Duration) -> Duration {
    let span = (max - min).num_minutes().max(0) as u64;
    min + Duration::minutes((n % (span + 1)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_deterministic_and_spread() {
        assert_eq!(
            draw(&["D-1001", "x"]),
            draw(&["D-1001", "x"]),
            "same parts, same draw"
        );
        assert_ne!(
            draw(&["D-1001", "x"]),
            draw(&["D-1001x", ""]),
            "parts are separated"
        );
        let d = between(draw(&["a"]), Duration::hours(2), Duration::hours(5));
        assert!(d >= Duration::hours(2) && d <= Duration::hours(5), "{d}");
    }
}
