//! Property tests for the invariants every rule family must keep, whatever the order,
//! the profile and the instant.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use proptest::prelude::*;
use sellerdesk_api::{
    Extra, Order, OrderRequest, OrderStatus, Party, Profile, RequestKind, RequestState, Review,
};

use crate::actions::{Action, allowed_actions};
use crate::earnings::{Bucket, breakdown, fee_minor, forecast, totals_by_month, totals_by_week};
use crate::fixtures::{order, profile, t0};
use crate::requests::{NewRequest, expires_at, open, resolve_expired};
use crate::review::{auto_complete_at, revisions_left};
use crate::status::{Event, Lateness, delivery_owed, is_terminal, lateness, transition};

const IDS: [&str; 5] = ["fiverr", "podcasterpros", "crackerjack", "izea", "hostjane"];

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (-10 * 86_400i64..40 * 86_400).prop_map(|s| t0() + Duration::seconds(s))
}

fn status() -> impl Strategy<Value = OrderStatus> {
    prop::sample::select(OrderStatus::ALL.to_vec())
}

fn any_order() -> impl Strategy<Value = Order> {
    (
        (
            status(),
            0i64..1_000_000_000,
            prop::collection::vec(0i64..100_000_000, 0..4),
        ),
        (0u32..5, 0u32..7, prop::sample::select(vec!["USD", "EUR"])),
        (
            instant(),
            prop::option::of(instant()),
            prop::option::of(instant()),
        ),
    )
        .prop_map(
            |(
                (status, base, extras),
                (included, used, currency),
                (due_at, delivered_at, completed_at),
            )| Order {
                status,
                base_price_minor: base,
                extras: extras
                    .into_iter()
                    .map(|price_minor| Extra {
                        title: "extra".into(),
                        price_minor,
                    })
                    .collect(),
                revisions_included: included,
                revisions_used: used,
                currency: currency.to_string(),
                due_at,
                delivered_at,
                completed_at,
                ..order(status)
            },
        )
}

fn any_profile() -> impl Strategy<Value = Profile> {
    (
        prop::sample::select(IDS.to_vec()),
        0u32..12_000,
        0u32..30,
        0u32..30,
    )
        .prop_map(
            |(id, fee_bps, review_window_days, clearance_days)| Profile {
                fee_bps,
                review_window_days,
                clearance_days,
                ..profile(id)
            },
        )
}

fn kind() -> impl Strategy<Value = RequestKind> {
    prop::sample::select(vec![
        RequestKind::AdditionalWork,
        RequestKind::ChangeOrderTime,
        RequestKind::ProgressUpdate,
        RequestKind::Cancel,
    ])
}

fn any_request() -> impl Strategy<Value = OrderRequest> {
    (
        kind(),
        prop::sample::select(vec![Party::Seller, Party::Buyer]),
        prop::sample::select(vec![
            RequestState::Pending,
            RequestState::Accepted,
            RequestState::Declined,
            RequestState::Expired,
        ]),
        instant(),
    )
        .prop_map(|(kind, opened_by, state, opened_at)| OrderRequest {
            id: "r".into(),
            kind,
            opened_by,
            opened_at,
            expires_at: opened_at + Duration::hours(48),
            state,
            message: String::new(),
            proposed_due_at: None,
            price_minor: None,
            resolved_at: None,
            form: Default::default(),
        })
}

fn any_review() -> impl Strategy<Value = Option<Review>> {
    prop::option::of(
        prop::option::of(Just("thanks".to_string())).prop_map(|reply| Review {
            rating: 5,
            text: "ok".into(),
            posted_at: t0(),
            reply,
        }),
    )
}

