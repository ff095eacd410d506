//! Tables for review windows, revisions, IZEA's cancel rule and HostJane's single reply,
//! each case quoting the seed sentence it encodes.

use chrono::{DateTime, Duration, Utc};
use rstest::rstest;
use sellerdesk_api::OrderStatus as S;

use super::*;
use crate::fixtures::{delivered, order, profile, t0};

fn days(n: i64) -> Duration {
    Duration::days(n)
}

// The fixture order is due at t0 + 3 days.
#[rstest]
// hostjane: "After delivering the order, the Buyer will have 3 days exactly to accept or reject the delivery."
#[case::hostjane_early_delivery("hostjane", days(1), Duration::zero(), Some(t0() + days(4)))]
#[case::hostjane_late_delivery("hostjane", days(5), Duration::zero(), Some(t0() + days(8)))]
// fiverr: "If your client doesn't accept or reject your order within three days of the delivery's due date"
#[case::fiverr_counts_from_due_date("fiverr", days(1), Duration::zero(), Some(t0() + days(6)))]
// fiverr, delivered after the due date: the buyer still gets the three days from the delivery (decided)
#[case::fiverr_late_delivery_counts_from_delivery("fiverr", days(5), Duration::zero(), Some(t0() + days(8)))]
// izea: "After your content has been submitted the buyer has seven days to accept or request revisions"
#[case::izea_seven_days("izea", days(1), Duration::zero(), Some(t0() + days(8)))]
// fiverr: "you will be notified that the client has added time to the review period."
#[case::fiverr_extended_review("fiverr", days(1), days(2), Some(t0() + days(8)))]
#[case::negative_extra_is_none("hostjane", days(1), -days(2), Some(t0() + days(4)))]
fn auto_completion(
    #[case] id: &str,
    #[case] delivered_after: Duration,
    #[case] extra: Duration,
    #[case] expected: Option<DateTime<Utc>>,
) {
    let o = delivered(delivered_after);
    assert_eq!(
        auto_complete_at(&o, &profile(id), extra),
        expected,
        "{id}: delivered at t0+{delivered_after}, extra review {extra}"
    );
}

#[rstest]
// izea: "the buyer has seven days to accept or request revisions" — a revision request stops the clock
#[case::revision_requested(S::RevisionRequested)]
// fiverr: "Your order status will change to "completed" as soon as your client accepts"
#[case::completed(S::Completed)]
#[case::disputed(S::Disputed)]
#[case::in_progress(S::InProgress)]
fn only_a_delivery_under_review_auto_completes(#[case] status: S) {
    let o = Order {
        status,
        ..delivered(days(1))
    };
    assert_eq!(
        auto_complete_at(&o, &profile("fiverr"), Duration::zero()),
        None,
        "no auto-completion while {}",
        status.as_str()
    );
}

#[test]
fn review_time_left_counts_down_to_zero() {
    let o = delivered(days(1));
    let p = profile("hostjane");
    let left = |now| review_time_left(&o, &p, Duration::zero(), now);
    assert_eq!(
        left(t0() + days(2)),
        Some(days(2)),
        "3 days from t0+1d, seen at t0+2d"
    );
    assert_eq!(
        left(t0() + days(9)),
        Some(Duration::zero()),
        "never negative"
    );
}

#[rstest]
// fiverr: "Clients may also request additional time to review the delivered work."
#[case::buyer_extends(S::Delivered, Party::Buyer, days(1), Ok(days(3)))]
#[case::seller_cannot(
    S::Delivered,
    Party::Seller,
    days(1),
    Err(Refusal::OnlyBuyerExtendsReview)
)]
#[case::nothing_to_review(S::InProgress, Party::Buyer, days(1), Err(Refusal::NotInReview { status: S::InProgress }))]
#[case::zero_is_no_extension(
    S::Delivered,
    Party::Buyer,
    Duration::zero(),
    Err(Refusal::NotPositive)
)]
fn extending_review_time(
    #[case] status: S,
    #[case] by: Party,
    #[case] added: Duration,
    #[case] expected: Result<Duration, Refusal>,
) {
    let o = Order {
        status,
        ..delivered(days(1))
    };
    assert_eq!(extend_review_time(&o, days(2), added, by), expected);
}

