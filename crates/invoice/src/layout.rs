//! Where everything goes on the A4 page, decided before any PDF is written: the layout is
//! a list of pages, each a list of drawing operations in points (origin top left).
//! Keeping it apart from the PDF writer lets tests check positions and page breaks.

use crate::data::InvoiceData;
use crate::money::money_label;
use crate::text::{Shaped, Typefaces, Weight};

/// A4 in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
pub(crate) const MARGIN: f32 = 56.0;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;
const CONTENT_WIDTH: f32 = RIGHT - MARGIN;
/// Content stops here; the footer sits below.
const BOTTOM: f32 = PAGE_HEIGHT - MARGIN - 14.0;

const BODY: f32 = 10.0;
const SMALL: f32 = 8.5;
const LEADING: f32 = 1.4;

/// Grey levels (0 black, 255 white).
const INK: u8 = 0x1a;
const MUTED: u8 = 0x66;
const HAIRLINE: u8 = 0xcc;
const BAND: u8 = 0xee;

/// Width of the amount column of the line table.
const AMOUNT_COLUMN: f32 = 130.0;
const CELL_PAD: f32 = 8.0;
/// No single field may take more lines than this.
const MAX_WRAPPED_LINES: usize = 12;

#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// A shaped line whose baseline starts at (x, y).
    Text {
        x: f32,
        y: f32,
        line: Shaped,
        gray: u8,
    },
    /// A horizontal rule.
    Rule { x1: f32, x2: f32, y: f32, gray: u8 },
    /// A filled rectangle.
    Band {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: u8,
    },
}

pub(crate) type Page = Vec<Op>;

/// Lays the invoice out on as many A4 pages as its lines need.
pub(crate) fn layout(data: &InvoiceData, faces: &Typefaces) -> Vec<Page> {
    let mut l = Layout {
        faces,
        pages: vec![Vec::new()],
        y: MARGIN,
    };
    header(&mut l, data);
    parties(&mut l, data);
    order_block(&mut l, data);
    line_table(&mut l, data);
    totals(&mut l, data);
    closing_note(&mut l, data);
    footers(&mut l, data);
    l.pages
}

struct Layout<'a> {
    faces: &'a Typefaces,
    pages: Vec<Page>,
    /// Top of the free space on the current page.
    y: f32,
}

impl Layout<'_> {
    fn shape(&self, text: &str, size: f32, weight: Weight) -> Shaped {
        self.faces.get(weight).shape(text, size, weight)
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn text(&mut self, x: f32, y: f32, text: &str, size: f32, weight: Weight, gray: u8) {
        let line = self.shape(text, size, weight);
        self.push(Op::Text { x, y, line, gray });
    }

    /// Text whose right edge is at `right`.
    fn text_right(&mut self, right: f32, y: f32, text: &str, size: f32, weight: Weight) {
        let line = self.shape(text, size, weight);
        let x = right - line.width;
        self.push(Op::Text {
            x,
            y,
            line,
            gray: INK,
        });
    }

    /// `text` wrapped to `width`, at most [`MAX_WRAPPED_LINES`] lines (the last one
    /// ending in "…" when cut), so one absurdly long field cannot run off the page.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = self.faces.get(Weight::Regular).wrap(text, size, width);
        if lines.len() > MAX_WRAPPED_LINES {
            lines.truncate(MAX_WRAPPED_LINES);
            if let Some(last) = lines.last_mut() {
                last.pop();
                last.push('…');
            }
        }
        lines
    }

    /// Starts a new page unless `height` more points fit on this one. Returns whether it did.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height <= BOTTOM {
            return false;
        }
        self.pages.push(Vec::new());
        self.y = MARGIN;
        true
    }
}

fn line_height(size: f32) -> f32 {
    size * LEADING
}

fn header(l: &mut Layout<'_>, d: &InvoiceData) {
    l.text(
        MARGIN,
        MARGIN + 20.0,
        "Sales invoice",
        22.0,
        Weight::Bold,
        INK,
    );
    let rows = [
        ("Invoice number", d.number.as_str()),
        ("Issue date", &d.issue_date.format("%Y-%m-%d").to_string()),
        ("Status", d.status.label()),
        ("Currency", d.currency.as_str()),
    ]
    .map(|(k, v)| (k, v.to_string()));
    let label_x = RIGHT - 220.0;
    let mut y = MARGIN + 8.0;
    for (label, value) in rows {
        l.text(label_x, y, label, SMALL, Weight::Regular, MUTED);
        l.text_right(RIGHT, y, &value, BODY, Weight::Bold);
        y += line_height(BODY) + 1.0;
    }
    l.y = y + 18.0;
}

fn parties(l: &mut Layout<'_>, d: &InvoiceData) {
    let column = CONTENT_WIDTH / 2.0 - 12.0;
    let start = l.y;
    let mut bottom = start;
    for (x, label, party) in [
        (MARGIN, "From", &d.seller),
        (MARGIN + CONTENT_WIDTH / 2.0 + 12.0, "Bill to", &d.buyer),
    ] {
        let mut y = start + SMALL;
        l.text(x, y, label, SMALL, Weight::Regular, MUTED);
        y += line_height(SMALL) + 4.0;
        for name_line in l.faces.get(Weight::Bold).wrap(&party.name, 12.0, column) {
            l.text(x, y, &name_line, 12.0, Weight::Bold, INK);
            y += line_height(12.0);
        }
        for line in &party.lines {
            for wrapped in l.wrap(line, BODY, column) {
                l.text(x, y, &wrapped, BODY, Weight::Regular, INK);
                y += line_height(BODY);
            }
        }
        bottom = bottom.max(y);
    }
    l.y = bottom + 14.0;
}

