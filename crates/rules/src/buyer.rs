//! The buyer's side of an order after delivery, as the seeds describe it: accepting the
//! work or sending it back for a revision, the review window running out, the review,
//! and HostJane's Final Work after acceptance. The simulator's buyer follows these; the
//! app reads them to say what the buyer may still do.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::limits::{add, days};
use sellerdesk_api::{Order, OrderStatus, Profile};

use crate::error::Refusal;
use crate::marketplace::{ModifiedWork, modified_work};
use crate::review::{auto_complete_at, revisions_left};

/// Fiverr: "Your order status will change to "completed" as soon as your client accepts
/// the delivery"; IZEA: "the buyer has seven days to accept or request revisions";
/// HostJane: "the Buyer will have 3 days exactly to accept or reject the delivery".
/// Only a delivery awaiting the buyer's answer can be answered.
pub fn can_answer_delivery(order: &Order) -> Result<(), Refusal> {
    if order.status == OrderStatus::Delivered {
        Ok(())
    } else {
        Err(Refusal::NotAwaitingAnswer {
            status: order.status,
        })
    }
}

/// Whether the buyer may send the delivery back for a revision now. IZEA: "accept or
/// request revisions (if they have been provided)"; HostJane: "The Buyer will have the
/// number of deliveries you allocated"; Fiverr counts none ("If a client is dissatisfied
/// … or needs a modification").
///
/// The request uses one revision up: the order then owes one more modified delivery,
/// and `revisions_used` grows when that delivery is made (see [`crate::review`]).
pub fn can_request_revision(order: &Order, profile: &Profile) -> Result<(), Refusal> {
    can_answer_delivery(order)?;
    if modified_work(profile) == ModifiedWork::WithinIncludedRevisions && revisions_left(order) == 0
    {
        return Err(Refusal::NoRevisionsLeft {
            included: order.revisions_included,
        });
    }
    Ok(())
}

/// When the delivery completes on its own: the review window plus the days the buyer
/// added (`review_extension_days`, Fiverr: "you will be notified that the client has
/// added time to the review period"). `None` unless the order is delivered.
pub fn review_ends_at(order: &Order, profile: &Profile) -> Option<DateTime<Utc>> {
    auto_complete_at(order, profile, days(order.review_extension_days))
}

/// HostJane: "If the Buyer has accepted the Work and released funds to you, please send
/// the Buyer their Final Work within 24 hours." `None` where no seed has this step.
pub fn final_work_window(profile: &Profile) -> Option<Duration> {
    (profile.id == "hostjane").then(|| Duration::hours(24))
}

/// When the seller's Final Work is due after the buyer accepted at `accepted_at`.
pub fn final_work_due_at(accepted_at: DateTime<Utc>, profile: &Profile) -> Option<DateTime<Utc>> {
    add(accepted_at, final_work_window(profile)?)
}

/// HostJane: "The Buyer will be invited to leave a review and flame rating, which is
/// compulsory for them to receive the Final Work." Elsewhere a review is optional.
pub fn review_required_for_final_work(profile: &Profile) -> bool {
    final_work_window(profile).is_some()
}

#[cfg(test)]
mod tests;
