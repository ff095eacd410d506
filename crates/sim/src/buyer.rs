//! The simulated buyer: what a buyer does on an order, as a pure step ([`apply`]), and
//! when a seeded buyer takes which step ([`next`]). Every buyer is drawn from the
//! marketplace, the order id and the step's anchor instant, so the same clock always
//! plays the same story.
//! Tests script a buyer over `/_sim/buyer/{id}` or [`crate::SimHandle::buyer`].

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, OrderStatus, Party, Profile, RequestKind, RequestState, Review};
use sellerdesk_rules::buyer::{final_work_window, review_required_for_final_work};
use sellerdesk_rules::requests::{OPEN_IN, open};
use sellerdesk_rules::{
    Event, NewRequest, can_answer_delivery, can_request_revision, extend_review_time,
    review_ends_at, transition,
};
use serde::{Deserialize, Serialize};

use crate::actions::{Refused, answer_request, chat_text};
use crate::life::{Life, between, draw, post};

/// One thing the buyer does. Also the body of `POST /_sim/buyer/{id}` (`{"do": …}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum BuyerStep {
    /// Fiverr: "Your order status will change to "completed" as soon as your client
    /// accepts the delivery." HostJane: the buyer "accepted the Work and released funds",
    /// leaves the compulsory review, and waits for the Final Work.
    AcceptDelivery,
    /// IZEA: "the buyer has seven days to accept or request revisions".
    RequestRevision {
        #[serde(default = "revision_words")]
        text: String,
    },
    /// Fiverr: "Clients may also request additional time to review the delivered work."
    ExtendReview { days: u32 },
    /// crackerjack: "A special case of an order request is a dispute."
    OpenDispute {
        #[serde(default = "dispute_words")]
        reason: String,
    },
    /// HostJane: "The Buyer will be invited to leave a review and flame rating".
    Review {
        #[serde(default = "five")]
        rating: u8,
        #[serde(default = "review_words")]
        text: String,
    },
    /// crackerjack: "click either Accept or Decline inside the order request block".
    AnswerRequest { request_id: String, accept: bool },
    /// crackerjack: the buyer's own requests (change of order time, progress update,
    /// cancel), under the same eligibility rules as the seller's.
    OpenRequest {
        kind: RequestKind,
        #[serde(default)]
        message: String,
        #[serde(default)]
        proposed_due_at: Option<DateTime<Utc>>,
    },
    /// This buyer never acts again (the marketplace's own clock still runs).
    Silent,
    /// This buyer acts on its own again (after `silent`).
    Auto,
}

fn revision_words() -> String {
    "Close, but could you adjust a few details?".to_string()
}
fn dispute_words() -> String {
    "The delivery does not match what we agreed.".to_string()
}
fn review_words() -> String {
    "Great work, delivered as promised.".to_string()
}
fn five() -> u8 {
    5
}

