//! Whatever a marketplace sends that decodes, the whole pipeline survives it: sync →
//! store → list rows → detail → earnings → alerts → invoice PDF and CSV. Nothing panics;
//! each order that breaks a limit is named with its reason; every other order is intact.
//!
//! The values are the extremes a hostile or buggy server can send in well-typed JSON:
//! 0, negative, the i64/u32 limits, instants at chrono's ends (year ±262143), empty and
//! 100 kB strings, 10,000 extras.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use proptest::prelude::*;
use sellerdesk_api::{Extra, Order, OrderPage, OrderStatus, Profile};
use sellerdesk_core::Workspace;
use sellerdesk_core::api::decode_body;
use sellerdesk_core::exports::PeriodKind;
use sellerdesk_core::store::{Account, OrderProblem, Store};
use sellerdesk_core::sync::{PullReport, apply_page, apply_profile};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-05T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0),
        Just(-1),
        Just(i64::MAX),
        Just(i64::MIN),
        Just(sellerdesk_api::limits::MAX_AMOUNT_MINOR),
        0..100_000i64,
    ]
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        Just(DateTime::<Utc>::MIN_UTC),
        Just(DateTime::<Utc>::MAX_UTC),
        Just(DateTime::<Utc>::MAX_UTC - Duration::days(1)),
        Just(DateTime::<Utc>::UNIX_EPOCH),
        (-40 * 86_400i64..40 * 86_400).prop_map(|s| now() + Duration::seconds(s)),
    ]
}

fn small_u32() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0),
        Just(1),
        Just(u32::MAX),
        Just(u32::MAX / 2),
        0..20u32
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("x".repeat(100_000)),
        Just("\u{0}\n\t".to_string()),
        "[A-Za-z0-9 é-]{1,24}",
    ]
}

fn status() -> impl Strategy<Value = OrderStatus> {
    proptest::sample::select(OrderStatus::ALL.to_vec())
}

prop_compose! {
    fn order(i: usize)(
        (title, id_text, username) in (text(), text(), text()),
        status in status(),
        (base, extra_price, extras) in (amount(), amount(), prop_oneof![Just(0usize), Just(1), Just(10_000)]),
        (revisions_included, revisions_used, review_extension_days) in (small_u32(), small_u32(), small_u32()),
        (created_at, due_at, delivered_at, updated_at) in (instant(), instant(), proptest::option::of(instant()), instant()),
        (seq, use_id) in (prop_oneof![Just(0u64), Just(u64::MAX), 1..1_000u64], any::<bool>()),
    ) -> Order {
        let mut o = sellerdesk_sim::demo_orders(now()).swap_remove(i % 30);
        if use_id { o.id = id_text; } else { o.id = format!("P-{i}"); }
        o.title = title;
        o.buyer.display_name = username;
        o.status = status;
        o.base_price_minor = base;
        o.extras = vec![Extra { title: "extra".into(), price_minor: extra_price }; extras];
        o.revisions_included = revisions_included;
        o.revisions_used = revisions_used;
        o.review_extension_days = review_extension_days;
        o.created_at = created_at;
        o.due_at = due_at;
        o.delivered_at = delivered_at;
        o.updated_at = updated_at;
        o.seq = seq;
        o
    }
}

prop_compose! {
    fn profile()(
        (fee_bps, review_window_days, clearance_days, request_expiry_hours) in (small_u32(), small_u32(), small_u32(), small_u32()),
        max_file_bytes in prop_oneof![Just(0u64), Just(u64::MAX), Just(5u64 << 30)],
        name in text(),
    ) -> Profile {
        let mut p = sellerdesk_sim::profile("fiverr").unwrap();
        p.fee_bps = fee_bps;
        p.review_window_days = review_window_days;
        p.clearance_days = clearance_days;
        p.request_expiry_hours = request_expiry_hours;
        p.max_file_bytes = max_file_bytes;
        p.name = name;
        p
    }
}

