use std::collections::BTreeMap;

use chrono::TimeZone;

use super::*;
use crate::{OrderStatus, Party, RequestKind, RequestState};

fn at(year: i32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).unwrap()
}

fn order() -> Order {
    serde_json::from_value(serde_json::json!({
        "id": "o1", "title": "Logo", "status": "in_progress", "currency": "USD",
        "buyer": {"username": "b", "display_name": "B"},
        "base_price_minor": 5000, "extras": [{"title": "Fast", "price_minor": 1500}],
        "revisions_included": 2, "created_at": "2026-01-01T00:00:00Z",
        "due_at": "2026-01-03T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "seq": 1
    }))
    .unwrap()
}

fn profile() -> Profile {
    Profile {
        id: "fiverr".into(),
        name: "Fiverr".into(),
        fee_bps: 2000,
        review_window_days: 3,
        clearance_days: 14,
        request_expiry_hours: 48,
        max_file_bytes: 5 << 30,
        status_labels: BTreeMap::from([(OrderStatus::InProgress, "ACTIVE".to_string())]),
        notes: vec![],
    }
}

fn request(opened_at: DateTime<Utc>) -> OrderRequest {
    OrderRequest {
        id: "r1".into(),
        kind: RequestKind::AdditionalWork,
        opened_by: Party::Buyer,
        opened_at,
        expires_at: opened_at,
        state: RequestState::Pending,
        message: String::new(),
        proposed_due_at: None,
        price_minor: Some(100),
        resolved_at: None,
        form: Default::default(),
    }
}

#[test]
fn a_plain_order_and_profile_pass() {
    assert_eq!(order().validate(), Ok(()), "the demo-like order is valid");
    assert_eq!(
        profile().validate(),
        Ok(()),
        "the Fiverr-like profile is valid"
    );
}

type Spoil = fn(&mut Order);

#[rstest::rstest]
#[case::overflowing_total(|o: &mut Order| { o.base_price_minor = i64::MAX; o.extras[0].price_minor = 1 }, "base_price_minor")]
#[case::huge_base(|o: &mut Order| o.base_price_minor = i64::MAX, "base_price_minor")]
#[case::negative_base(|o: &mut Order| o.base_price_minor = -1, "base_price_minor")]
#[case::negative_extra(|o: &mut Order| o.extras[0].price_minor = i64::MIN, "extras[0].price_minor")]
#[case::total_above_limit(|o: &mut Order| { o.base_price_minor = MAX_AMOUNT_MINOR; o.extras[0].price_minor = 1 }, "total")]
#[case::due_far_future(|o: &mut Order| o.due_at = DateTime::<Utc>::MAX_UTC, "due_at")]
#[case::created_far_past(|o: &mut Order| o.created_at = DateTime::<Utc>::MIN_UTC, "created_at")]
#[case::delivered_year_262000(|o: &mut Order| o.delivered_at = Some(DateTime::<Utc>::MAX_UTC), "delivered_at")]
#[case::extension_u32_max(|o: &mut Order| o.review_extension_days = u32::MAX, "review_extension_days")]
#[case::revisions_u32_max(|o: &mut Order| o.revisions_included = u32::MAX, "revisions_included")]
#[case::empty_id(|o: &mut Order| o.id.clear(), "id")]
#[case::control_in_id(|o: &mut Order| o.id = "a\nb".into(), "id")]
#[case::long_title(|o: &mut Order| o.title = "x".repeat(100_000), "title")]
#[case::bad_currency(|o: &mut Order| o.currency = "dollars".into(), "currency")]
#[case::too_many_extras(|o: &mut Order| o.extras = vec![o.extras[0].clone(); MAX_EXTRAS + 1], "extras")]
#[case::seq_beyond_i64(|o: &mut Order| o.seq = u64::MAX, "seq")]
#[case::request_far_future(|o: &mut Order| o.requests = vec![request(DateTime::<Utc>::MAX_UTC)], "requests[0].opened_at")]
#[case::request_negative_price(|o: &mut Order| { let mut r = request(at(2026)); r.price_minor = Some(-5); o.requests = vec![r] }, "requests[0].price_minor")]
#[case::rating_zero(|o: &mut Order| o.review = Some(Review { rating: 0, text: String::new(), posted_at: at(2026), reply: None }), "review.rating")]
fn absurd_orders_are_refused_naming_the_field(#[case] spoil: Spoil, #[case] field: &str) {
    let mut o = order();
    spoil(&mut o);
    let err = o.validate().expect_err("an absurd order must be refused");
    assert!(
        err.field.starts_with(field),
        "the error must name {field}, got {err}"
    );
}

