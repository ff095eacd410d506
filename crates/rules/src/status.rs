//! The canonical order state machine shared by the five marketplaces, the derived
//! "late" / "very late" flag, and each marketplace's own words for a status.
//!
//! The states are `OrderStatus` from the wire. A marketplace's help page names its own
//! statuses (PodcasterPros' ACTIVE / PENDING JOBS / DELIVERED / COMPLETED / CANCELED);
//! those are display labels kept in `Profile::status_labels`, never extra states.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, OrderStatus, Profile};
use serde::{Deserialize, Serialize};

use crate::error::RuleError;

/// Something that happens to an order. Who may cause it is decided elsewhere
/// ([`crate::actions`], [`crate::requests`]); the state machine only knows the edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The seller accepts a new order.
    Accept,
    /// The seller declines a new order (HostJane: "There are no penalties for declining").
    Decline,
    /// The buyer submits the job requirements.
    SubmitRequirements,
    /// Work starts.
    Start,
    /// The seller delivers the work.
    Deliver,
    /// The buyer asks for a revision of a delivery.
    RequestRevision,
    /// The seller delivers modified work (Fiverr: "Deliver modified work").
    DeliverModified,
    /// The buyer accepts the delivery.
    Complete,
    /// The review window ran out without an answer.
    AutoComplete,
    /// Mutual or Customer Support cancellation, or an expired cancel / progress request.
    Cancel,
    /// Either party asks the marketplace to step in.
    Dispute,
    /// The marketplace settles a dispute.
    ResolveDispute(DisputeOutcome),
}

/// How the marketplace settles a dispute. assumed: the seeds do not say what follows a
/// dispute; these are the three outcomes a seller would expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeOutcome {
    /// Work goes on: back to in progress.
    ResumeWork,
    /// The order is completed and paid.
    Complete,
    /// The order is canceled and the buyer refunded.
    Cancel,
}

impl Event {
    pub const ALL: [Event; 14] = [
        Event::Accept,
        Event::Decline,
        Event::SubmitRequirements,
        Event::Start,
        Event::Deliver,
        Event::RequestRevision,
        Event::DeliverModified,
        Event::Complete,
        Event::AutoComplete,
        Event::Cancel,
        Event::Dispute,
        Event::ResolveDispute(DisputeOutcome::ResumeWork),
        Event::ResolveDispute(DisputeOutcome::Complete),
        Event::ResolveDispute(DisputeOutcome::Cancel),
    ];
}

/// The event as a verb phrase: "cannot {event} an order that is …".
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Event::Accept => "accept",
            Event::Decline => "decline",
            Event::SubmitRequirements => "submit the requirements of",
            Event::Start => "start",
            Event::Deliver => "deliver",
            Event::RequestRevision => "request a revision of",
            Event::DeliverModified => "deliver modified work for",
            Event::Complete => "complete",
            Event::AutoComplete => "auto-complete",
            Event::Cancel => "cancel",
            Event::Dispute => "dispute",
            Event::ResolveDispute(DisputeOutcome::ResumeWork) => "resume work on",
            Event::ResolveDispute(DisputeOutcome::Complete) => "settle as completed",
            Event::ResolveDispute(DisputeOutcome::Cancel) => "settle as canceled",
        })
    }
}

/// Completed and canceled orders never change again. assumed: no seed reopens one;
/// Fiverr's "dissatisfied with the completed work … deliver the modified work" sits
/// under "Addressing client concerns after delivery" and is read as the delivered,
/// not yet completed, work.
pub fn is_terminal(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Completed | OrderStatus::Canceled)
}

