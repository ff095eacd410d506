//! The CSV exports written to a file and read back, by this crate's parser and by the
//! `csv` crate: one row per order, sums equal to the breakdowns they came from.

mod common;

use chrono::FixedOffset;
use common::{order, profile};
use sellerdesk_api::OrderStatus;
use sellerdesk_invoice::{
    CsvRow, EARNINGS_CSV_HEADER, EarningsRow, ORDERS_CSV_HEADER, earnings_csv, minor_from_decimal,
    orders_csv, parse_csv,
};
use sellerdesk_rules::{breakdown, forecast, totals_by_month};

fn orders() -> Vec<sellerdesk_api::Order> {
    let names = [
        "Zoë Müller",
        "Łukasz Nowak",
        "Trần Ngọc Anh",
        "Smith, \"Jr\"",
        "=cmd",
    ];
    (0..25)
        .map(|i| {
            let status = match i % 4 {
                0 => OrderStatus::InProgress,
                1 => OrderStatus::Delivered,
                _ => OrderStatus::Completed,
            };
            let extras: &[(&str, i64)] = if i % 2 == 0 {
                &[("Express, 24 h", 2_500)]
            } else {
                &[]
            };
            order(
                &format!("o-{i}"),
                names[i % names.len()],
                "EUR",
                4_999 + 1_000 * i as i64,
                extras,
                status,
            )
        })
        .collect()
}

fn read_back(path: &std::path::Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(&[0xef, 0xbb, 0xbf]),
        "the file must start with the UTF-8 BOM so Excel reads accents"
    );
    let text = String::from_utf8(bytes).unwrap();
    let ours = parse_csv(&text).unwrap();
    let theirs: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        ours, theirs,
        "our parser and the csv crate must read the same"
    );
    ours
}

#[test]
fn the_orders_export_round_trips_and_its_net_sums_to_the_breakdowns() {
    let p = profile(2000);
    let offset = FixedOffset::east_opt(3600).unwrap();
    let orders = orders();
    let rows: Vec<CsvRow> = orders
        .iter()
        .map(|o| CsvRow::from_order(o, &p, offset).unwrap())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.csv");
    std::fs::write(&path, orders_csv(&rows)).unwrap();

    let records = read_back(&path);
    assert_eq!(records[0], ORDERS_CSV_HEADER.to_vec(), "a header row first");
    assert_eq!(records.len(), orders.len() + 1, "one row per order");
    let column = |name: &str| {
        ORDERS_CSV_HEADER
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let sum = |name: &str| -> i64 {
        records[1..]
            .iter()
            .map(|r| minor_from_decimal(&r[column(name)], "USD").unwrap())
            .sum()
    };
    let want = |f: fn(&sellerdesk_rules::Breakdown) -> i64| -> i64 {
        orders.iter().map(|o| f(&breakdown(o, &p).unwrap())).sum()
    };
    assert_eq!(
        sum("Net"),
        want(|b| b.net_minor),
        "the Net column must sum to the orders' nets"
    );
    assert_eq!(sum("Gross"), want(|b| b.gross_minor));
    assert_eq!(sum("Fee"), want(|b| b.fee_minor));
    for (record, o) in records[1..].iter().zip(&orders) {
        assert_eq!(record[column("Order ID")], o.id);
        assert_eq!(record[column("Currency")], "EUR");
        let buyer = &record[column("Buyer")];
        assert!(
            *buyer == o.buyer.display_name || *buyer == format!("'{}", o.buyer.display_name),
            "buyer {buyer:?} must read back as {:?} (apostrophe only before a formula)",
            o.buyer.display_name
        );
        let date = &record[column("Date")];
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "dates must be ISO YYYY-MM-DD, got {date:?}"
        );
    }
}

#[test]
fn the_earnings_export_sums_to_the_forecasts() {
    let p = profile(2000);
    let now = common::at(31, 0);
    let offset = FixedOffset::east_opt(0).unwrap();
    let forecasts: Vec<_> = orders()
        .iter()
        .filter_map(|o| forecast(o, &p, now).unwrap())
        .collect();
    let rows: Vec<EarningsRow> = totals_by_month(&forecasts, offset)
        .iter()
        .map(|t| EarningsRow::from_total("Fiverr", t))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("earnings.csv");
    std::fs::write(&path, earnings_csv(&rows)).unwrap();

    let records = read_back(&path);
    assert_eq!(records[0], EARNINGS_CSV_HEADER.to_vec());
    let total: i64 = records[1..]
        .iter()
        .map(|r| minor_from_decimal(&r[7], "USD").unwrap())
        .sum();
    assert_eq!(
        total,
        forecasts.iter().map(|f| f.net_minor).sum::<i64>(),
        "the Total column must sum to the forecast nets"
    );
    for r in &records[1..] {
        let buckets: i64 = r[4..7]
            .iter()
            .map(|v| minor_from_decimal(v, "USD").unwrap())
            .sum();
        assert_eq!(
            buckets,
            minor_from_decimal(&r[7], "USD").unwrap(),
            "pending + clearing + available must equal the row total"
        );
    }
}
