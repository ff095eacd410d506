//! Tests of the CSV writer and parser: quoting, BOM, formula neutralizing, round trips
//! through this parser and through the `csv` crate.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use rstest::rstest;
use sellerdesk_api::{Buyer, Extra};

use super::*;
use crate::minor_from_decimal;

fn row(id: &str, buyer: &str, title: &str, net: i64) -> CsvRow {
    CsvRow {
        order_id: id.into(),
        date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        date_kind: DateKind::Completed,
        marketplace: "Fiverr".into(),
        buyer: buyer.into(),
        title: title.into(),
        status: "Completed".into(),
        currency: "EUR".into(),
        gross_minor: net + net / 4,
        fee_minor: net / 4,
        net_minor: net,
    }
}

/// Reads a CSV with the `csv` crate, a parser written by someone else.
fn read_with_csv_crate(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_export_starts_with_a_bom_and_the_header() {
    let text = orders_csv(&[row("o-1", "Zoë Müller", "Logo", 11_600)]);
    assert!(
        text.starts_with("\u{feff}Order ID,Date,Date type,Marketplace,Buyer,Title,Status,Currency,Gross,Fee,Net\r\n"),
        "a BOM then the header, CRLF-terminated: {text:?}"
    );
    assert!(
        text.ends_with(
            "o-1,2026-03-14,completed,Fiverr,Zoë Müller,Logo,Completed,EUR,145.00,29.00,116.00\r\n"
        ),
        "ISO date, plain decimals, currency column: {text:?}"
    );
}

#[rstest]
#[case("plain", "plain")]
#[case("Smith, John", "\"Smith, John\"")]
#[case("the \"best\" logo", "\"the \"\"best\"\" logo\"")]
#[case("two\nlines", "\"two\nlines\"")]
#[case("cr\r\nlf", "\"cr\r\nlf\"")]
#[case("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
#[case("+1 555", "'+1 555")]
#[case("-rf", "'-rf")]
#[case("@SUM(A1)", "'@SUM(A1)")]
#[case("Łukasz Nowak", "Łukasz Nowak")]
fn text_fields_are_quoted_and_neutralized(#[case] buyer: &str, #[case] written: &str) {
    let text = orders_csv(&[row("o-1", buyer, "t", 100)]);
    let line = text.lines().nth(1).unwrap_or_default();
    assert!(
        text.contains(&format!(",Fiverr,{written},t,")),
        "buyer {buyer:?} must be written as {written:?}, got line {line:?}"
    );
}

#[test]
fn negative_amounts_are_plain_decimals_not_formulas() {
    let mut r = row("o-1", "B", "t", 0);
    r.net_minor = -2_900;
    let text = orders_csv(&[r]);
    assert!(
        text.contains(",-29.00\r\n"),
        "a negative amount stays a number: {text:?}"
    );
}

#[test]
fn earnings_rows_label_weeks_and_months() {
    let week = EarningsRow {
        period: Period::IsoWeek {
            year: 2026,
            week: 3,
        },
        starts_on: NaiveDate::from_ymd_opt(2026, 1, 12).unwrap(),
        marketplace: "HostJane".into(),
        currency: "USD".into(),
        pending_minor: 1_000,
        clearing_minor: 250,
        available_minor: 5,
    };
    let month = EarningsRow {
        period: Period::Month {
            year: 2026,
            month: 2,
        },
        starts_on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        ..week.clone()
    };
    let text = earnings_csv(&[week, month]);
    let records = parse_csv(&text).unwrap();
    assert_eq!(records[0], EARNINGS_CSV_HEADER.to_vec());
    assert_eq!(
        records[1],
        vec![
            "2026-W03",
            "2026-01-12",
            "HostJane",
            "USD",
            "10.00",
            "2.50",
            "0.05",
            "12.55"
        ],
        "a week row, its total the sum of the three buckets"
    );
    assert_eq!(records[2][0], "2026-02", "a month is labelled YYYY-MM");
}

#[test]
fn rows_from_orders_take_the_breakdown_and_the_right_date() {
    let t = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap();
    let mut order = sellerdesk_api::Order {
        id: "o-9".into(),
        title: "Mixing".into(),
        buyer: Buyer {
            username: "anh".into(),
            display_name: "Trần Ngọc Anh".into(),
            country: None,
        },
        status: OrderStatus::InProgress,
        currency: "USD".into(),
        base_price_minor: 10_000,
        extras: vec![Extra {
            title: "Stems".into(),
            price_minor: 4_550,
        }],
        revisions_included: 1,
        revisions_used: 0,
        created_at: t(1, 0),
        due_at: t(10, 23),
        delivered_at: None,
        completed_at: None,
        requests: vec![],
        review: None,
        messages: Vec::new(),
        review_extension_days: 0,
        updated_at: t(2, 0),
        seq: 3,
    };
    let profile = crate::data::tests::profile();
    let plus_two = FixedOffset::east_opt(2 * 3600).unwrap();
    let due = CsvRow::from_order(&order, &profile, plus_two).unwrap();
    assert_eq!(due.date_kind, DateKind::Due);
    assert_eq!(
        due.date,
        NaiveDate::from_ymd_opt(2026, 3, 11).unwrap(),
        "23:00 UTC on the 10th is the 11th at UTC+2"
    );
    let b = breakdown(&order, &profile).unwrap();
    assert_eq!(
        (due.gross_minor, due.fee_minor, due.net_minor),
        (b.gross_minor, b.fee_minor, b.net_minor),
        "figures must be the breakdown's"
    );
    order.status = OrderStatus::Completed;
    order.completed_at = Some(t(5, 12));
    let done = CsvRow::from_order(&order, &profile, plus_two).unwrap();
    assert_eq!(
        (done.date_kind, done.date),
        (
            DateKind::Completed,
            NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
        )
    );
    order.completed_at = None;
    let fallback = CsvRow::from_order(&order, &profile, plus_two).unwrap();
    assert_eq!(
        fallback.date,
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        "a completed order without completed_at dates from its last update"
    );
}

#[rstest]
#[case("a,\"b", "never closed")]
#[case("a,\"b\"c", "after a closing quote")]
#[case("a,b\"c", "inside an unquoted field")]
#[case("a\rb", "carriage return")]
fn malformed_csv_is_refused_with_the_line(#[case] text: &str, #[case] why: &str) {
    match parse_csv(text) {
        Err(InvoiceError::Csv { line: 1, message }) => {
            assert!(message.contains(why), "{text:?}: {message}")
        }
        other => panic!("{text:?} must be refused on line 1, got {other:?}"),
    }
}

#[test]
fn the_parser_accepts_lf_and_a_missing_final_newline() {
    assert_eq!(
        parse_csv("a,b\nc,\"d\"").unwrap(),
        vec![vec!["a", "b"], vec!["c", "d"]]
    );
    assert_eq!(parse_csv("").unwrap(), Vec::<Vec<String>>::new());
    assert_eq!(parse_csv("x,").unwrap(), vec![vec!["x", ""]]);
}

fn expected_text(s: &str) -> String {
    if starts_like_formula(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

proptest! {
    #[test]
    fn any_text_and_amount_round_trip(
        rows in prop::collection::vec(
            ("[a-z0-9-]{1,8}", "\\PC{0,12}|[,\"\r\n =+@-]{0,6}", "\\PC{0,20}", -1_000_000i64..1_000_000_000),
            0..12,
        )
    ) {
        let input: Vec<CsvRow> = rows
            .iter()
            .map(|(id, buyer, title, net)| row(id, buyer, title, *net))
            .collect();
        let text = orders_csv(&input);
        let ours = parse_csv(&text).unwrap();
        let theirs = read_with_csv_crate(&text);
        prop_assert_eq!(&ours, &theirs, "our parser and the csv crate must agree");
        prop_assert_eq!(ours.len(), input.len() + 1, "one record per row plus the header");
        let mut net_sum = 0i64;
        for (record, r) in ours[1..].iter().zip(&input) {
            prop_assert_eq!(record.len(), ORDERS_CSV_HEADER.len());
            prop_assert_eq!(&record[4], &expected_text(&r.buyer), "buyer must survive");
            prop_assert_eq!(&record[5], &expected_text(&r.title), "title must survive");
            prop_assert_eq!(minor_from_decimal(&record[8], "USD").unwrap(), r.gross_minor);
            prop_assert_eq!(minor_from_decimal(&record[9], "USD").unwrap(), r.fee_minor);
            net_sum += minor_from_decimal(&record[10], "USD").unwrap();
        }
        prop_assert_eq!(
            net_sum,
            input.iter().map(|r| r.net_minor).sum::<i64>(),
            "the net column must sum to the rows' net"
        );
    }
}
