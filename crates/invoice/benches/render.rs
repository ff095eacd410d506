//! Benchmark (not a test): time to render 1,000 sales invoices and their average PDF
//! size, plus the CSV export of the same orders. Run with
//! `cargo bench -p sellerdesk-invoice --bench render`; prints figures (each the median,
//! min and max of five runs), asserts nothing.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../../core/benches/common/figures.rs"]
mod figures;

use std::time::{Duration, Instant};

use sellerdesk_api::OrderStatus;
use sellerdesk_invoice::{
    CsvRow, InvoiceData, InvoiceError, invoice_number_label, orders_csv, render_pdf,
};

const INVOICES: usize = 1_000;
const RUNS: usize = 5;
const BUYERS: [&str; 4] = ["Zoë Müller", "Łukasz Nowak", "Trần Ngọc Anh", "Ana Souza"];
const CURRENCIES: [&str; 3] = ["USD", "EUR", "GBP"];
const EXTRAS: [(&str, i64); 3] = [
    ("Express 24 h", 2_500),
    ("Source files", 1_000),
    ("Extra revision", 1_500),
];

fn main() -> Result<(), InvoiceError> {
    let profile = common::profile(2000);
    let orders: Vec<_> = (0..INVOICES)
        .map(|i| {
            let status = if i % 3 == 0 {
                OrderStatus::Delivered
            } else {
                OrderStatus::Completed
            };
            common::order(
                &format!("o-{i}"),
                BUYERS[i % BUYERS.len()],
                CURRENCIES[i % CURRENCIES.len()],
                5_000 + (i as i64 % 50) * 1_000,
                &EXTRAS[..i % (EXTRAS.len() + 1)],
                status,
            )
        })
        .collect();

    // The first render loads and hashes the bundled fonts: time it apart.
    let first = Instant::now();
    let warm = InvoiceData::from_order(
        invoice_number_label("bench", 0),
        common::issue_date(),
        common::seller(),
        &orders[0],
        &profile,
    )?;
    render_pdf(&warm)?;
    let first = first.elapsed();
    println!(
        "first invoice (loads the bundled fonts): {:.1} ms",
        first.as_secs_f64() * 1e3
    );

    let (mut totals, mut p95s, mut csvs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (total, p95, csv) = run(&orders, &profile)?;
        totals.push(total);
        p95s.push(p95);
        csvs.push(csv);
    }
    figures::figure(
        &format!("{INVOICES} sales invoice PDFs"),
        "ms",
        &totals,
        None,
    );
    figures::figure("one invoice PDF, p95 of a run", "ms", &p95s, None);
    figures::figure(&format!("CSV of {INVOICES} orders"), "ms", &csvs, None);
    Ok(())
}

/// One run: (total ms of the invoices, p95 ms of one, ms of the CSV).
fn run(
    orders: &[sellerdesk_api::Order],
    profile: &sellerdesk_api::Profile,
) -> Result<(f64, f64, f64), InvoiceError> {
    let mut times: Vec<Duration> = Vec::with_capacity(INVOICES);
    let mut bytes = 0usize;
    let start = Instant::now();
    for (i, order) in orders.iter().enumerate() {
        let t = Instant::now();
        let data = InvoiceData::from_order(
            invoice_number_label("bench", i as u64 + 1),
            common::issue_date(),
            common::seller(),
            order,
            profile,
        )?;
        let pdf = render_pdf(&data)?;
        times.push(t.elapsed());
        bytes += pdf.len();
    }
    let total = start.elapsed();
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;

    let offset = chrono::Offset::fix(&chrono::Utc);
    let csv_start = Instant::now();
    let rows = orders
        .iter()
        .map(|o| CsvRow::from_order(o, profile, offset))
        .collect::<Result<Vec<_>, _>>()?;
    let csv = orders_csv(&rows);
    let csv_time = csv_start.elapsed();

    println!(
        "{INVOICES} invoices rendered in {:.0} ms: {:.2} ms each on average, median {:.2} ms, p95 {:.2} ms",
        ms(total),
        ms(total) / INVOICES as f64,
        ms(times[INVOICES / 2]),
        ms(times[INVOICES * 95 / 100]),
    );
    println!(
        "average PDF size {:.1} KB ({} bytes in all)",
        bytes as f64 / INVOICES as f64 / 1024.0,
        bytes
    );
    println!(
        "orders CSV of {INVOICES} rows: {:.1} KB in {:.2} ms",
        csv.len() as f64 / 1024.0,
        ms(csv_time)
    );
    Ok((ms(total), ms(times[INVOICES * 95 / 100]), ms(csv_time)))
}