/// The order and record after the buyer's `step` at `at`, or why the marketplace would
/// refuse it. Pure.
pub(crate) fn apply(
    order: &Order,
    life: &Life,
    step: &BuyerStep,
    profile: &Profile,
    at: DateTime<Utc>,
) -> Result<(Order, Life), Refused> {
    let refused = |e: &dyn std::fmt::Display| Refused(e.to_string());
    let mut changed = order.clone();
    let mut life = life.clone();
    match step {
        BuyerStep::AcceptDelivery => {
            can_answer_delivery(order).map_err(|e| refused(&e))?;
            if life.accepted_at.is_some() {
                return Err(Refused("the buyer already accepted this delivery".into()));
            }
            if final_work_window(profile).is_some() {
                // HostJane: "If the Buyer has accepted the Work and released funds to you,
                // please send the Buyer their Final Work within 24 hours."
                life.accepted_at = Some(at);
                post(
                    &mut changed,
                    Party::Buyer,
                    "I accept the work and release the funds. Please send the Final Work.",
                    at,
                );
                if review_required_for_final_work(profile) && changed.review.is_none() {
                    changed.review = Some(seeded_review(order, at));
                }
            } else {
                changed.status =
                    transition(order.status, Event::Complete).map_err(|e| refused(&e))?;
                changed.completed_at = Some(at);
            }
        }
        BuyerStep::RequestRevision { text } => {
            let text = chat_text(text, "a revision request")?;
            can_request_revision(order, profile).map_err(|e| refused(&e))?;
            changed.status =
                transition(order.status, Event::RequestRevision).map_err(|e| refused(&e))?;
            post(
                &mut changed,
                Party::Buyer,
                format!("Revision request: {text}"),
                at,
            );
        }
        BuyerStep::ExtendReview { days } => {
            let so_far = Duration::days(order.review_extension_days.into());
            let total =
                extend_review_time(order, so_far, Duration::days((*days).into()), Party::Buyer)
                    .map_err(|e| refused(&e))?;
            changed.review_extension_days = u32::try_from(total.num_days())
                .ok()
                .filter(|d| *d <= sellerdesk_api::limits::MAX_SPAN_DAYS)
                .ok_or_else(|| Refused("too much review time".into()))?;
            // Fiverr: "you will be notified that the client has added time to the review period."
            post(
                &mut changed,
                Party::Support,
                format!("The buyer added {days} day(s) to the review period."),
                at,
            );
        }
        BuyerStep::OpenDispute { reason } => {
            let reason = chat_text(reason, "the reason for the dispute")?;
            changed = crate::disputes::open(order, Party::Buyer, reason, profile, at)?;
            life.dispute = Some(crate::disputes::case(Party::Buyer, at));
        }
        BuyerStep::Review { rating, text } => {
            let text = chat_text(text, "a review")?;
            if !(1..=5).contains(rating) {
                return Err(Refused(format!("a rating is 1 to 5, not {rating}")));
            }
            if order.review.is_some() {
                return Err(Refused("the buyer already reviewed this order".into()));
            }
            if order.status != OrderStatus::Completed && life.accepted_at.is_none() {
                return Err(Refused("a review follows the buyer's acceptance".into()));
            }
            changed.review = Some(Review {
                rating: *rating,
                text: text.to_string(),
                posted_at: at,
                reply: None,
            });
        }
        BuyerStep::AnswerRequest { request_id, accept } => {
            changed = answer_request(order, request_id, Party::Buyer, *accept, profile, at)?;
        }
        BuyerStep::OpenRequest {
            kind,
            message,
            proposed_due_at,
        } => {
            let new = NewRequest {
                id: format!("{}-R{}", order.id, order.requests.len() + 1),
                kind: *kind,
                opened_by: Party::Buyer,
                opened_at: at,
                message: message.trim().to_string(),
                proposed_due_at: *proposed_due_at,
                price_minor: None,
                form: Default::default(),
            };
            let pending_delivery = order.status == OrderStatus::Delivered;
            let opened = open(order, &order.requests, pending_delivery, new, profile)
                .map_err(|e| refused(&e))?;
            changed.requests.push(opened);
        }
        BuyerStep::Silent => life.silent = true,
        BuyerStep::Auto => life.silent = false,
    }
    Ok((changed, life))
}

fn seeded_review(order: &Order, at: DateTime<Utc>) -> Review {
    const TEXTS: [&str; 3] = [
        "Great work, delivered as promised.",
        "Good result, communication could be quicker.",
        "Exactly what I asked for. Thank you!",
    ];
    let n = draw(&[&order.id, "review", &at.to_rfc3339()]);
    Review {
        rating: if n.is_multiple_of(4) { 4 } else { 5 },
        text: TEXTS[(n / 4 % 3) as usize].to_string(),
        posted_at: at,
        reply: None,
    }
}

/// The seeded buyer's next step on `order`, and when, if it will take one. Nothing is
/// planned before `floor` (the simulator's start), so the demo starts as seeded.
pub(crate) fn next(
    order: &Order,
    life: &Life,
    profile: &Profile,
    floor: DateTime<Utc>,
) -> Option<(DateTime<Utc>, BuyerStep)> {
    if life.silent {
        return None;
    }
    answer_seller_request(order, floor)
        .or_else(|| answer_delivery(order, life, profile, floor))
        .or_else(|| review(order, life, floor))
        .or_else(|| open_request(order, profile, floor))
}

/// crackerjack: "If the other party has sent you a request, respond as soon as
/// possible." assumed: one request in eight is left to expire.
fn answer_seller_request(
    order: &Order,
    floor: DateTime<Utc>,
) -> Option<(DateTime<Utc>, BuyerStep)> {
    let request = order
        .requests
        .iter()
        .find(|r| r.state == RequestState::Pending && r.opened_by == Party::Seller)?;
    let n = draw(&[&order.id, &request.id, "answer"]);
    if n.is_multiple_of(8) {
        return None;
    }
    let at =
        request.opened_at.max(floor) + between(n >> 8, Duration::hours(1), Duration::hours(30));
    if at >= request.expires_at {
        return None;
    }
    // assumed: a buyer agrees to most cancel requests and to two thirds of the rest.
    let accept = match request.kind {
        RequestKind::Cancel => n % 5 != 1,
        _ => n % 3 != 1,
    };
    Some((
        at,
        BuyerStep::AnswerRequest {
            request_id: request.id.clone(),
            accept,
        },
    ))
}