#[rstest]
// hostjane: "You'll have the number of revisions you allocated ... to Deliver your Service in."
#[case::revision_with_two_left(S::RevisionRequested, 2, 0, 2, false, Ok(()))]
// fiverr: "Once you have made the required changes, go to 'View order' and click on "Deliver modified work"."
#[case::last_revision(S::RevisionRequested, 2, 1, 1, false, Ok(()))]
// izea: "the number of revisions has been exceeded" — asked for a third round of two
#[case::exceeded(S::RevisionRequested, 2, 2, 0, true, Err(Refusal::NoRevisionsLeft { included: 2 }))]
// fiverr: "If a client ... needs a modification, you can deliver the modified work." (under review)
#[case::modify_under_review(S::Delivered, 1, 0, 1, false, Ok(()))]
#[case::none_included(S::Delivered, 0, 0, 0, false, Err(Refusal::NoRevisionsLeft { included: 0 }))]
// fiverr: "Make sure the required changes have been made before re-delivery." (re-delivery needs a delivery)
#[case::nothing_delivered(S::InProgress, 2, 0, 2, false, Err(Refusal::NotAwaitingRevision { status: S::InProgress }))]
#[case::completed(S::Completed, 2, 0, 2, false, Err(Refusal::NotAwaitingRevision { status: S::Completed }))]
#[case::used_beyond_included(S::Delivered, 1, 3, 0, true, Err(Refusal::NoRevisionsLeft { included: 1 }))]
fn revisions(
    #[case] status: S,
    #[case] included: u32,
    #[case] used: u32,
    #[case] left: u32,
    #[case] exceeded: bool,
    #[case] modified: Result<(), Refusal>,
) {
    let o = Order {
        status,
        revisions_included: included,
        revisions_used: used,
        ..order(S::Delivered)
    };
    assert_eq!(
        revisions_left(&o),
        left,
        "revisions left of {included} with {used} used"
    );
    assert_eq!(
        revisions_exceeded(&o),
        exceeded,
        "exceeded, {} with {used} of {included}",
        status.as_str()
    );
    // hostjane: "The Buyer will have the number of deliveries you allocated"
    assert_eq!(can_deliver_modified(&o, &profile("hostjane")), modified);
}

#[rstest]
// fiverr: "If a client is dissatisfied with the completed work or needs a modification,
// you can deliver the modified work." No count: beyond the included revisions too.
#[case::fiverr_beyond("fiverr", 2, 2, Ok(()))]
// hostjane: "The Buyer will have the number of deliveries you allocated for the Service."
#[case::hostjane_counts("hostjane", 2, 2, Err(Refusal::NoRevisionsLeft { included: 2 }))]
#[case::izea_counts("izea", 1, 1, Err(Refusal::NoRevisionsLeft { included: 1 }))]
#[case::crackerjack_one_left("crackerjack", 2, 1, Ok(()))]
// fiverr: "If a client is dissatisfied with the completed work ... you can deliver the
// modified work." — after completion too
fn modified_work_follows_each_marketplace(
    #[case] id: &str,
    #[case] included: u32,
    #[case] used: u32,
    #[case] expected: Result<(), Refusal>,
) {
    let o = Order {
        status: S::RevisionRequested,
        revisions_included: included,
        revisions_used: used,
        ..order(S::Delivered)
    };
    assert_eq!(can_deliver_modified(&o, &profile(id)), expected, "{id}");
}

