//! Table tests of the buyer's steps, each case quoting the seed line it plays.

use chrono::{Duration, TimeZone};
use rstest::rstest;
use sellerdesk_api::{OrderStatus as S, Party, RequestKind};

use super::*;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).single().unwrap()
}

fn demo(id: &str) -> Order {
    crate::demo_orders(start())
        .into_iter()
        .find(|o| o.id == id)
        .unwrap()
}

fn profile(id: &str) -> Profile {
    crate::profile(id).unwrap()
}

fn accept() -> BuyerStep {
    BuyerStep::AcceptDelivery
}
fn revise() -> BuyerStep {
    BuyerStep::RequestRevision {
        text: "Please make the logo bigger.".into(),
    }
}

#[rstest]
// fiverr: "Your order status will change to "completed" as soon as your client accepts the delivery."
#[case::fiverr_accepts("fiverr", "D-1006", accept(), Ok(S::Completed))]
// izea: "Once your content has been accepted by the buyer, your order is complete."
#[case::izea_accepts("izea", "D-1006", accept(), Ok(S::Completed))]
// hostjane: "If the Buyer has accepted the Work and released funds to you, please send the
// Buyer their Final Work within 24 hours." — not complete until the Final Work
#[case::hostjane_accepts("hostjane", "D-1006", accept(), Ok(S::Delivered))]
// izea: "the buyer has seven days to accept or request revisions (if they have been provided)"
#[case::izea_revision("izea", "D-1027", revise(), Ok(S::RevisionRequested))]
#[case::izea_last_revision("izea", "D-1006", revise(), Ok(S::RevisionRequested))]
// hostjane: "The Buyer will have the number of deliveries you allocated for the Service."
#[case::hostjane_one_left("hostjane", "D-1027", revise(), Ok(S::RevisionRequested))]
// fiverr: "Clients may also request additional time to review the delivered work."
#[case::fiverr_extends("fiverr", "D-1006", BuyerStep::ExtendReview { days: 2 }, Ok(S::Delivered))]
// crackerjack: "A special case of an order request is a dispute."
#[case::crackerjack_dispute("crackerjack", "D-1001", BuyerStep::OpenDispute { reason: "No news".into() }, Ok(S::Disputed))]
// fiverr: "Client acceptance" needs a delivery
#[case::nothing_to_accept("fiverr", "D-1001", accept(), Err("awaiting the buyer's answer"))]
fn the_buyer_answers_a_delivery(
    #[case] profile_id: &str,
    #[case] order_id: &str,
    #[case] step: BuyerStep,
    #[case] expected: Result<S, &str>,
) {
    let order = demo(order_id);
    let got = apply(
        &order,
        &Life::default(),
        &step,
        &profile(profile_id),
        start(),
    );
    match (got, expected) {
        (Ok((changed, _)), Ok(status)) => {
            assert_eq!(changed.status, status, "{profile_id} {order_id} {step:?}");
        }
        (Err(e), Err(reason)) => assert!(e.0.contains(reason), "{e}"),
        (got, want) => panic!("{profile_id} {order_id} {step:?}: got {got:?}, want {want:?}"),
    }
}

#[test]
fn a_revision_request_is_refused_once_the_included_rounds_are_used() {
    // hostjane: "The Buyer will have the number of deliveries you allocated for the Service."
    let used_up = Order {
        revisions_used: 1,
        ..demo("D-1006")
    };
    let err = apply(
        &used_up,
        &Life::default(),
        &revise(),
        &profile("hostjane"),
        start(),
    )
    .expect_err("no round left on HostJane");
    assert!(err.0.contains("revisions included"), "{err}");
    // fiverr: "If a client is dissatisfied ... or needs a modification, you can deliver
    // the modified work." — no count
    assert!(
        apply(
            &used_up,
            &Life::default(),
            &revise(),
            &profile("fiverr"),
            start()
        )
        .is_ok()
    );
}

