//! Tables of the seller's allowed actions in typical situations, each case quoting the
//! seed sentence that decides it.

use chrono::Duration;
use rstest::rstest;
use sellerdesk_api::{OrderStatus as S, RequestState};

use super::*;
use crate::fixtures::{delivered, order, profile, request, t0};

use Action::{
    Accept, Cancel, Decline, Deliver, DeliverModified, OpenRequest, ReplyToReview, RequestMoreTime,
    RespondToRequest,
};
use RequestKind::{AdditionalWork, ChangeOrderTime};

/// What a seller may open on an eligible order: all but the buyer's progress update.
const OPENS: [Action; 4] = [
    RequestMoreTime,
    OpenRequest(AdditionalWork),
    OpenRequest(ChangeOrderTime),
    OpenRequest(RequestKind::Cancel),
];

fn hours(n: i64) -> Duration {
    Duration::hours(n)
}

fn with(mut actions: Vec<Action>, more: &[Action]) -> Vec<Action> {
    actions.extend_from_slice(more);
    actions
}

/// An order still open may also be taken to the marketplace's support (`disputes.rs`;
/// crackerjack: "A special case of an order request is a dispute.").
fn disputable(mut actions: Vec<Action>) -> Vec<Action> {
    actions.push(Action::OpenDispute);
    actions
}

fn review(reply: Option<&str>) -> Review {
    Review {
        rating: 4,
        text: "Good".into(),
        posted_at: t0(),
        reply: reply.map(str::to_string),
    }
}

fn revisions(status: S, used: u32) -> Order {
    Order {
        revisions_used: used,
        ..Order {
            status,
            ..delivered(Duration::days(1))
        }
    }
}

#[rstest]
// hostjane: "You'll get an email and site notice inviting you to accept or decline the order"
#[case::new_order("hostjane", order(S::AwaitingAcceptance), vec![], None, hours(1), vec![Accept, Decline])]
// hostjane: "after the Buyer has provided the job requirements" — nothing to do before that
#[case::waiting_for_requirements("hostjane", order(S::PendingRequirements), vec![], None, hours(1), vec![])]
// crackerjack: "An order request can be opened for orders in the following status: ... In Progress";
// "Provide a progress update (option available only for Customer account)."
#[case::working("crackerjack", order(S::InProgress), vec![], None, hours(1), disputable(with(vec![Deliver], &OPENS)))]
// crackerjack: "An order request cannot be opened if: There is a pending order request."
// "If the other party has sent you a request, respond as soon as possible."
#[case::buyer_asked_for_time(
    "crackerjack",
    order(S::InProgress),
    vec![request(ChangeOrderTime, Party::Buyer, RequestState::Pending)],
    None,
    hours(2),
    disputable(vec![Deliver, RespondToRequest])
)]
// crackerjack: "the request will be automatically canceled, and no changes will be made to the order."
#[case::buyer_request_lapsed(
    "crackerjack",
    order(S::InProgress),
    vec![request(ChangeOrderTime, Party::Buyer, RequestState::Pending)],
    None,
    hours(50),
    disputable(with(vec![Deliver], &OPENS))
)]
// the seller's own pending request blocks new ones but is answered by the buyer
#[case::own_request_pending(
    "hostjane",
    order(S::InProgress),
    vec![request(ChangeOrderTime, Party::Seller, RequestState::Pending)],
    None,
    hours(2),
    disputable(vec![Deliver])
)]
// crackerjack: "For Cancel and Provide a Progress requests: ... the order will be canceled"
#[case::progress_request_lapsed(
    "crackerjack",
    order(S::InProgress),
    vec![request(RequestKind::ProgressUpdate, Party::Buyer, RequestState::Pending)],
    None,
    hours(49),
    vec![]
)]
// fiverr: "If a client ... needs a modification, you can deliver the modified work."
// crackerjack: "An order request cannot be opened if: There is a pending delivery."
#[case::under_review("fiverr", revisions(S::Delivered, 0), vec![], None, hours(30), disputable(vec![DeliverModified]))]
// fiverr: "go to 'View order' and click on "Deliver modified work""
#[case::revision_with_rounds_left(
    "fiverr",
    revisions(S::RevisionRequested, 1),
    vec![],
    None,
    hours(30),
    disputable(with(vec![DeliverModified], &OPENS))
)]
// izea: "You are able to cancel an order if ... the number of revisions has been exceeded."
#[case::izea_revisions_exceeded(
    "izea",
    revisions(S::RevisionRequested, 2),
    vec![],
    None,
    hours(30),
    disputable(with(OPENS.to_vec(), &[Cancel]))
)]
// izea: "You are able to cancel an order if the order delivery date is past due"
#[case::izea_past_due("izea", order(S::InProgress), vec![], None, hours(80), disputable(with(vec![Deliver], &[RequestMoreTime, OpenRequest(AdditionalWork), OpenRequest(ChangeOrderTime), OpenRequest(RequestKind::Cancel), Cancel])))]
// hostjane: "You can see and respond to the Buyer's review"
#[case::completed_with_review("hostjane", order(S::Completed), vec![], Some(review(None)), hours(200), vec![ReplyToReview])]
// hostjane: "Take care responding to reviews, you can only do so once."
#[case::already_replied("hostjane", order(S::Completed), vec![], Some(review(Some("Thank you"))), hours(200), vec![])]
// podcasterpros: "CANCELED: These are all the canceled orders" — nothing left to do
#[case::canceled("podcasterpros", order(S::Canceled), vec![], None, hours(1), vec![])]
fn allowed_action_table(
    #[case] id: &str,
    #[case] o: Order,
    #[case] requests: Vec<OrderRequest>,
    #[case] review: Option<Review>,
    #[case] since_t0: Duration,
    #[case] expected: Vec<Action>,
) {
    let rules = allowed_actions(
        &o,
        &profile(id),
        &requests,
        review.as_ref(),
        t0() + since_t0,
    );
    let allowed: Vec<Action> = rules
        .iter()
        .filter(|r| r.allowed)
        .map(|r| r.action)
        .collect();
    let mut expected = expected;
    expected.sort_by_key(|a| Action::ALL.iter().position(|b| b == a));
    assert_eq!(
        allowed,
        expected,
        "{id}: {} order at t0+{since_t0}; blocked: {:#?}",
        o.status.as_str(),
        rules.iter().filter(|r| !r.allowed).collect::<Vec<_>>()
    );
}

