//! Tables for order requests, each case quoting crackerjack's (or Fiverr's, HostJane's)
//! sentence it encodes.

use chrono::Duration;
use rstest::rstest;
use sellerdesk_api::OrderStatus as S;

use super::*;
use crate::fixtures::{order, profile, request, t0};

use Party::{Buyer, Seller};
use RequestKind::{AdditionalWork, Cancel, ChangeOrderTime, ContractUpdate, ProgressUpdate};

#[rstest]
// crackerjack: "Additional work request (option available only for Pro account)."
#[case::pro_adds_work(AdditionalWork, Seller, true)]
#[case::customer_cannot_add_work(AdditionalWork, Buyer, false)]
// crackerjack: "Provide a progress update (option available only for Customer account)."
#[case::customer_asks_progress(ProgressUpdate, Buyer, true)]
#[case::pro_cannot_ask_progress(ProgressUpdate, Seller, false)]
// crackerjack: "You want to change the order's start and/or end date." (either party)
#[case::pro_changes_time(ChangeOrderTime, Seller, true)]
#[case::customer_changes_time(ChangeOrderTime, Buyer, true)]
// crackerjack: "Request other party to cancel this order." (either party)
#[case::pro_cancels(Cancel, Seller, true)]
#[case::customer_cancels(Cancel, Buyer, true)]
fn who_may_open_each_kind(#[case] kind: RequestKind, #[case] by: Party, #[case] allowed: bool) {
    assert_eq!(may_open(kind, by), allowed, "{kind:?} opened by {by:?}");
    let got = can_open(&order(S::InProgress), &[], false, kind, by);
    assert_eq!(
        got.is_ok(),
        allowed,
        "can_open must agree with the party rule: {got:?}"
    );
    if !allowed {
        assert_eq!(got, Err(Refusal::PartyMayNotOpen { kind, by }));
    }
}

#[rstest]
// crackerjack: "An order request can be opened for orders in the following status: 1. Accepted"
#[case::accepted(S::Accepted, true)]
// crackerjack: "2. In Progress"
#[case::in_progress(S::InProgress, true)]
// crackerjack: "3. Revision Requested"
#[case::revision_requested(S::RevisionRequested, true)]
// ... and no other status
#[case::awaiting_acceptance(S::AwaitingAcceptance, false)]
#[case::pending_requirements(S::PendingRequirements, false)]
#[case::delivered(S::Delivered, false)]
#[case::completed(S::Completed, false)]
#[case::canceled(S::Canceled, false)]
#[case::disputed(S::Disputed, false)]
fn requests_open_only_in_three_statuses(#[case] status: S, #[case] allowed: bool) {
    let got = can_open(&order(status), &[], false, Cancel, Seller);
    if allowed {
        assert_eq!(
            got,
            Ok(()),
            "a request must be possible while {}",
            status.as_str()
        );
    } else {
        assert_eq!(got, Err(Refusal::RequestNotOpenInStatus { status }));
    }
}

#[rstest]
// crackerjack: "An order request cannot be opened if: 1. There is a pending delivery."
#[case::pending_delivery(true, None, Err(Refusal::PendingDelivery))]
// crackerjack: "2. There is a pending order request."
#[case::pending_request(
    false,
    Some(RequestState::Pending),
    Err(Refusal::PendingRequest { id: "r1".into(), kind: ChangeOrderTime })
)]
// an answered request no longer blocks a new one
#[case::declined_request(false, Some(RequestState::Declined), Ok(()))]
#[case::accepted_request(false, Some(RequestState::Accepted), Ok(()))]
#[case::expired_request(false, Some(RequestState::Expired), Ok(()))]
fn one_thing_pending_at_a_time(
    #[case] pending_delivery: bool,
    #[case] existing: Option<RequestState>,
    #[case] expected: Result<(), Refusal>,
) {
    let existing: Vec<_> = existing
        .map(|state| request(ChangeOrderTime, Buyer, state))
        .into_iter()
        .collect();
    assert_eq!(
        can_open(
            &order(S::InProgress),
            &existing,
            pending_delivery,
            Cancel,
            Seller
        ),
        expected
    );
}