/// The JSON a server would send, decoded as the client decodes it. `None` when the
/// value does not survive the round trip (then the server could not have sent it).
fn over_the_wire<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> Option<T> {
    let bytes = serde_json::to_vec(value).ok()?;
    decode_body("/v1/test", &bytes).ok()
}

fn run_pipeline(profile: Profile, hostile: Vec<Order>) -> Result<(), TestCaseError> {
    let Some(profile) = over_the_wire(&profile) else {
        return Ok(());
    };
    // Two ordinary orders beside the hostile ones: they must come through intact.
    let good: Vec<Order> = sellerdesk_sim::demo_orders(now())
        .into_iter()
        .filter(|o| o.status.is_active())
        .take(2)
        .collect();
    let mut orders = good.clone();
    orders.extend(hostile);
    let page = OrderPage {
        orders,
        next_cursor: "1".into(),
        has_more: false,
    };
    let Some(page) = over_the_wire(&page) else {
        return Ok(());
    };

    let account = Account::new("acct", "Hostile", "http://127.0.0.1:9");
    let clock: sellerdesk_core::Clock = std::sync::Arc::new(now);
    let ws = Workspace::with_store(
        Store::open_in_memory().unwrap(),
        vec![(account, "t".into())],
        false,
        clock,
    )
    .unwrap();
    let store = ws.store();
    // Sync: the rules first, then the page, as a pull does.
    let rules_problem = apply_profile(store, "acct", &profile).unwrap();
    prop_assert_eq!(
        rules_problem.is_some(),
        profile.validate().is_err(),
        "absurd rules are reported, good ones not"
    );
    if rules_problem.is_some() {
        // The account still needs rules to compute with: the marketplace's good ones.
        apply_profile(store, "acct", &sellerdesk_sim::profile("fiverr").unwrap()).unwrap();
    }
    let mut state = store.sync_state("acct").unwrap();
    let mut report = PullReport::default();
    apply_page(
        store,
        "acct",
        page.clone(),
        &mut state,
        now().timestamp_millis(),
        &mut report,
    )
    .expect("a decodable page never fails the sync");

    // List rows: every order is either listed (when active) or named as a problem.
    let rows = ws.order_rows().expect("the list always shows");
    // The last version of an id on the page is the one that counts.
    let mut seen_ids = std::collections::HashSet::new();
    for order in page.orders.iter().rev() {
        let key = OrderProblem::of(order, String::new(), 0).order_id;
        if !seen_ids.insert(key.clone()) {
            continue;
        }
        if let Err(e) = order.validate() {
            let row = rows.iter().find(|r| r.id == key);
            let named = row
                .and_then(|r| r.problem.as_deref())
                .is_some_and(|p| p.contains(&e.to_string()));
            prop_assert!(
                named,
                "refused order {:?} is named with its reason {}: {:?}",
                key,
                e,
                row
            );
        }
    }
    for g in &good {
        let row = rows.iter().find(|r| r.id == g.id && r.problem.is_none());
        prop_assert!(row.is_some(), "good order {} is intact in the list", g.id);
    }
    // Detail, invoice PDF: each may refuse, none may panic.
    let offset = FixedOffset::east_opt(5 * 3600).unwrap();
    for row in &rows {
        let _ = ws.order_detail(&row.account_id, &row.id);
        let _ = ws.invoice_pdf(&row.account_id, &row.id, offset);
    }
    for g in &good {
        ws.order_detail("acct", &g.id)
            .expect("a good order's detail opens");
    }
    // Earnings, alerts, CSV over everything stored.
    ws.earnings_of(offset, None)
        .expect("earnings over the stored orders");
    ws.take_due_alerts(offset)
        .expect("alerts over the stored orders");
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2199, 12, 31).unwrap();
    ws.orders_csv(from, to, offset).expect("orders CSV");
    ws.earnings_csv(from, to, PeriodKind::Month, offset)
        .expect("earnings CSV");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_decodable_marketplace_data_flows_through_without_panic(
        profile in profile(),
        a in order(0), b in order(7), c in order(13),
    ) {
        run_pipeline(profile, vec![a, b, c])?;
    }
}
