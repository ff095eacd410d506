//! Tests of the page layout: everything inside the margins, long invoices paginate.

use chrono::NaiveDate;

use super::*;
use crate::text::typefaces;
use crate::{InvoiceStatus, Party};

fn invoice(extras: usize, title: &str) -> InvoiceData {
    let mut lines = vec![(format!("Base package: {title}"), 12_000)];
    lines.extend((0..extras).map(|i| (format!("Extra: revision {i}"), 1_000)));
    let gross = lines.iter().map(|(_, a)| a).sum::<i64>();
    InvoiceData {
        number: "SD-DEMO-000042".into(),
        issue_date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        seller: Party::new("Ana Seller", ["Rua Augusta 1".to_string()]),
        buyer: Party::new("Zoë Müller", ["@zoe on Fiverr".to_string()]),
        order_id: "o-1".into(),
        order_title: title.into(),
        marketplace: "Fiverr".into(),
        currency: "EUR".into(),
        lines,
        gross_minor: gross,
        fee_label: "Marketplace fee (20 %)".into(),
        fee_minor: gross / 5,
        net_minor: gross - gross / 5,
        status: InvoiceStatus::Paid,
    }
}

fn texts(page: &Page) -> Vec<&str> {
    page.iter()
        .filter_map(|op| match op {
            Op::Text { line, .. } => Some(line.text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_text_stays_inside_the_margins() {
    let long_title = "A very long order title that goes on and on about a logo, a brand \
                      guide, social media kits and a landing page mock-up for a bakery";
    for data in [invoice(2, "Logo"), invoice(80, long_title)] {
        for (p, page) in layout(&data, typefaces().unwrap()).iter().enumerate() {
            for op in page {
                if let Op::Text { x, y, line, .. } = op {
                    assert!(
                        *x >= MARGIN - 0.01 && x + line.width <= RIGHT + 0.01,
                        "{:?} on page {} must fit between the side margins (x {x}, width {})",
                        line.text,
                        p + 1,
                        line.width
                    );
                    assert!(
                        *y >= MARGIN && *y <= PAGE_HEIGHT - MARGIN / 2.0,
                        "{:?} on page {} must be on the page (y {y})",
                        line.text,
                        p + 1
                    );
                }
            }
        }
    }
}

#[test]
fn a_short_invoice_is_one_page() {
    let pages = layout(&invoice(3, "Logo"), typefaces().unwrap());
    assert_eq!(
        pages.len(),
        1,
        "an order with a few extras fits on one page"
    );
    assert!(
        texts(&pages[0]).contains(&"Page 1 of 1"),
        "the footer must number the page"
    );
}

#[test]
fn many_extras_continue_on_more_pages_with_the_table_header_repeated() {
    let data = invoice(80, "Logo");
    let pages = layout(&data, typefaces().unwrap());
    assert!(pages.len() >= 2, "81 lines cannot fit one page");
    for (i, page) in pages.iter().enumerate() {
        let t = texts(page);
        let label = format!("Page {} of {}", i + 1, pages.len());
        assert!(
            t.contains(&label.as_str()),
            "page {} must say {label}",
            i + 1
        );
        assert!(
            t.contains(&"Sales invoice SD-DEMO-000042"),
            "every page must carry the invoice number"
        );
    }
    assert!(
        texts(&pages[1]).contains(&"Description"),
        "a continued table must repeat its header"
    );
    let all: Vec<&str> = pages.iter().flat_map(texts).collect();
    for i in 0..80 {
        let line = format!("Extra: revision {i}");
        assert!(all.contains(&line.as_str()), "{line} must be printed");
    }
    assert!(
        all.contains(&"Net to seller"),
        "the totals must follow the last line"
    );
}

#[test]
fn an_absurdly_long_field_is_cut_not_run_off_the_page() {
    let mut data = invoice(1, "Logo");
    data.lines[1].0 = "word ".repeat(2_000);
    let pages = layout(&data, typefaces().unwrap());
    for page in &pages {
        for op in page {
            if let Op::Text { y, line, .. } = op {
                assert!(
                    *y <= PAGE_HEIGHT - MARGIN / 2.0,
                    "{:?} must stay on the page (y {y})",
                    line.text
                );
            }
        }
    }
    let all: Vec<&str> = pages.iter().flat_map(texts).collect();
    assert!(
        all.iter().any(|t| t.ends_with('…')),
        "a cut field must end in an ellipsis"
    );
}