#[rstest]
// crackerjack: "If the second party does not respond within 48 hours from the moment the request was opened"
#[case::just_before(Duration::hours(48) - Duration::seconds(1), false)]
#[case::at_48_hours(Duration::hours(48), true)]
#[case::long_after(Duration::days(10), true)]
fn a_request_expires_48_hours_after_it_opened(#[case] since_open: Duration, #[case] expired: bool) {
    let r = request(Cancel, Seller, RequestState::Pending);
    let p = profile("crackerjack");
    assert_eq!(
        expires_at(&r, &p) - r.opened_at,
        Duration::hours(48),
        "crackerjack: 48 hours"
    );
    let effect = resolve_expired(&order(S::InProgress), &r, &p, r.opened_at + since_open);
    assert_eq!(
        effect.is_some(),
        expired,
        "expired after {since_open}: {effect:?}"
    );
    assert_eq!(
        time_left(&r, &p, r.opened_at + since_open),
        (Duration::hours(48) - since_open).max(Duration::zero()),
        "time left counts down to zero and never below"
    );
}

#[rstest]
// crackerjack: "For Change Order Time and Additional work requests: ... the request will be
// automatically canceled, and no changes will be made to the order."
#[case::change_time(ChangeOrderTime, Seller, ExpiryOutcome::RequestCanceled, None, None)]
#[case::additional_work(AdditionalWork, Seller, ExpiryOutcome::RequestCanceled, None, None)]
// crackerjack: "For Cancel and Provide a Progress requests: If the other party does not respond to the
// request within 48 hours, the order will be canceled, and the funds will be returned to the customer."
#[case::cancel(
    Cancel,
    Buyer,
    ExpiryOutcome::OrderCanceledFundsReturned,
    Some(S::Canceled),
    Some(6500)
)]
#[case::progress(
    ProgressUpdate,
    Buyer,
    ExpiryOutcome::OrderCanceledFundsReturned,
    Some(S::Canceled),
    Some(6500)
)]
fn what_an_unanswered_request_does(
    #[case] kind: RequestKind,
    #[case] by: Party,
    #[case] outcome: ExpiryOutcome,
    #[case] order_status: Option<S>,
    #[case] refund_minor: Option<i64>,
) {
    assert_eq!(expiry_outcome(kind), outcome);
    let r = request(kind, by, RequestState::Pending);
    let p = profile("crackerjack");
    let effect = resolve_expired(&order(S::InProgress), &r, &p, t0() + Duration::days(3));
    assert_eq!(
        effect,
        Some(ExpiryEffect {
            request_id: "r1".into(),
            expired_at: r.opened_at + Duration::hours(48),
            outcome,
            order_status,
            refund_minor,
        }),
        "{kind:?} left unanswered for 48 h"
    );
}

#[rstest]
#[case::answered(RequestState::Accepted, S::InProgress)]
#[case::declined(RequestState::Declined, S::InProgress)]
#[case::already_expired(RequestState::Expired, S::InProgress)]
fn only_pending_requests_expire(#[case] state: RequestState, #[case] status: S) {
    let r = request(Cancel, Buyer, state);
    let effect = resolve_expired(
        &order(status),
        &r,
        &profile("crackerjack"),
        t0() + Duration::days(9),
    );
    assert_eq!(
        effect, None,
        "a request that was answered must never expire"
    );
}

#[test]
fn expiry_never_reopens_a_closed_order() {
    let r = request(Cancel, Buyer, RequestState::Pending);
    let effect = resolve_expired(
        &order(S::Completed),
        &r,
        &profile("crackerjack"),
        t0() + Duration::days(9),
    );
    let effect = effect.expect("the pending request still expires");
    assert_eq!(
        effect.order_status, None,
        "a completed order must stay completed"
    );
    assert_eq!(
        effect.refund_minor, None,
        "no refund on an order that is not canceled"
    );
}

#[rstest]
// crackerjack: "If the other party has sent you a request, respond as soon as possible."
#[case::buyer_request_seller_answers(Buyer, Seller, Duration::hours(2), Ok(()))]
#[case::own_request(Seller, Seller, Duration::hours(2), Err(Refusal::OwnRequest { id: "r1".into(), by: Seller }))]
// crackerjack: "does not respond within 48 hours" — too late after that
#[case::too_late(
    Buyer,
    Seller,
    Duration::hours(49),
    Err(Refusal::RequestExpired { id: "r1".into(), expired_at: t0() + Duration::hours(49) })
)]
fn who_may_answer(
    #[case] opened_by: Party,
    #[case] by: Party,
    #[case] since_t0: Duration,
    #[case] expected: Result<(), Refusal>,
) {
    let r = request(ChangeOrderTime, opened_by, RequestState::Pending);
    assert_eq!(
        can_respond(&r, by, &profile("crackerjack"), t0() + since_t0),
        expected
    );
}

