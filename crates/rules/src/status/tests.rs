//! Tables for the state machine, lateness and PodcasterPros' status words, each case
//! quoting the seed sentence it encodes.

use chrono::Duration;
use rstest::rstest;
use sellerdesk_api::OrderStatus as S;

use super::*;
use crate::fixtures::{order, profile, t0};

#[rstest]
// izea: "You will then have the option to accept or decline the order."
#[case::izea_accept(S::AwaitingAcceptance, Event::Accept, S::Accepted)]
// hostjane: "There are no penalties for declining the order."
#[case::hostjane_decline(S::AwaitingAcceptance, Event::Decline, S::Canceled)]
// hostjane: "invite you to accept or decline the order, after the Buyer has provided the job requirements."
#[case::hostjane_requirements_then_accept(
    S::PendingRequirements,
    Event::SubmitRequirements,
    S::AwaitingAcceptance
)]
// podcasterpros: "an order that was placed, but the information wasn't submitted so it hasn't started yet"
#[case::podcasterpros_information_starts_work(S::PendingRequirements, Event::Start, S::InProgress)]
// izea: "After you have accepted your order, you can begin crafting your content"
#[case::izea_begin_after_accept(S::Accepted, Event::Start, S::InProgress)]
// fiverr: "find the active order you want to deliver and click "Deliver now""
#[case::fiverr_deliver_active(S::InProgress, Event::Deliver, S::Delivered)]
// hostjane: "If you already provided the Service through the workspace chat ... simply click 'Deliver order'"
#[case::hostjane_deliver_straight_after_accept(S::Accepted, Event::Deliver, S::Delivered)]
// izea: "the buyer has seven days to accept or request revisions"
#[case::izea_request_revision(S::Delivered, Event::RequestRevision, S::RevisionRequested)]
// fiverr: "go to 'View order' and click on "Deliver modified work""
#[case::fiverr_deliver_modified(S::RevisionRequested, Event::DeliverModified, S::Delivered)]
// fiverr: "If a client is dissatisfied ... or needs a modification, you can deliver the modified work."
#[case::fiverr_modify_under_review(S::Delivered, Event::DeliverModified, S::Delivered)]
// fiverr: "Your order status will change to "completed" as soon as your client accepts the delivery."
#[case::fiverr_client_accepts(S::Delivered, Event::Complete, S::Completed)]
// fiverr: "it will be automatically marked as completed."
#[case::fiverr_auto_complete(S::Delivered, Event::AutoComplete, S::Completed)]
// izea: "Once your content has been accepted by the buyer, your order is complete."
#[case::izea_accepted_content_completes(S::Delivered, Event::Complete, S::Completed)]
// podcasterpros: "canceled orders, whether by mutual cancellation or Customer Support cancellation"
#[case::podcasterpros_mutual_cancel(S::InProgress, Event::Cancel, S::Canceled)]
// crackerjack: "If the other party does not respond ... the order will be canceled"
#[case::crackerjack_cancel_in_revision(S::RevisionRequested, Event::Cancel, S::Canceled)]
// podcasterpros: "Customer Support cancellation" (of a disputed order)
#[case::support_cancels_dispute(S::Disputed, Event::Cancel, S::Canceled)]
// izea: "In the order actions, you can create a contract update, dispute an order or cancel your order."
#[case::izea_dispute(S::InProgress, Event::Dispute, S::Disputed)]
// crackerjack: "A special case of an order request is a dispute." (a delivery under review)
#[case::dispute_delivery(S::Delivered, Event::Dispute, S::Disputed)]
// assumed: a dispute settles by resuming work, completing or canceling
#[case::dispute_resumes(
    S::Disputed,
    Event::ResolveDispute(DisputeOutcome::ResumeWork),
    S::InProgress
)]
#[case::dispute_completes(
    S::Disputed,
    Event::ResolveDispute(DisputeOutcome::Complete),
    S::Completed
)]
#[case::dispute_cancels(
    S::Disputed,
    Event::ResolveDispute(DisputeOutcome::Cancel),
    S::Canceled
)]
fn legal_transitions(#[case] from: S, #[case] event: Event, #[case] to: S) {
    assert_eq!(
        transition(from, event),
        Ok(to),
        "{} on {event:?} must lead to {}",
        from.as_str(),
        to.as_str()
    );
}

