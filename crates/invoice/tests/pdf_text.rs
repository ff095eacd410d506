//! The invoice PDF read back by poppler's pdftotext: every figure and name must come out
//! as text, non-Latin names and "€" included, with the bundled font embedded.

mod common;

use std::path::Path;
use std::process::Command;

use common::{issue_date, order, profile, seller};
use rstest::rstest;
use sellerdesk_api::OrderStatus;
use sellerdesk_invoice::{InvoiceData, InvoiceStatus, money_label, render_pdf};

/// Runs a poppler tool, failing (never skipping) with the package to install.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{tool}` ({e}): install the Debian package poppler-utils \
                 (apt-get install poppler-utils); the invoice tests need it"
            )
        });
    assert!(
        out.status.success(),
        "{tool} must read the invoice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{tool} printed non-UTF-8: {e}"))
}

/// Writes the invoice to a temp dir and returns the text pdftotext extracts.
fn rendered_text(data: &InvoiceData, dir: &Path) -> String {
    let pdf = render_pdf(data).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "the output must be a PDF file");
    let path = dir.join(format!("{}.pdf", data.number));
    std::fs::write(&path, &pdf).unwrap();
    poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &path)
}

/// One invoice to render and what its text must show.
struct Case {
    number: &'static str,
    buyer: &'static str,
    currency: &'static str,
    base: i64,
    extras: &'static [(&'static str, i64)],
    status: OrderStatus,
    status_label: &'static str,
    /// Amounts worked out by hand: lines, subtotal, negated fee, net.
    figures: &'static [&'static str],
}

#[rstest]
#[case::euro_with_an_extra(Case {
    number: "SD-DEMO-000042",
    buyer: "Zoë Müller",
    currency: "EUR",
    base: 12_000,
    extras: &[("Express 24 h", 2_500)],
    status: OrderStatus::Completed,
    status_label: "Paid",
    figures: &["€120.00", "€25.00", "€145.00", "-€29.00", "€116.00"],
})]
#[case::dollars_with_grouping_pending(Case {
    number: "SD-DEMO-000043",
    buyer: "Trần Ngọc Anh",
    currency: "USD",
    base: 120_000,
    extras: &[("Stems", 3_000), ("Rush", 450)],
    status: OrderStatus::Delivered,
    status_label: "Pending",
    figures: &["$1,200.00", "$30.00", "$4.50", "$1,234.50", "-$246.90", "$987.60"],
})]
fn every_figure_and_name_is_in_the_pdf_text(#[case] case: Case) {
    let Case {
        number,
        buyer,
        currency,
        base,
        extras,
        status,
        status_label,
        figures,
    } = case;
    let o = order("o-4711", buyer, currency, base, extras, status);
    let data =
        InvoiceData::from_order(number.into(), issue_date(), seller(), &o, &profile(2000)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = rendered_text(&data, dir.path());

    let mut expected: Vec<String> = vec![
        "Sales invoice".into(),
        number.into(),
        "2026-03-14".into(),
        buyer.into(),
        "Łukasz Nowak".into(),
        "ul. Świętokrzyska 12".into(),
        "VAT PL5260250274".into(),
        "o-4711".into(),
        "Podcast intro and outro".into(),
        "Fiverr".into(),
        "Marketplace fee (20 %)".into(),
        "Net to seller".into(),
        currency.into(),
        status_label.into(),
    ];
    expected.extend(figures.iter().map(|f| f.to_string()));
    for (description, amount) in &data.lines {
        expected.push(description.clone());
        expected.push(money_label(*amount, currency));
    }
    expected.push(money_label(data.gross_minor, currency));
    expected.push(money_label(-data.fee_minor, currency));
    expected.push(money_label(data.net_minor, currency));
    for want in &expected {
        assert!(
            text.contains(want.as_str()),
            "the invoice text must contain {want:?}; pdftotext gave:\n{text}"
        );
    }
    let want_status = if status == OrderStatus::Completed {
        InvoiceStatus::Paid
    } else {
        InvoiceStatus::Pending
    };
    assert_eq!(data.status, want_status);
    if currency == "EUR" {
        assert!(text.contains('€'), "the euro sign must render as text");
    }
}

#[test]
fn the_bundled_font_is_embedded_as_a_subset() {
    let o = order(
        "o-1",
        "Zoë Müller",
        "EUR",
        5_000,
        &[],
        OrderStatus::Completed,
    );
    let data = InvoiceData::from_order(
        "SD-X-000001".into(),
        issue_date(),
        seller(),
        &o,
        &profile(2000),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, render_pdf(&data).unwrap()).unwrap();
    let out = Command::new("pdffonts")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `pdffonts` ({e}): install the Debian package poppler-utils")
        });
    let listing = String::from_utf8_lossy(&out.stdout);
    let fonts: Vec<&str> = listing.lines().skip(2).collect();
    assert!(
        fonts.len() >= 2 && fonts.iter().all(|l| l.contains("DejaVuSans")),
        "regular and bold DejaVu Sans must be the only fonts: {listing}"
    );
    assert!(
        fonts
            .iter()
            .all(|l| l.split_whitespace().rev().nth(4) == Some("yes")),
        "every font must be embedded (no reliance on the reader's fonts): {listing}"
    );
}

#[test]
fn a_long_invoice_keeps_every_line_across_pages() {
    let extras: Vec<(String, i64)> = (1..=60)
        .map(|i| (format!("Extra verse {i}"), 100 * i))
        .collect();
    let extra_refs: Vec<(&str, i64)> = extras.iter().map(|(t, p)| (t.as_str(), *p)).collect();
    let o = order(
        "o-long",
        "Łukasz Nowak",
        "GBP",
        10_000,
        &extra_refs,
        OrderStatus::Completed,
    );
    let data = InvoiceData::from_order(
        "SD-X-000002".into(),
        issue_date(),
        seller(),
        &o,
        &profile(1250),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = rendered_text(&data, dir.path());
    assert!(
        text.contains("Page 2 of"),
        "61 lines must continue on a second page"
    );
    for (title, price) in &extras {
        let amount = money_label(*price, "GBP");
        assert!(
            text.contains(title.as_str()) && text.contains(&amount),
            "{title} at {amount} must be printed"
        );
    }
    assert!(text.contains("Marketplace fee (12.5 %)"));
    assert!(text.contains(&money_label(data.net_minor, "GBP")));
}

#[test]
fn the_same_invoice_gives_the_same_bytes() {
    let o = order(
        "o-1",
        "Zoë Müller",
        "EUR",
        5_000,
        &[],
        OrderStatus::Completed,
    );
    let data = InvoiceData::from_order(
        "SD-X-000003".into(),
        issue_date(),
        seller(),
        &o,
        &profile(2000),
    )
    .unwrap();
    assert_eq!(
        render_pdf(&data).unwrap(),
        render_pdf(&data).unwrap(),
        "rendering must not depend on the clock or on anything but the invoice"
    );
}

#[test]
#[ignore = "writes a sample to $INVOICE_SAMPLE for a person to look at"]
fn write_sample() {
    let o = order(
        "o-4711",
        "Trần Ngọc Anh",
        "EUR",
        12_000,
        &[("Express 24 h", 2_500), ("Source files", 1_000)],
        OrderStatus::Completed,
    );
    let data = InvoiceData::from_order(
        "SD-DEMO-000042".into(),
        issue_date(),
        seller(),
        &o,
        &profile(2000),
    )
    .unwrap();
    let path = std::env::var("INVOICE_SAMPLE").expect("set INVOICE_SAMPLE to the file to write");
    std::fs::write(path, render_pdf(&data).unwrap()).unwrap();
}