#[test]
fn a_revision_request_posts_the_buyers_words_and_extension_moves_the_window() {
    let (changed, _) = apply(
        &demo("D-1027"),
        &Life::default(),
        &revise(),
        &profile("fiverr"),
        start(),
    )
    .unwrap();
    let last = changed.messages.last().unwrap();
    assert_eq!(last.from, Party::Buyer, "the buyer's words are in the chat");
    assert!(last.text.contains("logo bigger"), "{}", last.text);
    let order = demo("D-1006");
    let before = sellerdesk_rules::review_ends_at(&order, &profile("fiverr")).unwrap();
    let (extended, _) = apply(
        &order,
        &Life::default(),
        &BuyerStep::ExtendReview { days: 2 },
        &profile("fiverr"),
        start(),
    )
    .unwrap();
    assert_eq!(extended.review_extension_days, 2);
    assert_eq!(
        sellerdesk_rules::review_ends_at(&extended, &profile("fiverr")),
        Some(before + Duration::days(2)),
        "fiverr: \"the client has added time to the review period\" moves auto-completion"
    );
    assert_eq!(
        extended.messages.last().unwrap().from,
        Party::Support,
        "the seller is notified"
    );
}

#[test]
fn hostjane_acceptance_brings_the_compulsory_review() {
    // hostjane: "The Buyer will be invited to leave a review and flame rating, which is
    // compulsory for them to receive the Final Work."
    let (accepted, life) = apply(
        &demo("D-1006"),
        &Life::default(),
        &accept(),
        &profile("hostjane"),
        start(),
    )
    .unwrap();
    assert!(
        accepted.review.is_some(),
        "the review comes with the acceptance"
    );
    assert_eq!(life.accepted_at, Some(start()));
    let (done, life) =
        crate::lifecycle::final_work(&accepted, &life, start() + Duration::hours(3)).unwrap();
    // hostjane: "An order update will appear to confirm you have successfully delivered
    // the Final Work. The Order will then be marked as complete"
    assert_eq!(done.status, S::Completed);
    assert_eq!(
        done.completed_at,
        Some(start() + Duration::hours(3)),
        "clearance counts from here"
    );
    assert_eq!(done.messages.last().unwrap().from, Party::Support);
    assert_eq!(life.accepted_at, None);
}

#[rstest]
// crackerjack: "Change order time" is open to both parties
#[case::time(RequestKind::ChangeOrderTime, true)]
// crackerjack: "Provide a progress update (option available only for Customer account)."
#[case::progress(RequestKind::ProgressUpdate, true)]
// crackerjack: "Request other party to cancel this order."
#[case::cancel(RequestKind::Cancel, true)]
// crackerjack: "Additional work request (option available only for Pro account)."
#[case::work(RequestKind::AdditionalWork, false)]
fn the_buyer_opens_what_crackerjack_lets_a_customer_open(
    #[case] kind: RequestKind,
    #[case] allowed: bool,
) {
    let order = demo("D-1001");
    let step = BuyerStep::OpenRequest {
        kind,
        message: "about the order".into(),
        proposed_due_at: (kind == RequestKind::ChangeOrderTime)
            .then(|| order.due_at + Duration::days(2)),
    };
    let got = apply(
        &order,
        &Life::default(),
        &step,
        &profile("crackerjack"),
        start(),
    );
    assert_eq!(got.is_ok(), allowed, "{kind:?}: {got:?}");
}

#[test]
fn the_buyer_answers_the_sellers_request() {
    // crackerjack: "click either Accept or Decline inside the order request block"
    let order = demo("D-1005");
    let step = BuyerStep::AnswerRequest {
        request_id: "D-1005-R1".into(),
        accept: true,
    };
    let (changed, _) = apply(
        &order,
        &Life::default(),
        &step,
        &profile("crackerjack"),
        start(),
    )
    .unwrap();
    assert_eq!(
        changed.gross_minor(),
        order.gross_minor() + 4_000,
        "the extra work is added"
    );
    let own = BuyerStep::AnswerRequest {
        request_id: "D-1010-R1".into(),
        accept: true,
    };
    assert!(
        apply(
            &demo("D-1010"),
            &Life::default(),
            &own,
            &profile("crackerjack"),
            start()
        )
        .is_err(),
        "the buyer cannot answer its own request"
    );
}

#[test]
fn a_seeded_buyer_plans_nothing_before_the_start_and_nothing_when_silent() {
    let p = profile("fiverr");
    for order in crate::demo_orders(start()) {
        if let Some((at, step)) = next(&order, &Life::default(), &p, start()) {
            assert!(
                at > start(),
                "{} plans {step:?} at {at}, before the start",
                order.id
            );
        }
        let silent = Life {
            silent: true,
            ..Life::default()
        };
        assert_eq!(
            next(&order, &silent, &p, start()),
            None,
            "a silent buyer never acts"
        );
    }
}
