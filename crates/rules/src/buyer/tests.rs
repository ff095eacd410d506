//! Table tests of the buyer's side, each case quoting its seed.

use chrono::Duration;
use rstest::rstest;
use sellerdesk_api::{Order, OrderStatus as S};

use super::*;
use crate::fixtures::{delivered, order, profile, t0};

fn days(n: i64) -> Duration {
    Duration::days(n)
}

#[rstest]
// fiverr: "If your client doesn't accept or reject your order within three days of the
// delivery's due date, it will be automatically marked as completed." (delivered early:
// the window counts from the due date, t0 + 3 days)
#[case::fiverr_early("fiverr", 1, 0, days(6))]
// fiverr: "you will be notified that the client has added time to the review period."
#[case::fiverr_extended("fiverr", 1, 2, days(8))]
// fiverr: a late delivery is reviewed from the delivery itself
#[case::fiverr_late("fiverr", 4, 0, days(7))]
// hostjane: "After delivering the order, the Buyer will have 3 days exactly"
#[case::hostjane("hostjane", 1, 0, days(4))]
// izea: "After your content has been submitted the buyer has seven days to accept"
#[case::izea("izea", 1, 0, days(8))]
fn the_review_window_ends(
    #[case] id: &str,
    #[case] delivered_after_days: i64,
    #[case] extension_days: u32,
    #[case] ends_after: Duration,
) {
    let o = Order {
        review_extension_days: extension_days,
        ..delivered(days(delivered_after_days))
    };
    assert_eq!(
        review_ends_at(&o, &profile(id)),
        Some(t0() + ends_after),
        "{id}: auto-completion instant"
    );
}

#[test]
fn only_a_delivery_under_review_has_a_window() {
    for status in [
        S::InProgress,
        S::RevisionRequested,
        S::Disputed,
        S::Completed,
    ] {
        let o = Order {
            status,
            ..delivered(days(1))
        };
        assert_eq!(
            review_ends_at(&o, &profile("fiverr")),
            None,
            "a {status:?} order never auto-completes"
        );
    }
}

#[rstest]
// izea: "the buyer has seven days to accept or request revisions (if they have been provided)"
#[case::izea_one_left("izea", S::Delivered, 2, 1, true)]
#[case::izea_none_left("izea", S::Delivered, 2, 2, false)]
// hostjane: "The Buyer will have the number of deliveries you allocated for the Service."
#[case::hostjane_none_included("hostjane", S::Delivered, 0, 0, false)]
// fiverr: "If a client is dissatisfied with the completed work or needs a modification,
// you can deliver the modified work." (no count)
#[case::fiverr_beyond("fiverr", S::Delivered, 1, 3, true)]
// izea: "the buyer has seven days to accept or request revisions" — of a delivery
#[case::not_delivered("izea", S::InProgress, 2, 0, false)]
fn asking_for_a_revision(
    #[case] id: &str,
    #[case] status: S,
    #[case] included: u32,
    #[case] used: u32,
    #[case] allowed: bool,
) {
    let o = Order {
        status,
        revisions_included: included,
        revisions_used: used,
        ..order(S::Delivered)
    };
    let got = can_request_revision(&o, &profile(id));
    assert_eq!(
        got.is_ok(),
        allowed,
        "{id} {status:?} {used}/{included}: {got:?}"
    );
}

#[rstest]
// hostjane: "please send the Buyer their Final Work within 24 hours."
#[case::hostjane("hostjane", Some(Duration::hours(24)), true)]
#[case::fiverr("fiverr", None, false)]
#[case::izea("izea", None, false)]
fn hostjane_final_work_follows_acceptance(
    #[case] id: &str,
    #[case] window: Option<Duration>,
    #[case] review_required: bool,
) {
    let p = profile(id);
    assert_eq!(
        final_work_due_at(t0(), &p),
        window.map(|w| t0() + w),
        "{id}"
    );
    // hostjane: "The Buyer will be invited to leave a review and flame rating, which is
    // compulsory for them to receive the Final Work."
    assert_eq!(review_required_for_final_work(&p), review_required, "{id}");
}
