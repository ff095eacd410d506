//! Invoices and CSV exports of orders synced from the demo marketplace: numbers stay
//! gap-free across a restart and a month's batch, the PDF reads back with the order's
//! figures, CSV parses back to the store's sums, and a month's invoices add up to the
//! earnings view's completed money for that month.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{Datelike, FixedOffset, NaiveDate, Utc};
use common::pdf_text;
use sellerdesk_api::OrderStatus;
use sellerdesk_core::exports::PeriodKind;
use sellerdesk_core::store::{Account, Store};
use sellerdesk_core::{Workspace, system_clock};
use sellerdesk_invoice::{minor_from_decimal, parse_csv};
use sellerdesk_rules::{Bucket, breakdown, forecast};
use sellerdesk_sim::{RunningSim, SimConfig};

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap()
}

fn open(db: &Path, sim: &RunningSim) -> Workspace {
    common::seller_workspace(db, sim)
}

/// "SD-DEMO-000007 D-1001.pdf" → 7.
fn number_of(name: &str) -> u64 {
    name["SD-DEMO-".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn invoices_are_numbered_without_gaps_across_restarts_and_month_batches() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");
    let out = dir.path().join("exports");

    let ws = open(&db, &sim);
    assert!(ws.sync_once().await.error.is_none());
    let first = ws.save_invoice("demo", "D-1001", utc(), &out).unwrap();
    assert_eq!(first.name, "SD-DEMO-000001 D-1001.pdf");
    let order = ws.store().order("demo", "D-1001").unwrap().unwrap();
    let profile = ws.store().profile("demo").unwrap().unwrap();
    let figures = breakdown(&order, &profile).unwrap();
    let text = pdf_text(Path::new(&first.path));
    for want in [
        "SD-DEMO-000001",
        "D-1001",
        "Ana Seller",
        order.buyer.display_name.as_str(),
        order.title.as_str(),
    ] {
        assert!(
            text.contains(want),
            "the invoice must show {want:?}:\n{text}"
        );
    }
    let net = sellerdesk_invoice::decimal_amount(figures.net_minor, "USD");
    assert!(
        text.contains(&net),
        "the net {net} must be printed:\n{text}"
    );
    // A reprint keeps its number; the next order takes the next one.
    assert_eq!(
        ws.save_invoice("demo", "D-1001", utc(), &out).unwrap().name,
        first.name
    );
    assert_eq!(
        ws.save_invoice("demo", "D-1002", utc(), &out).unwrap().name,
        "SD-DEMO-000002 D-1002.pdf"
    );
    drop(ws);

    // After a restart: a month's batch continues the sequence.
    let ws = open(&db, &sim);
    let completed: Vec<_> = ws
        .store()
        .all_orders()
        .unwrap()
        .into_iter()
        .filter(|(_, o)| o.status == OrderStatus::Completed)
        .collect();
    let latest = completed
        .iter()
        .map(|(_, o)| o.completed_at.unwrap_or(o.updated_at))
        .max()
        .expect("the demo marketplace has completed orders");
    let batch = ws
        .export_month_invoices(latest.year(), latest.month(), utc(), &out)
        .unwrap();
    assert!(!batch.files.is_empty());
    let mut numbers: BTreeSet<u64> = batch.files.iter().map(|f| number_of(&f.name)).collect();
    numbers.extend([1, 2]);
    let max = *numbers.last().unwrap();
    assert_eq!(
        numbers,
        (1..=max).collect::<BTreeSet<u64>>(),
        "numbers are gap-free: {numbers:?}"
    );
    // The month's invoices add up to the earnings of the orders completed that month.
    let invoiced_net: i64 = batch
        .files
        .iter()
        .map(|f| {
            let id = f.name.split(' ').nth(1).unwrap().trim_end_matches(".pdf");
            let order = ws.store().order("demo", id).unwrap().unwrap();
            assert_eq!(order.status, OrderStatus::Completed, "{id} was completed");
            let text = pdf_text(Path::new(&f.path));
            assert!(text.contains("Paid"), "{id} is paid:\n{text}");
            breakdown(&order, &profile).unwrap().net_minor
        })
        .sum();
    let now = ws.server_now("demo").unwrap();
    let month_completed_net: i64 = completed
        .iter()
        .filter_map(|(_, o)| forecast(o, &profile, now).ok().flatten())
        .filter(|f| f.bucket != Bucket::Pending)
        .filter(|f| {
            f.expected_completion.year() == latest.year()
                && f.expected_completion.month() == latest.month()
        })
        .map(|f| f.net_minor)
        .sum();
    assert_eq!(invoiced_net, month_completed_net);
    assert!(ws.export_month_invoices(2026, 13, utc(), &out).is_err());
    sim.shutdown().await;
}

#[tokio::test]
async fn csv_exports_parse_back_to_the_stores_sums() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("s.db"), &sim);
    assert!(ws.sync_once().await.error.is_none());
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    let profile = ws.store().profile("demo").unwrap().unwrap();

    let csv = ws.orders_csv(from, to, utc()).unwrap();
    assert!(
        csv.starts_with('\u{feff}'),
        "a BOM so spreadsheets read UTF-8"
    );
    let rows = parse_csv(&csv).unwrap();
    let header = &rows[0];
    let net_col = header.iter().position(|h| h == "Net").unwrap();
    let id_col = header.iter().position(|h| h == "Order ID").unwrap();
    let csv_net: i64 = rows[1..]
        .iter()
        .map(|r| minor_from_decimal(&r[net_col], "USD").unwrap())
        .sum();
    let store_orders: Vec<_> = ws
        .store()
        .all_orders()
        .unwrap()
        .into_iter()
        .filter(|(_, o)| o.status != OrderStatus::Canceled)
        .collect();
    let store_net: i64 = store_orders
        .iter()
        .map(|(_, o)| breakdown(o, &profile).unwrap().net_minor)
        .sum();
    assert_eq!(rows.len() - 1, store_orders.len());
    assert_eq!(csv_net, store_net);
    let ids: BTreeSet<&str> = rows[1..].iter().map(|r| r[id_col].as_str()).collect();
    assert!(ids.contains("D-1001"));

    // A period with nothing in it is a header alone.
    let empty = ws
        .orders_csv(
            NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(1990, 1, 31).unwrap(),
            utc(),
        )
        .unwrap();
    assert_eq!(parse_csv(&empty).unwrap().len(), 1);

    for kind in [PeriodKind::Week, PeriodKind::Month] {
        let csv = ws.earnings_csv(from, to, kind, utc()).unwrap();
        let rows = parse_csv(&csv).unwrap();
        let col = |name: &str| rows[0].iter().position(|h| h.starts_with(name)).unwrap();
        let (p, c, a) = (col("Pending"), col("Clearing"), col("Available"));
        let total: i64 = rows[1..]
            .iter()
            .map(|r| {
                minor_from_decimal(&r[p], "USD").unwrap()
                    + minor_from_decimal(&r[c], "USD").unwrap()
                    + minor_from_decimal(&r[a], "USD").unwrap()
            })
            .sum();
        let view = ws.earnings(utc()).unwrap();
        let periods = match kind {
            PeriodKind::Week => &view.weeks,
            PeriodKind::Month => &view.months,
        };
        let view_total: i64 = periods
            .iter()
            .map(|p| p.pending_minor + p.clearing_minor + p.available_minor)
            .sum();
        assert_eq!(total, view_total, "{kind:?} earnings CSV equals the view");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn earnings_of_each_account_add_up_to_the_workspace_total() {
    let demo = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let mut config = SimConfig::demo(Utc::now());
    config.profile_id = "hostjane".into();
    config.token = "tok-hostjane".into();
    let hostjane = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = Workspace::with_store(
        Store::open_in_memory().unwrap(),
        vec![
            (
                Account::new("a", "Demo", &demo.base_url()),
                demo.token().into(),
            ),
            (
                Account::new("b", "HostJane", &hostjane.base_url()),
                hostjane.token().into(),
            ),
        ],
        false,
        system_clock(),
    )
    .unwrap();
    assert!(ws.sync_once().await.error.is_none());
    let all = ws.earnings(utc()).unwrap();
    let a = ws.earnings_of(utc(), Some("a")).unwrap();
    let b = ws.earnings_of(utc(), Some("b")).unwrap();
    assert!(a.order_count > 0 && b.order_count > 0);
    assert_eq!(a.order_count + b.order_count, all.order_count);
    let total = |v: &sellerdesk_core::earnings::EarningsView| -> i64 {
        v.months
            .iter()
            .map(|m| m.pending_minor + m.clearing_minor + m.available_minor)
            .sum()
    };
    assert_eq!(
        total(&a) + total(&b),
        total(&all),
        "per account sums to the total"
    );
    assert!(total(&a) > 0 && total(&b) > 0, "both accounts earn");
    let err = ws.earnings_of(utc(), Some("nobody")).unwrap_err();
    assert_eq!(err.code, sellerdesk_core::ErrorCode::InvalidInput);
}