#[rstest]
#[case::progress_update_is_the_buyers(
    order(S::InProgress),
    OpenRequest(RequestKind::ProgressUpdate),
    "only the buyer can open a progress update request"
)]
#[case::deliver_twice(
    delivered(Duration::days(1)),
    Deliver,
    "cannot deliver an order that is delivered"
)]
#[case::accept_twice(
    order(S::InProgress),
    Accept,
    "cannot accept an order that is in progress"
)]
#[case::cancel_by_request(
    order(S::InProgress),
    Cancel,
    "crackerjack-like cancels an order only by agreement: open a cancel request instead"
)]
#[case::open_under_review(
    delivered(Duration::days(1)),
    OpenRequest(ChangeOrderTime),
    "an order request can be opened only while the order is accepted, in progress or revision requested; this one is delivered"
)]
fn blocked_actions_say_why(#[case] o: Order, #[case] action: Action, #[case] reason: &str) {
    let rules = allowed_actions(&o, &profile("crackerjack"), &[], None, t0());
    let rule = rules
        .iter()
        .find(|r| r.action == action)
        .expect("every action is listed");
    assert_eq!(
        rule.reason.as_deref(),
        Some(reason),
        "the reason shown for {action:?}"
    );
}

#[test]
fn a_lapsed_cancel_request_blocks_everything_with_its_reason() {
    let r = request(RequestKind::Cancel, Party::Seller, RequestState::Pending);
    let rules = allowed_actions(
        &order(S::InProgress),
        &profile("crackerjack"),
        &[r],
        None,
        t0() + hours(49),
    );
    for rule in &rules {
        assert!(
            rule.reason
                .as_deref()
                .is_some_and(|why| why.contains("expired unanswered")),
            "an order canceled by an unanswered cancel request allows nothing: {rule:?}"
        );
    }
}