type SpoilProfile = fn(&mut Profile);

#[rstest::rstest]
#[case::fee_above_100_percent(|p: &mut Profile| p.fee_bps = u32::MAX, "fee_bps")]
#[case::review_window_u32_max(|p: &mut Profile| p.review_window_days = u32::MAX, "review_window_days")]
#[case::clearance_u32_max(|p: &mut Profile| p.clearance_days = u32::MAX, "clearance_days")]
#[case::expiry_zero(|p: &mut Profile| p.request_expiry_hours = 0, "request_expiry_hours")]
#[case::expiry_u32_max(|p: &mut Profile| p.request_expiry_hours = u32::MAX, "request_expiry_hours")]
#[case::no_file_size(|p: &mut Profile| p.max_file_bytes = 0, "max_file_bytes")]
#[case::huge_notes(|p: &mut Profile| p.notes = vec![String::new(); 10_000], "notes")]
fn absurd_profiles_are_refused_naming_the_field(#[case] spoil: SpoilProfile, #[case] field: &str) {
    let mut p = profile();
    spoil(&mut p);
    let err = p.validate().expect_err("an absurd profile must be refused");
    assert_eq!(err.field, field, "the error must name the field: {err}");
}

#[test]
fn limits_leave_room_for_every_sum_and_span() {
    // The largest valid instant plus the longest span stays inside chrono's range.
    let latest = at(MAX_INSTANT_YEAR) - Duration::seconds(1);
    let span = days(MAX_SPAN_DAYS) + days(MAX_SPAN_DAYS) + hours(MAX_REQUEST_EXPIRY_HOURS);
    assert!(
        add(latest, span).is_some(),
        "valid instant + longest spans must fit"
    );
    assert!(
        add(at(MIN_INSTANT_YEAR), -span).is_some(),
        "and backwards too"
    );
    // A million orders of the largest gross sum without overflow.
    assert!(MAX_AMOUNT_MINOR.checked_mul(1_000_000).is_some());
    // Durations from a profile's u32 fields never panic, whatever the value.
    assert_eq!(days(u32::MAX), days(MAX_SPAN_DAYS));
    assert_eq!(hours(u32::MAX), hours(MAX_SPAN_DAYS * 24));
}

#[test]
fn an_overflowing_gross_is_none_and_never_panics() {
    let mut o = order();
    o.base_price_minor = i64::MAX;
    assert_eq!(
        o.checked_gross_minor(),
        None,
        "i64::MAX + 1500 does not fit"
    );
    assert_eq!(o.gross_minor(), i64::MAX, "the unchecked figure saturates");
}

#[test]
fn clock_offsets_beyond_a_week_are_not_believed() {
    let device = at(2026);
    assert_eq!(
        believable_offset(device + Duration::hours(3), device),
        Some(Duration::hours(3))
    );
    assert_eq!(believable_offset(device + Duration::days(8), device), None);
    assert_eq!(believable_offset(DateTime::<Utc>::MIN_UTC, device), None);
    assert_eq!(believable_offset(DateTime::<Utc>::MAX_UTC, device), None);
}

#[test]
fn text_limits_count_characters_not_bytes() {
    let accented = "é".repeat(MAX_TITLE_CHARS);
    assert!(
        check_text("title", &accented, MAX_TITLE_CHARS).is_ok(),
        "1000 two-byte chars fit"
    );
    assert!(check_text("title", &format!("{accented}é"), MAX_TITLE_CHARS).is_err());
}