#[rstest]
// fiverr: "Before you complete your order, you must send the finished work to your client."
#[case::fiverr_no_completion_before_delivery(S::InProgress, Event::Complete)]
// hostjane: "Only accept jobs you have time to deliver on time." (accepting is a one-time answer)
#[case::no_second_accept(S::InProgress, Event::Accept)]
// izea: "Before you accept the order, please make sure to review the details" (no work before accepting)
#[case::no_delivery_before_accept(S::AwaitingAcceptance, Event::Deliver)]
// fiverr: "Deliver modified work" answers a delivery; nothing has been delivered yet
#[case::no_modified_before_delivery(S::InProgress, Event::DeliverModified)]
// fiverr: "If your client doesn't accept or reject your order within three days" (only a delivery auto-completes)
#[case::no_auto_complete_in_revision(S::RevisionRequested, Event::AutoComplete)]
// terminal: a completed order is "processed for payment" and never reopens
#[case::completed_stays(S::Completed, Event::Cancel)]
#[case::completed_no_redelivery(S::Completed, Event::DeliverModified)]
#[case::canceled_stays(S::Canceled, Event::Start)]
#[case::canceled_no_dispute(S::Canceled, Event::Dispute)]
// assumed: a new order is declined, not disputed
#[case::no_dispute_before_accept(S::AwaitingAcceptance, Event::Dispute)]
fn illegal_transitions_name_both_sides(#[case] from: S, #[case] event: Event) {
    let err = transition(from, event).expect_err("this edge must not exist");
    assert_eq!(err, RuleError::IllegalTransition { from, event });
    let message = err.to_string();
    assert!(
        message.contains(&event.to_string()) && message.contains(&crate::error::words(from)),
        "the error must name the event and the state: {message}"
    );
}

#[test]
fn terminal_states_refuse_every_event() {
    for from in [S::Completed, S::Canceled] {
        for event in Event::ALL {
            assert!(
                transition(from, event).is_err(),
                "{} must stay terminal, yet {event:?} moved it",
                from.as_str()
            );
        }
    }
}

#[rstest]
// countdown: "A countdown and date to when the Delivery is due" (hostjane); before due: on time
#[case::a_day_early(S::InProgress, Duration::days(2), Lateness::OnTime)]
#[case::a_second_early(S::InProgress, Duration::days(3) - Duration::seconds(1), Lateness::OnTime)]
// issue 3: "late" from the due instant
#[case::due_now_is_late(S::InProgress, Duration::days(3), Lateness::Late)]
#[case::late(S::Accepted, Duration::days(3) + Duration::hours(23), Lateness::Late)]
// issue 3: "very late" (24 h past due)
#[case::very_late_at_24h(S::InProgress, Duration::days(4), Lateness::VeryLate)]
#[case::very_late(S::InProgress, Duration::days(9), Lateness::VeryLate)]
// only while a delivery is owed
#[case::delivered_is_never_late(S::Delivered, Duration::days(9), Lateness::OnTime)]
#[case::completed_is_never_late(S::Completed, Duration::days(9), Lateness::OnTime)]
#[case::awaiting_acceptance_owes_nothing(
    S::AwaitingAcceptance,
    Duration::days(9),
    Lateness::OnTime
)]
#[case::revision_round_not_flagged(S::RevisionRequested, Duration::days(9), Lateness::OnTime)]
fn lateness_table(#[case] status: S, #[case] since_t0: Duration, #[case] expected: Lateness) {
    let o = order(status);
    assert_eq!(
        lateness(&o, t0() + since_t0),
        expected,
        "{} order, due at t0+3d, seen at t0+{since_t0}",
        status.as_str()
    );
}

#[rstest]
// podcasterpros: "ACTIVE: These are orders you are currently working on (In Progress)"
#[case::in_progress(S::InProgress, "ACTIVE")]
// podcasterpros: "or an order that was placed, but the information wasn't submitted so it hasn't started yet."
#[case::pending_requirements(S::PendingRequirements, "ACTIVE")]
// podcasterpros: "PENDING JOBS: These are new orders you've received"
#[case::new_order(S::AwaitingAcceptance, "PENDING JOBS")]
// podcasterpros: "or orders in the works that have yet to be delivered."
#[case::accepted(S::Accepted, "PENDING JOBS")]
// podcasterpros: "DELIVERED: These are all the orders you've delivered but are not yet marked as completed by the buyer."
#[case::delivered(S::Delivered, "DELIVERED")]
// assumed: a revision is being worked on again, so ACTIVE
#[case::revision(S::RevisionRequested, "ACTIVE")]
// podcasterpros: "COMPLETED: These are all the orders you've completed."
#[case::completed(S::Completed, "COMPLETED")]
// podcasterpros: "CANCELED: These are all the canceled orders"
#[case::canceled(S::Canceled, "CANCELED")]
// assumed: no sales status for disputes in the seed, so the default word
#[case::disputed(S::Disputed, "Disputed")]
fn podcasterpros_sales_statuses(#[case] status: S, #[case] expected: &str) {
    assert_eq!(
        label(&profile("podcasterpros"), status),
        expected,
        "PodcasterPros must show {} as {expected}",
        status.as_str()
    );
}

#[test]
fn a_profile_without_labels_shows_readable_defaults() {
    assert_eq!(
        label(&profile("izea"), S::InProgress),
        "In progress",
        "IZEA names no statuses"
    );
}
