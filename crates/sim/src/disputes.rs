//! Disputes and the marketplace's support, played by the simulator: either party opens
//! a dispute, support joins the order's chat some hours later, and settles it later
//! still — back to work or canceled and refunded. Every step is a pure function of the
//! order and its [`DisputeCase`].
//!
//! Seeds: crackerjack "A special case of an order request is a dispute."; IZEA "A member
//! of the customer experience team will be alerted and will join your chat as soon as
//! possible." (and its cancel flow: "You will be asked if you would like to have a
//! customer experience team member join your chat" — not an instant refund); HostJane
//! "Problem with order button to report issues"; PodcasterPros "Create a support ticket
//! and our friendly support team will get back to you shortly."; Fiverr "our Customer
//! Support team is here to assist".

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, Party, Profile};
use sellerdesk_rules::{DisputeOutcome, Event, can_open_dispute, dispute_route, transition};

use crate::actions::Refused;
use crate::life::{DisputeCase, DisputeStage, Life, draw, post};

/// assumed: support joins 4 hours after a dispute is opened ("as soon as possible").
pub(crate) const SUPPORT_JOINS_AFTER: Duration = Duration::hours(4);
/// assumed: support settles a dispute 2 days after it was opened (no seed says).
pub(crate) const SUPPORT_SETTLES_AFTER: Duration = Duration::hours(48);

/// The order once `by` opened a dispute: disputed, with the reason in its chat. Pure.
pub(crate) fn open(
    order: &Order,
    by: Party,
    reason: &str,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<Order, Refused> {
    can_open_dispute(order).map_err(|e| Refused(e.to_string()))?;
    let mut changed = order.clone();
    changed.status =
        transition(order.status, Event::Dispute).map_err(|e| Refused(e.to_string()))?;
    let label = dispute_route(profile).action_label;
    post(&mut changed, by, format!("{label}: {reason}"), now);
    Ok(changed)
}

/// The case to remember once a dispute was opened at `at` by `by`.
pub(crate) fn case(by: Party, at: DateTime<Utc>) -> DisputeCase {
    DisputeCase {
        opened_at: at,
        opened_by: by,
        stage: DisputeStage::Opened,
        asks_cancel: false,
    }
}

/// When support acts next on the order's dispute, if it has one open.
pub(crate) fn next_at(order: &Order, life: &Life) -> Option<DateTime<Utc>> {
    let case = life.dispute.as_ref()?;
    if order.status != sellerdesk_api::OrderStatus::Disputed {
        return None;
    }
    match case.stage {
        DisputeStage::Opened => Some(case.opened_at + SUPPORT_JOINS_AFTER),
        DisputeStage::Joined => Some(case.opened_at + SUPPORT_SETTLES_AFTER),
        DisputeStage::Resolved => None,
    }
}

/// Support's next step at `at`: join the chat, or settle. IZEA's Cancel Order is settled
/// by canceling. assumed: otherwise two disputes in three go back to work, the third is
/// canceled and refunded (drawn per order, so a run replays exactly).
pub(crate) fn step(
    order: &Order,
    life: &Life,
    profile: &Profile,
    at: DateTime<Utc>,
) -> Option<(Order, Life)> {
    let case = life.dispute.clone()?;
    let route = dispute_route(profile);
    let who = route.support_name;
    let mut changed = order.clone();
    let mut life = life.clone();
    let stage = match case.stage {
        DisputeStage::Opened => {
            post(
                &mut changed,
                Party::Support,
                format!("{who} joined the chat and is looking into this order."),
                at,
            );
            DisputeStage::Joined
        }
        DisputeStage::Joined => {
            let drawn = draw(&[&order.id, "dispute", &case.opened_at.to_rfc3339()]);
            let outcome = if case.asks_cancel || drawn % 3 == 2 {
                DisputeOutcome::Cancel
            } else {
                DisputeOutcome::ResumeWork
            };
            changed.status = transition(order.status, Event::ResolveDispute(outcome)).ok()?;
            let text = match outcome {
                DisputeOutcome::Cancel => {
                    format!("{who}: we canceled this order and refunded the buyer.")
                }
                _ => format!("{who}: we settled this with both of you; work on the order goes on."),
            };
            post(&mut changed, Party::Support, text, at);
            DisputeStage::Resolved
        }
        DisputeStage::Resolved => return None,
    };
    life.dispute = Some(DisputeCase { stage, ..case });
    Some((changed, life))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerdesk_api::OrderStatus;

    #[test]
    fn support_joins_then_settles() {
        let start = Utc::now();
        let profile = crate::profile("izea").unwrap();
        let order = crate::demo_orders(start).remove(0);
        let disputed = open(
            &order,
            Party::Seller,
            "The buyer stopped answering.",
            &profile,
            start,
        )
        .expect("an order in progress can be disputed");
        assert_eq!(disputed.status, OrderStatus::Disputed);
        assert!(
            disputed
                .messages
                .last()
                .unwrap()
                .text
                .starts_with("Dispute Order: "),
            "IZEA's own words in the chat"
        );
        let life = Life {
            dispute: Some(case(Party::Seller, start)),
            ..Life::default()
        };
        assert_eq!(next_at(&disputed, &life), Some(start + SUPPORT_JOINS_AFTER));
        let (joined, life) = step(&disputed, &life, &profile, start + SUPPORT_JOINS_AFTER).unwrap();
        let joined_msg = joined.messages.last().unwrap();
        assert_eq!(
            joined_msg.from,
            Party::Support,
            "a third party joins the chat"
        );
        assert_eq!(
            joined.status,
            OrderStatus::Disputed,
            "joining is not a refund"
        );
        assert_eq!(next_at(&joined, &life), Some(start + SUPPORT_SETTLES_AFTER));
        let (settled, life) =
            step(&joined, &life, &profile, start + SUPPORT_SETTLES_AFTER).unwrap();
        assert!(
            matches!(
                settled.status,
                OrderStatus::InProgress | OrderStatus::Canceled
            ),
            "settled: {:?}",
            settled.status
        );
        assert_eq!(next_at(&settled, &life), None, "settled once");
        let done = Order {
            status: OrderStatus::Completed,
            ..order
        };
        assert!(open(&done, Party::Buyer, "late", &profile, start).is_err());
    }
}