proptest! {
    #[test]
    fn no_action_is_both_allowed_and_blocked(
        o in any_order(),
        p in any_profile(),
        requests in prop::collection::vec(any_request(), 0..3),
        review in any_review(),
        now in instant(),
    ) {
        let rules = allowed_actions(&o, &p, &requests, review.as_ref(), now);
        let listed: Vec<Action> = rules.iter().map(|r| r.action).collect();
        prop_assert_eq!(listed, Action::ALL.to_vec(), "every action must be listed once, in order");
        for rule in &rules {
            prop_assert_eq!(rule.allowed, rule.reason.is_none(), "allowed xor blocked-with-reason: {:?}", rule);
            if let Some(why) = &rule.reason {
                prop_assert!(!why.trim().is_empty(), "a blocked action must say why: {:?}", rule);
            }
        }
    }

    #[test]
    fn breakdown_net_plus_fee_is_gross(o in any_order(), p in any_profile()) {
        let b = breakdown(&o, &p).expect("non-negative amounts that fit");
        prop_assert_eq!(b.net_minor + b.fee_minor, b.gross_minor, "net + fee must equal gross");
        prop_assert!(b.fee_minor >= 0 && b.fee_minor <= b.gross_minor, "0 ≤ fee ≤ gross: {:?}", b);
        prop_assert_eq!(b.gross_minor, o.gross_minor(), "gross is base plus extras");
        prop_assert_eq!(b.lines.len(), 1 + o.extras.len(), "one line per package and extra");
    }

    #[test]
    fn fee_stays_between_zero_and_gross(
        gross in prop_oneof![0i64..1_000_000_000_000, 0i64..=i64::MAX],
        bps in prop_oneof![0u32..=20_000, any::<u32>()],
    ) {
        let fee = fee_minor(gross, bps);
        prop_assert!((0..=gross).contains(&fee), "fee {} on gross {} at {} bps", fee, gross, bps);
    }

    #[test]
    fn period_totals_equal_the_sum_of_forecasts(
        orders in prop::collection::vec((any_order(), any_profile()), 0..12),
        now in instant(),
        quarter_hours in -48i32..=56,
    ) {
        let offset = FixedOffset::east_opt(quarter_hours * 900).expect("within ±14 h");
        let forecasts: Vec<_> = orders
            .iter()
            .filter_map(|(o, p)| {
                let f = forecast(o, p, now).expect("valid amounts");
                if o.status == OrderStatus::Canceled {
                    assert_eq!(f, None, "a canceled order must contribute nothing");
                }
                f
            })
            .collect();
        let expected = |bucket: Option<Bucket>| -> i64 {
            forecasts.iter().filter(|f| bucket.is_none_or(|b| f.bucket == b)).map(|f| f.net_minor).sum()
        };
        for totals in [totals_by_week(&forecasts, offset), totals_by_month(&forecasts, offset)] {
            prop_assert_eq!(totals.iter().map(|t| t.total_minor()).sum::<i64>(), expected(None), "all periods together");
            prop_assert_eq!(totals.iter().map(|t| t.pending_minor).sum::<i64>(), expected(Some(Bucket::Pending)));
            prop_assert_eq!(totals.iter().map(|t| t.clearing_minor).sum::<i64>(), expected(Some(Bucket::Clearing)));
            prop_assert_eq!(totals.iter().map(|t| t.available_minor).sum::<i64>(), expected(Some(Bucket::Available)));
        }
    }

    #[test]
    fn forecasts_clear_after_completion(o in any_order(), p in any_profile(), now in instant()) {
        if let Some(f) = forecast(&o, &p, now).expect("valid amounts") {
            prop_assert_eq!(f.available_at - f.expected_completion, Duration::days(i64::from(p.clearance_days)));
            prop_assert_eq!(f.bucket == Bucket::Pending, o.status != OrderStatus::Completed, "only completed money clears");
        }
    }

    #[test]
    fn requests_expire_48_hours_after_opening(
        r in any_request(),
        id in prop::sample::select(IDS.to_vec()),
        by in prop::sample::select(vec![Party::Seller, Party::Buyer]),
        k in kind(),
    ) {
        let p = profile(id);
        prop_assert_eq!(expires_at(&r, &p) - r.opened_at, Duration::hours(48), "every seed profile: 48 h");
        let new = NewRequest {
            id: "n".into(),
            kind: k,
            opened_by: by,
            opened_at: r.opened_at,
            message: String::new(),
            proposed_due_at: Some(r.opened_at + Duration::days(5)),
            price_minor: Some(100),
            form: Default::default(),
        };
        if let Ok(opened) = open(&order(OrderStatus::InProgress), &[], false, new, &p) {
            prop_assert_eq!(opened.expires_at - opened.opened_at, Duration::hours(48), "stored expiry");
        }
    }

    #[test]
    fn a_pending_request_expires_exactly_at_its_expiry(r in any_request(), o in any_order(), now in instant()) {
        let p = profile("crackerjack");
        let effect = resolve_expired(&o, &r, &p, now);
        let due = r.state == RequestState::Pending && now >= expires_at(&r, &p);
        prop_assert_eq!(effect.is_some(), due, "expiry at {} for a {:?} request", now, r.state);
        if let Some(e) = effect {
            prop_assert_eq!(e.order_status.is_some(), e.refund_minor.is_some(), "a cancel refunds, nothing else does");
        }
    }

    #[test]
    fn terminal_states_are_never_left(start in status(), events in prop::collection::vec(prop::sample::select(Event::ALL.to_vec()), 0..24)) {
        let mut current = start;
        for event in events {
            let next = transition(current, event);
            if is_terminal(current) {
                prop_assert!(next.is_err(), "{} must stay terminal, yet {:?} gave {:?}", current.as_str(), event, next);
            }
            if let Ok(next) = next {
                current = next;
            }
        }
    }

    #[test]
    fn lateness_only_grows_and_only_while_owed(o in any_order(), a in instant(), b in instant()) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(lateness(&o, early) <= lateness(&o, late), "lateness never shrinks as time passes");
        if !delivery_owed(o.status) {
            prop_assert_eq!(lateness(&o, late), Lateness::OnTime, "nothing owed, never late");
        } else {
            prop_assert_eq!(lateness(&o, late) == Lateness::OnTime, late < o.due_at, "past due must be late");
        }
    }

    #[test]
    fn revisions_left_never_exceed_included(o in any_order()) {
        prop_assert_eq!(revisions_left(&o) + o.revisions_used.min(o.revisions_included), o.revisions_included);
    }

    #[test]
    fn auto_completion_follows_the_delivery(o in any_order(), p in any_profile(), extra_hours in -100i64..500) {
        if let (Some(at), Some(delivered_at)) = (auto_complete_at(&o, &p, Duration::hours(extra_hours)), o.delivered_at) {
            prop_assert!(at >= delivered_at + Duration::days(i64::from(p.review_window_days)), "the buyer gets the full window");
        }
    }
}