/// The status after `event`, or an error naming both when the machine has no such edge.
///
/// Edges, with the seed each one comes from:
/// - awaiting_acceptance →Accept→ accepted; →Decline→ canceled (IZEA: "the option to
///   accept or decline the order"; HostJane: "accept or decline the order").
/// - pending_requirements →SubmitRequirements→ awaiting_acceptance (HostJane: "inviting
///   you to accept or decline the order, after the Buyer has provided the job
///   requirements").
/// - pending_requirements →Start→ in_progress (PodcasterPros: "an order that was placed,
///   but the information wasn't submitted so it hasn't started yet": on a marketplace
///   without an accept step the submitted information starts the work).
/// - accepted →Start→ in_progress (IZEA: "After you have accepted your order, you can
///   begin crafting your content").
/// - accepted | in_progress →Deliver→ delivered (HostJane: "If you already provided the
///   Service through the workspace chat … simply click 'Deliver order'").
/// - delivered →RequestRevision→ revision_requested (IZEA: "the buyer has seven days to
///   accept or request revisions").
/// - revision_requested | delivered →DeliverModified→ delivered (Fiverr: "If a client is
///   dissatisfied … or needs a modification, you can deliver the modified work").
/// - delivered →Complete | AutoComplete→ completed (Fiverr: "Your order status will
///   change to "completed" as soon as your client accepts the delivery"; "it will be
///   automatically marked as completed").
/// - any non-terminal →Cancel→ canceled (PodcasterPros: "by mutual cancellation or
///   Customer Support cancellation"; crackerjack: an unanswered cancel request).
/// - accepted | in_progress | delivered | revision_requested →Dispute→ disputed
///   (crackerjack: "A special case of an order request is a dispute"; IZEA: "Dispute
///   Order"). assumed: a delivery under review can be disputed too.
/// - disputed →ResolveDispute(outcome)→ in_progress | completed | canceled (assumed).
///
/// assumed: HostJane's buyer "accepted the Work and released funds", after which the seller
/// sends "their Final Work within 24 hours" and only then is the order "marked as
/// complete", has no state of its own on the wire: the buyer's acceptance completes it.
pub fn transition(from: OrderStatus, event: Event) -> Result<OrderStatus, RuleError> {
    use OrderStatus as S;
    let to = match (from, event) {
        (S::AwaitingAcceptance, Event::Accept) => S::Accepted,
        (S::AwaitingAcceptance, Event::Decline) => S::Canceled,
        (S::PendingRequirements, Event::SubmitRequirements) => S::AwaitingAcceptance,
        (S::PendingRequirements | S::Accepted, Event::Start) => S::InProgress,
        (S::Accepted | S::InProgress, Event::Deliver) => S::Delivered,
        (S::Delivered, Event::RequestRevision) => S::RevisionRequested,
        (S::Delivered | S::RevisionRequested, Event::DeliverModified) => S::Delivered,
        (S::Delivered, Event::Complete | Event::AutoComplete) => S::Completed,
        (s, Event::Cancel) if !is_terminal(s) => S::Canceled,
        (S::Accepted | S::InProgress | S::Delivered | S::RevisionRequested, Event::Dispute) => {
            S::Disputed
        }
        (S::Disputed, Event::ResolveDispute(outcome)) => match outcome {
            DisputeOutcome::ResumeWork => S::InProgress,
            DisputeOutcome::Complete => S::Completed,
            DisputeOutcome::Cancel => S::Canceled,
        },
        _ => return Err(RuleError::IllegalTransition { from, event }),
    };
    Ok(to)
}

/// Past due by this much, a delivery is "very late".
pub const VERY_LATE_AFTER: Duration = Duration::hours(24);

/// How far past its due date an owed delivery is. Derived, never stored as a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lateness {
    OnTime,
    /// Due now or past due by less than 24 h.
    Late,
    /// Past due by 24 h or more.
    VeryLate,
}

/// Whether the seller owes the first delivery now: the order is accepted or in progress.
///
/// assumed: an order awaiting acceptance or requirements owes nothing yet (the seller
/// cannot start); a revision round is never flagged late, because the wire carries only
/// the first delivery's due date and an on-time delivery must not turn "very late" when
/// the buyer asks for changes afterwards.
pub fn delivery_owed(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Accepted | OrderStatus::InProgress)
}

/// Late from the due instant itself (a countdown at zero is late, as in the core's
/// countdown), very late from 24 h past due; on time whenever no delivery is owed.
pub fn lateness(order: &Order, now: DateTime<Utc>) -> Lateness {
    if !delivery_owed(order.status) || now < order.due_at {
        Lateness::OnTime
    } else if now - order.due_at < VERY_LATE_AFTER {
        Lateness::Late
    } else {
        Lateness::VeryLate
    }
}

/// The marketplace's own word for the order's status, e.g. "ACTIVE" on PodcasterPros.
pub fn label(profile: &Profile, status: OrderStatus) -> String {
    profile.status_label(status)
}

#[cfg(test)]
mod tests;