#[rstest]
// hostjane: "Request more time button to extend delivery"
#[case::hostjane_more_time("hostjane", Duration::days(2), Ok(()))]
// fiverr-like delivery-time extension; podcasterpros: "ask the buyer to extend the delivery time"
#[case::podcasterpros_extend("podcasterpros", Duration::hours(5), Ok(()))]
// "extend": an earlier or equal date is not more time
#[case::not_later("hostjane", Duration::zero(), Err(Refusal::NotAnExtension { due_at: t0() + Duration::days(3) }))]
fn requesting_more_time(
    #[case] id: &str,
    #[case] more: Duration,
    #[case] expected: Result<(), Refusal>,
) {
    let o = order(S::InProgress);
    let p = profile(id);
    let got = request_more_time(&o, &[], false, "r9".into(), o.due_at + more, t0(), &p);
    assert_eq!(got.as_ref().map(|_| ()).map_err(Clone::clone), expected);
    if let Ok(r) = got {
        assert_eq!(
            r.kind, ChangeOrderTime,
            "more time is a change of order time"
        );
        assert_eq!(r.opened_by, Seller);
        assert_eq!(r.state, RequestState::Pending);
        assert_eq!(
            r.expires_at,
            t0() + Duration::hours(48),
            "the stored expiry must match expires_at"
        );

        let accepted = OrderRequest {
            state: RequestState::Accepted,
            ..r
        };
        let moved = apply_extension(&o, &accepted).expect("an accepted extension applies");
        assert_eq!(
            moved.due_at,
            o.due_at + more,
            "accepting more time moves the due date"
        );
        assert_eq!(
            Order {
                due_at: o.due_at,
                ..moved
            },
            o,
            "nothing else changes"
        );
    }
}

#[rstest]
#[case::still_pending(ChangeOrderTime, RequestState::Pending, S::InProgress)]
#[case::declined(ChangeOrderTime, RequestState::Declined, S::InProgress)]
#[case::wrong_kind(Cancel, RequestState::Accepted, S::InProgress)]
#[case::closed_order(ChangeOrderTime, RequestState::Accepted, S::Completed)]
fn only_an_accepted_time_change_moves_the_due_date(
    #[case] kind: RequestKind,
    #[case] state: RequestState,
    #[case] status: S,
) {
    let r = OrderRequest {
        proposed_due_at: Some(t0() + Duration::days(9)),
        ..request(kind, Seller, state)
    };
    assert!(
        apply_extension(&order(status), &r).is_err(),
        "{kind:?} {state:?} on {}",
        status.as_str()
    );
}

#[rstest]
// crackerjack: "each type of request has its own form fields" (assumed: the time change needs a date)
#[case::time_without_date(ChangeOrderTime, None, None, Err(Refusal::MissingDueDate))]
// assumed: additional work needs a positive price
#[case::work_without_price(AdditionalWork, None, None, Err(Refusal::MissingPrice))]
#[case::work_for_free(AdditionalWork, None, Some(0), Err(Refusal::MissingPrice))]
#[case::work_priced(AdditionalWork, None, Some(2500), Ok(()))]
#[case::cancel_needs_nothing(Cancel, None, None, Ok(()))]
fn request_forms(
    #[case] kind: RequestKind,
    #[case] proposed_due_at: Option<chrono::DateTime<chrono::Utc>>,
    #[case] price_minor: Option<i64>,
    #[case] expected: Result<(), Refusal>,
) {
    let new = NewRequest {
        id: "r2".into(),
        kind,
        opened_by: Seller,
        opened_at: t0(),
        message: "please".into(),
        proposed_due_at,
        price_minor,
        form: Default::default(),
    };
    let got = open(
        &order(S::InProgress),
        &[],
        false,
        new,
        &profile("crackerjack"),
    )
    .map(|_| ());
    assert_eq!(got, expected);
}

#[test]
fn accepted_additional_work_becomes_an_extra() {
    let r = OrderRequest {
        price_minor: Some(2500),
        ..request(AdditionalWork, Seller, RequestState::Accepted)
    };
    let o = apply_additional_work(&order(S::InProgress), &r).expect("accepted work applies");
    assert_eq!(
        o.gross_minor(),
        6500 + 2500,
        "the extra work must be paid on top"
    );
}