#[rstest]
// izea: "You are able to cancel an order if the order delivery date is past due"
#[case::izea_past_due("izea", S::InProgress, 0, days(4), Ok(()))]
#[case::izea_due_now("izea", S::InProgress, 0, days(3), Ok(()))]
#[case::izea_before_due(
    "izea",
    S::InProgress,
    0,
    days(2),
    Err(Refusal::CancelNotPastDueOrExceeded { included: 2 })
)]
// izea: "or the number of revisions has been exceeded."
#[case::izea_revisions_exceeded("izea", S::RevisionRequested, 2, days(1), Ok(()))]
#[case::izea_revision_within_count(
    "izea",
    S::RevisionRequested,
    1,
    days(1),
    Err(Refusal::CancelNotPastDueOrExceeded { included: 2 })
)]
// izea: "Not all order actions will be available at all times." — never on a closed order
#[case::izea_completed("izea", S::Completed, 0, days(9), Err(Refusal::NotCancelable { status: S::Completed }))]
// crackerjack: "Request other party to cancel this order." — elsewhere cancelling takes agreement
#[case::crackerjack_by_request(
    "crackerjack",
    S::InProgress,
    0,
    days(9),
    Err(Refusal::CancelByRequestOnly { marketplace: "crackerjack-like".into() })
)]
// podcasterpros: "whether by mutual cancellation or Customer Support cancellation."
#[case::podcasterpros_by_request(
    "podcasterpros",
    S::InProgress,
    0,
    days(9),
    Err(Refusal::CancelByRequestOnly { marketplace: "podcasterpros-like".into() })
)]
fn seller_cancel(
    #[case] id: &str,
    #[case] status: S,
    #[case] used: u32,
    #[case] since_t0: Duration,
    #[case] expected: Result<(), Refusal>,
) {
    let o = Order {
        status,
        revisions_used: used,
        ..order(status)
    };
    assert_eq!(
        can_seller_cancel(&o, &profile(id), t0() + since_t0),
        expected,
        "{id}: {} with {used} revisions used, at t0+{since_t0} (due t0+3d)",
        status.as_str()
    );
}

#[rstest]
// hostjane: "You can see and respond to the Buyer's review in the left-hand column of the workspace."
#[case::first_reply(true, None, Ok(()))]
// hostjane: "Take care responding to reviews, you can only do so once."
#[case::second_reply(true, Some("Thanks!"), Err(Refusal::AlreadyReplied))]
// hostjane: "The Buyer will be invited to leave a review" — nothing to answer before that
#[case::no_review(false, None, Err(Refusal::NoReview))]
fn replying_to_a_review(
    #[case] reviewed: bool,
    #[case] reply: Option<&str>,
    #[case] expected: Result<(), Refusal>,
) {
    let review = Review {
        rating: 5,
        text: "Great".into(),
        posted_at: t0(),
        reply: reply.map(str::to_string),
    };
    let review = reviewed.then_some(&review);
    assert_eq!(can_reply_to_review(review), expected);
}

#[rstest]
// fiverr: "If a client is dissatisfied with the completed work or needs a modification,
// you can deliver the modified work."
#[case::fiverr_completed("fiverr", S::Completed, Ok(S::Completed))]
#[case::fiverr_revision("fiverr", S::RevisionRequested, Ok(S::Delivered))]
// hostjane: completion closes the order ("The Order will then be marked as complete")
#[case::hostjane_completed("hostjane", S::Completed, Err(Refusal::NotAwaitingRevision { status: S::Completed }))]
#[case::fiverr_canceled("fiverr", S::Canceled, Err(Refusal::NotAwaitingRevision { status: S::Canceled }))]
fn modified_work_after_completion(
    #[case] id: &str,
    #[case] status: S,
    #[case] expected: Result<S, Refusal>,
) {
    let o = Order {
        status,
        ..order(S::Delivered)
    };
    assert_eq!(
        status_after_modified(&o, &profile(id)),
        expected,
        "{id} {status:?}"
    );
}