fn order_block(l: &mut Layout<'_>, d: &InvoiceData) {
    let value_x = MARGIN + 110.0;
    let width = RIGHT - value_x;
    for (label, value) in [
        ("Order reference", d.order_id.as_str()),
        ("Order", d.order_title.as_str()),
        ("Marketplace", d.marketplace.as_str()),
    ] {
        let lines = l.wrap(value, BODY, width);
        l.ensure(line_height(BODY) * lines.len() as f32);
        let mut y = l.y + BODY;
        l.text(MARGIN, y, label, SMALL, Weight::Regular, MUTED);
        for line in lines {
            l.text(value_x, y, &line, BODY, Weight::Regular, INK);
            y += line_height(BODY);
        }
        l.y = y - BODY + 3.0;
    }
    l.y += 16.0;
}

fn table_header(l: &mut Layout<'_>, currency: &str) {
    let h = 20.0;
    l.push(Op::Band {
        x: MARGIN,
        y: l.y,
        w: CONTENT_WIDTH,
        h,
        gray: BAND,
    });
    let baseline = l.y + 13.5;
    l.text(
        MARGIN + CELL_PAD,
        baseline,
        "Description",
        SMALL,
        Weight::Bold,
        INK,
    );
    l.text_right(
        RIGHT - CELL_PAD,
        baseline,
        &format!("Amount ({currency})"),
        SMALL,
        Weight::Bold,
    );
    l.y += h;
}

fn line_table(l: &mut Layout<'_>, d: &InvoiceData) {
    l.ensure(20.0 + 3.0 * line_height(BODY));
    table_header(l, &d.currency);
    let width = CONTENT_WIDTH - AMOUNT_COLUMN - 2.0 * CELL_PAD;
    for (description, amount) in &d.lines {
        let lines = l.wrap(description, BODY, width);
        let height = line_height(BODY) * lines.len() as f32 + 8.0;
        if l.ensure(height) {
            table_header(l, &d.currency);
        }
        let mut y = l.y + 4.0 + BODY;
        l.text_right(
            RIGHT - CELL_PAD,
            y,
            &money_label(*amount, &d.currency),
            BODY,
            Weight::Regular,
        );
        for line in lines {
            l.text(MARGIN + CELL_PAD, y, &line, BODY, Weight::Regular, INK);
            y += line_height(BODY);
        }
        l.y += height;
        l.push(Op::Rule {
            x1: MARGIN,
            x2: RIGHT,
            y: l.y,
            gray: HAIRLINE,
        });
    }
    l.y += 10.0;
}

fn totals(l: &mut Layout<'_>, d: &InvoiceData) {
    let rows = [
        ("Subtotal", d.gross_minor, Weight::Regular),
        (d.fee_label.as_str(), -d.fee_minor, Weight::Regular),
        ("Net to seller", d.net_minor, Weight::Bold),
    ];
    let step = line_height(BODY) + 4.0;
    l.ensure(step * rows.len() as f32 + 10.0);
    let label_x = RIGHT - 260.0;
    for (i, (label, amount, weight)) in rows.into_iter().enumerate() {
        if i == rows.len() - 1 {
            l.push(Op::Rule {
                x1: label_x,
                x2: RIGHT,
                y: l.y + 2.0,
                gray: INK,
            });
            l.y += 6.0;
        }
        let y = l.y + BODY;
        l.text(label_x, y, label, BODY, weight, INK);
        l.text_right(
            RIGHT - CELL_PAD,
            y,
            &money_label(amount, &d.currency),
            BODY,
            weight,
        );
        l.y += step;
    }
    l.y += 18.0;
}

fn closing_note(l: &mut Layout<'_>, d: &InvoiceData) {
    let status = match d.status {
        crate::InvoiceStatus::Paid => "Paid: the order is completed.",
        crate::InvoiceStatus::Pending => {
            "Pending: the order is not completed yet; the figures may still change."
        }
    };
    let note = format!(
        "All amounts in {}. The marketplace fee is kept by {}. {status}",
        d.currency, d.marketplace
    );
    let lines = l.wrap(&note, SMALL, CONTENT_WIDTH);
    l.ensure(line_height(SMALL) * lines.len() as f32);
    for line in lines {
        let y = l.y + SMALL;
        l.text(MARGIN, y, &line, SMALL, Weight::Regular, MUTED);
        l.y += line_height(SMALL);
    }
}

/// "Sales invoice N" and "Page i of n" under every page.
fn footers(l: &mut Layout<'_>, d: &InvoiceData) {
    let count = l.pages.len();
    let y = PAGE_HEIGHT - MARGIN / 2.0 - 10.0;
    let left = format!("Sales invoice {}", d.number);
    for i in 0..count {
        let page_label = format!("Page {} of {count}", i + 1);
        let ops = [
            Op::Text {
                x: MARGIN,
                y,
                line: l.shape(&left, SMALL, Weight::Regular),
                gray: MUTED,
            },
            {
                let line = l.shape(&page_label, SMALL, Weight::Regular);
                Op::Text {
                    x: RIGHT - line.width,
                    y,
                    line,
                    gray: MUTED,
                }
            },
        ];
        if let Some(page) = l.pages.get_mut(i) {
            page.extend(ops);
        }
    }
}

#[cfg(test)]
mod tests;