/// A delivery under review: accept (half the buyers), a revision (if any is left),
/// more review time (Fiverr), a dispute, or nothing at all (auto-completion).
fn answer_delivery(
    order: &Order,
    life: &Life,
    profile: &Profile,
    floor: DateTime<Utc>,
) -> Option<(DateTime<Utc>, BuyerStep)> {
    if order.status != OrderStatus::Delivered || life.accepted_at.is_some() {
        return None;
    }
    let delivered_at = order.delivered_at?;
    let ends = review_ends_at(order, profile)?;
    let anchor = delivered_at.max(floor);
    if ends - anchor < Duration::hours(3) {
        return None;
    }
    let extension = order.review_extension_days.to_string();
    let n = draw(&[
        &profile.id,
        &order.id,
        "delivery",
        &delivered_at.to_rfc3339(),
        &extension,
    ]);
    let at = anchor
        + between(
            n >> 8,
            Duration::hours(2),
            ends - anchor - Duration::hours(1),
        );
    let step = match n % 100 {
        0..50 => BuyerStep::AcceptDelivery,
        50..70 if can_request_revision(order, profile).is_ok() => BuyerStep::RequestRevision {
            text: revision_words(),
        },
        70..80 if profile.id == "fiverr" && order.review_extension_days == 0 => {
            BuyerStep::ExtendReview {
                days: 1 + (n >> 20) as u32 % 2,
            }
        }
        80..85 => BuyerStep::OpenDispute {
            reason: dispute_words(),
        },
        85.. => return None,
        _ => BuyerStep::AcceptDelivery,
    };
    Some((at, step))
}

/// After completion (or HostJane's acceptance) most buyers review. assumed: three in four.
fn review(order: &Order, life: &Life, floor: DateTime<Utc>) -> Option<(DateTime<Utc>, BuyerStep)> {
    if order.review.is_some() || order.status != OrderStatus::Completed {
        return None;
    }
    let done = order.completed_at.or(life.accepted_at)?;
    let n = draw(&[&order.id, "review", &done.to_rfc3339()]);
    if n % 4 == 3 {
        return None;
    }
    let at = done.max(floor) + between(n >> 8, Duration::hours(1), Duration::hours(48));
    let r = seeded_review(order, at);
    Some((
        at,
        BuyerStep::Review {
            rating: r.rating,
            text: r.text,
        },
    ))
}

/// Some buyers open a request of their own while the work is owed, under crackerjack's
/// eligibility rules. assumed: one buyer in four, once per order.
fn open_request(
    order: &Order,
    profile: &Profile,
    floor: DateTime<Utc>,
) -> Option<(DateTime<Utc>, BuyerStep)> {
    if !OPEN_IN.contains(&order.status)
        || order
            .requests
            .iter()
            .any(|r| r.opened_by == Party::Buyer || r.state == RequestState::Pending)
    {
        return None;
    }
    let n = draw(&[&profile.id, &order.id, "buyer-request"]);
    if !n.is_multiple_of(4) {
        return None;
    }
    let at = floor.max(order.updated_at) + between(n >> 8, Duration::hours(6), Duration::hours(36));
    let (kind, message, proposed_due_at) = match (n >> 4) % 3 {
        0 => (
            RequestKind::ProgressUpdate,
            "How is it going? A first look would help.",
            None,
        ),
        1 => (
            RequestKind::ChangeOrderTime,
            "Could we move the deadline two days later?",
            Some(order.due_at + Duration::days(2)),
        ),
        _ => (
            RequestKind::Cancel,
            "Our plans changed; can we cancel this order?",
            None,
        ),
    };
    let step = BuyerStep::OpenRequest {
        kind,
        message: message.to_string(),
        proposed_due_at,
    };
    // Only a step the rules allow now is planned.
    apply(order, &Life::default(), &step, profile, at).ok()?;
    Some((at, step))
}

#[cfg(test)]
#[path = "buyer_tests.rs"]
mod tests;