/// (kind, proposed due in days from t0, price, start in days from t0, revisions, price change)
type Form = (
    RequestKind,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<u32>,
    Option<i64>,
);

#[rstest]
// crackerjack: "You want to change the order's start and/or end date."
#[case::end_only("crackerjack", (ChangeOrderTime, Some(5), None, None, None, None), Ok(()))]
#[case::start_only("crackerjack", (ChangeOrderTime, None, None, Some(1), None, None), Ok(()))]
#[case::start_and_end("crackerjack", (ChangeOrderTime, Some(6), None, Some(2), None, None), Ok(()))]
#[case::neither("crackerjack", (ChangeOrderTime, None, None, None, None, None), Err(Refusal::MissingDueDate))]
#[case::start_after_end("crackerjack", (ChangeOrderTime, Some(2), None, Some(4), None, None), Err(Refusal::StartAfterDue { start_at: t0() + Duration::days(4), due_at: t0() + Duration::days(2) }))]
// crackerjack: "pay attention to ensure you fill out the request form correctly"
#[case::stray_price("crackerjack", (Cancel, None, Some(100), None, None, None), Err(Refusal::FieldNotInForm { kind: Cancel, field: "price_minor" }))]
// izea: "You can edit the time left to complete the order, amount of revisions and the price"
#[case::izea_time_left("izea", (ContractUpdate, Some(5), None, None, None, None), Ok(()))]
#[case::izea_revisions("izea", (ContractUpdate, None, None, None, Some(4), None), Ok(()))]
#[case::izea_price_down("izea", (ContractUpdate, None, None, None, None, Some(-1000)), Ok(()))]
// izea: "You can choose to edit as many of the fields as needed."
#[case::izea_all_three("izea", (ContractUpdate, Some(5), None, None, Some(3), Some(2500)), Ok(()))]
#[case::izea_nothing("izea", (ContractUpdate, None, None, None, None, Some(0)), Err(Refusal::NothingToUpdate))]
#[case::izea_free("izea", (ContractUpdate, None, None, None, None, Some(-5000)), Err(Refusal::PriceNotPositive { price_minor: 0 }))]
// only IZEA's seed has a Contract Update
#[case::crackerjack_contract("crackerjack", (ContractUpdate, Some(5), None, None, None, None), Err(Refusal::NotOnMarketplace { kind: ContractUpdate, marketplace: "crackerjack-like".into() }))]
fn request_forms_as_the_seeds_describe(
    #[case] id: &str,
    #[case] form: Form,
    #[case] expected: Result<(), Refusal>,
) {
    let (kind, due, price_minor, start, revisions, change) = form;
    let at = |d: i64| t0() + Duration::days(d);
    let new = NewRequest {
        id: "r2".into(),
        kind,
        opened_by: Seller,
        opened_at: t0(),
        message: String::new(),
        proposed_due_at: due.map(at),
        price_minor,
        form: sellerdesk_api::RequestForm {
            proposed_start_at: start.map(at),
            revisions_included: revisions,
            price_change_minor: change,
        },
    };
    let got = open(&order(S::InProgress), &[], false, new, &profile(id)).map(|_| ());
    assert_eq!(got, expected, "{id} {kind:?}");
}

#[test]
fn an_accepted_contract_update_changes_every_field_it_names() {
    // izea: "You can choose to edit as many of the fields as needed."
    let r = OrderRequest {
        proposed_due_at: Some(t0() + Duration::days(9)),
        form: sellerdesk_api::RequestForm {
            proposed_start_at: None,
            revisions_included: Some(4),
            price_change_minor: Some(-1000),
        },
        ..request(ContractUpdate, Seller, RequestState::Accepted)
    };
    let o = apply_contract_update(&order(S::InProgress), &r).expect("applies");
    assert_eq!(o.due_at, t0() + Duration::days(9), "time left changes");
    assert_eq!(o.revisions_included, 4, "revisions change");
    assert_eq!(o.base_price_minor, 4000, "the price goes down by $10");
    let start_only = OrderRequest {
        proposed_due_at: None,
        form: sellerdesk_api::RequestForm {
            proposed_start_at: Some(t0() + Duration::days(1)),
            ..Default::default()
        },
        ..request(ChangeOrderTime, Seller, RequestState::Accepted)
    };
    let kept = apply_extension(&order(S::InProgress), &start_only).expect("a start change applies");
    assert_eq!(
        kept.due_at,
        order(S::InProgress).due_at,
        "a new start alone keeps the due date"
    );
}
