//! After delivery: the buyer's review window and the auto-completion it leads to, extra
//! review time, revisions, the seller's own cancel (IZEA), and the single reply to a
//! review (HostJane).
//!
//! assumed: `Order::delivered_at` is the latest delivery (a modified delivery restarts
//! the window) and `Order::revisions_used` counts modified deliveries already made, so
//! a revision the buyer has asked for but not yet received is not counted in it.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::limits::add;
use sellerdesk_api::{Order, OrderStatus, Party, Profile, Review};

use crate::error::Refusal;
use crate::marketplace::{
    ModifiedWork, ReviewAnchor, SellerCancel, modified_work, review_anchor, seller_cancel,
};
use crate::status::{Event, Lateness, lateness, transition};

/// How long the buyer has to answer a delivery: Fiverr "three days", HostJane "3 days
/// exactly", IZEA "seven days".
pub fn review_window(profile: &Profile) -> Duration {
    sellerdesk_api::limits::days(profile.review_window_days)
}

/// The instant the review window counts from: the delivery (HostJane: "After delivering
/// the order, the Buyer will have 3 days exactly"), or on Fiverr the later of the
/// delivery and its due date (see [`ReviewAnchor::LaterOfDeliveryAndDue`]).
pub fn review_starts_at(order: &Order, profile: &Profile) -> Option<DateTime<Utc>> {
    let delivered_at = order.delivered_at?;
    Some(match review_anchor(profile) {
        ReviewAnchor::Delivery => delivered_at,
        ReviewAnchor::LaterOfDeliveryAndDue => delivered_at.max(order.due_at),
    })
}

/// When a delivery that awaits the buyer's answer completes on its own, including the
/// review time the buyer added (negative extra counts as none). `None` unless the order
/// is delivered and the delivery instant is known: a revision request, a dispute or a
/// completion stops the clock.
///
/// Fiverr: "If your client doesn't accept or reject your order within three days of the
/// delivery's due date, it will be automatically marked as completed." HostJane: "If the
/// Buyer fails to respond in time, the order will be closed as complete".
pub fn auto_complete_at(
    order: &Order,
    profile: &Profile,
    extra_review_time: Duration,
) -> Option<DateTime<Utc>> {
    if order.status != OrderStatus::Delivered {
        return None;
    }
    let extra = extra_review_time.max(Duration::zero());
    let start = review_starts_at(order, profile)?;
    add(add(start, review_window(profile))?, extra)
}

/// Time left before auto-completion, never negative.
pub fn review_time_left(
    order: &Order,
    profile: &Profile,
    extra_review_time: Duration,
    now: DateTime<Utc>,
) -> Option<Duration> {
    auto_complete_at(order, profile, extra_review_time).map(|at| (at - now).max(Duration::zero()))
}

/// The buyer adds review time. Fiverr: "Clients may also request additional time to
/// review the delivered work … you will be notified that the client has added time to
/// the review period." Returns the new total extra. assumed: no cap on the total.
pub fn extend_review_time(
    order: &Order,
    extra_so_far: Duration,
    added: Duration,
    by: Party,
) -> Result<Duration, Refusal> {
    if by != Party::Buyer {
        return Err(Refusal::OnlyBuyerExtendsReview);
    }
    if order.status != OrderStatus::Delivered {
        return Err(Refusal::NotInReview {
            status: order.status,
        });
    }
    if added <= Duration::zero() {
        return Err(Refusal::NotPositive);
    }
    extra_so_far
        .max(Duration::zero())
        .checked_add(&added)
        .ok_or(Refusal::DateOutOfRange)
}

/// Revisions still included in the price. HostJane: "You'll have the number of
/// revisions you allocated when you created your listing or made an offer".
pub fn revisions_left(order: &Order) -> u32 {
    order
        .revisions_included
        .saturating_sub(order.revisions_used)
}

/// Revision rounds the buyer has asked for: those delivered plus the one open now.
pub fn revisions_requested(order: &Order) -> u32 {
    let open = u32::from(order.status == OrderStatus::RevisionRequested);
    order.revisions_used.saturating_add(open)
}

/// IZEA: "the number of revisions has been exceeded": the buyer asked for more rounds
/// than the order includes.
pub fn revisions_exceeded(order: &Order) -> bool {
    revisions_requested(order) > order.revisions_included
}

/// Whether the seller may deliver modified work now: after a delivery (Fiverr: "If a
/// client is dissatisfied … or needs a modification, you can deliver the modified work")
/// while a revision is requested or the delivery is under review. On Fiverr with no
/// count ([`ModifiedWork::WheneverAsked`]); elsewhere only while included revisions
/// remain (HostJane: "The Buyer will have the number of deliveries you allocated for
/// the Service").
///
/// On Fiverr also after completion: the seed's "If a client is dissatisfied with the
/// completed work … you can deliver the modified work" sits under "Addressing client
/// concerns after delivery". The order stays completed ([`status_after_modified`]).
pub fn can_deliver_modified(order: &Order, profile: &Profile) -> Result<(), Refusal> {
    let whenever = modified_work(profile) == ModifiedWork::WheneverAsked;
    let after_completion = whenever && order.status == OrderStatus::Completed;
    if !after_completion
        && !matches!(
            order.status,
            OrderStatus::RevisionRequested | OrderStatus::Delivered
        )
    {
        return Err(Refusal::NotAwaitingRevision {
            status: order.status,
        });
    }
    if modified_work(profile) == ModifiedWork::WithinIncludedRevisions && revisions_left(order) == 0
    {
        return Err(Refusal::NoRevisionsLeft {
            included: order.revisions_included,
        });
    }
    Ok(())
}

/// The status after the seller delivers modified work: delivered again, awaiting the
/// buyer's answer; a completed order (Fiverr) stays completed, since completion is never
/// undone ([`crate::status::is_terminal`]).
pub fn status_after_modified(order: &Order, profile: &Profile) -> Result<OrderStatus, Refusal> {
    can_deliver_modified(order, profile)?;
    if order.status == OrderStatus::Completed {
        return Ok(OrderStatus::Completed);
    }
    transition(order.status, Event::DeliverModified).map_err(Refusal::Transition)
}

/// Whether the seller may cancel the order on their own now.
///
/// IZEA: "You are able to cancel an order if the order delivery date is past due or the
/// number of revisions has been exceeded." Past due means an owed delivery is late
/// ([`lateness`]). Elsewhere a seller cancels only by agreement, through a cancel request
/// ([`SellerCancel::ByRequestOnly`]).
pub fn can_seller_cancel(
    order: &Order,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if transition(order.status, Event::Cancel).is_err() {
        return Err(Refusal::NotCancelable {
            status: order.status,
        });
    }
    match seller_cancel(profile) {
        SellerCancel::ByRequestOnly => Err(Refusal::CancelByRequestOnly {
            marketplace: profile.name.clone(),
        }),
        SellerCancel::PastDueOrRevisionsExceeded => {
            if lateness(order, now) != Lateness::OnTime || revisions_exceeded(order) {
                Ok(())
            } else {
                Err(Refusal::CancelNotPastDueOrExceeded {
                    included: order.revisions_included,
                })
            }
        }
    }
}

/// Whether the seller may reply to the buyer's review. HostJane: "Take care responding to
/// reviews, you can only do so once." assumed: once on every marketplace.
pub fn can_reply_to_review(review: Option<&Review>) -> Result<(), Refusal> {
    match review {
        None => Err(Refusal::NoReview),
        Some(r) if r.reply.is_some() => Err(Refusal::AlreadyReplied),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests;
