//! CSV exports an accountant's spreadsheet opens directly: UTF-8 with a byte-order mark
//! (so Excel reads "Zoë" right), a header row, commas, RFC 4180 quoting, CRLF line ends,
//! ISO dates (YYYY-MM-DD) and amounts as plain decimals ("145.00") beside a currency
//! column. Text that a spreadsheet would run as a formula (a buyer named "=HYPERLINK(…)")
//! is prefixed with an apostrophe.

use chrono::{FixedOffset, NaiveDate};
use sellerdesk_api::{Order, OrderStatus, Profile};
use sellerdesk_rules::{Period, PeriodTotal, breakdown};

use crate::InvoiceError;
use crate::money::decimal_amount;

const BOM: char = '\u{feff}';

pub const ORDERS_CSV_HEADER: [&str; 11] = [
    "Order ID",
    "Date",
    "Date type",
    "Marketplace",
    "Buyer",
    "Title",
    "Status",
    "Currency",
    "Gross",
    "Fee",
    "Net",
];

pub const EARNINGS_CSV_HEADER: [&str; 8] = [
    "Period",
    "Period start",
    "Marketplace",
    "Currency",
    "Pending",
    "Clearing",
    "Available",
    "Total",
];

/// Which date the row's date column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// The day the order completed.
    Completed,
    /// The delivery due date of an order not completed yet.
    Due,
}

impl DateKind {
    pub fn label(self) -> &'static str {
        match self {
            DateKind::Completed => "completed",
            DateKind::Due => "due",
        }
    }
}

/// One order in the orders export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub order_id: String,
    pub date: NaiveDate,
    pub date_kind: DateKind,
    pub marketplace: String,
    pub buyer: String,
    pub title: String,
    /// The marketplace's own word for the status.
    pub status: String,
    pub currency: String,
    pub gross_minor: i64,
    /// The marketplace fee as a positive amount: net = gross − fee.
    pub fee_minor: i64,
    pub net_minor: i64,
}

impl CsvRow {
    /// The export row of `order`, figures from `sellerdesk_rules::breakdown`. The date is
    /// the completion day for a completed order (its last update when the marketplace did
    /// not send one, as the earnings rules assume), else the due day, both in the seller's
    /// zone `offset`.
    pub fn from_order(
        order: &Order,
        profile: &Profile,
        offset: FixedOffset,
    ) -> Result<CsvRow, InvoiceError> {
        let b = breakdown(order, profile)?;
        let (instant, date_kind) = match order.status {
            OrderStatus::Completed => (
                order.completed_at.unwrap_or(order.updated_at),
                DateKind::Completed,
            ),
            _ => (order.due_at, DateKind::Due),
        };
        Ok(CsvRow {
            order_id: order.id.clone(),
            date: instant.with_timezone(&offset).date_naive(),
            date_kind,
            marketplace: profile.name.clone(),
            buyer: order.buyer.display_name.clone(),
            title: order.title.clone(),
            status: profile.status_label(order.status),
            currency: b.currency,
            gross_minor: b.gross_minor,
            fee_minor: b.fee_minor,
            net_minor: b.net_minor,
        })
    }
}

/// One period of one marketplace in the earnings export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarningsRow {
    pub period: Period,
    /// First local day of the period (a Monday for weeks).
    pub starts_on: NaiveDate,
    pub marketplace: String,
    pub currency: String,
    pub pending_minor: i64,
    pub clearing_minor: i64,
    pub available_minor: i64,
}

impl EarningsRow {
    /// The row of a period total computed by `sellerdesk_rules::totals_by_week` or
    /// `totals_by_month` for one marketplace account.
    pub fn from_total(marketplace: &str, total: &PeriodTotal) -> EarningsRow {
        EarningsRow {
            period: total.period,
            starts_on: total.starts_on,
            marketplace: marketplace.to_string(),
            currency: total.currency.clone(),
            pending_minor: total.pending_minor,
            clearing_minor: total.clearing_minor,
            available_minor: total.available_minor,
        }
    }

    /// Pending + clearing + available, saturating like the rules' totals.
    pub fn total_minor(&self) -> i64 {
        self.pending_minor
            .saturating_add(self.clearing_minor)
            .saturating_add(self.available_minor)
    }
}

/// "2026-W11" for an ISO week, "2026-03" for a month.
fn period_label(period: Period) -> String {
    match period {
        Period::IsoWeek { year, week } => format!("{year}-W{week:02}"),
        Period::Month { year, month } => format!("{year}-{month:02}"),
    }
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The orders export, one row per order in the given order.
pub fn orders_csv(rows: &[CsvRow]) -> String {
    let mut out = String::from(BOM);
    write_record(&mut out, &ORDERS_CSV_HEADER.map(Cell::Text));
    for r in rows {
        let (date, gross, fee, net) = (
            iso(r.date),
            decimal_amount(r.gross_minor, &r.currency),
            decimal_amount(r.fee_minor, &r.currency),
            decimal_amount(r.net_minor, &r.currency),
        );
        write_record(
            &mut out,
            &[
                Cell::Text(&r.order_id),
                Cell::Value(&date),
                Cell::Value(r.date_kind.label()),
                Cell::Text(&r.marketplace),
                Cell::Text(&r.buyer),
                Cell::Text(&r.title),
                Cell::Text(&r.status),
                Cell::Text(&r.currency),
                Cell::Value(&gross),
                Cell::Value(&fee),
                Cell::Value(&net),
            ],
        );
    }
    out
}

/// The earnings export, one row per period and marketplace in the given order.
pub fn earnings_csv(rows: &[EarningsRow]) -> String {
    let mut out = String::from(BOM);
    write_record(&mut out, &EARNINGS_CSV_HEADER.map(Cell::Text));
    for r in rows {
        let values = [
            period_label(r.period),
            iso(r.starts_on),
            decimal_amount(r.pending_minor, &r.currency),
            decimal_amount(r.clearing_minor, &r.currency),
            decimal_amount(r.available_minor, &r.currency),
            decimal_amount(r.total_minor(), &r.currency),
        ];
        write_record(
            &mut out,
            &[
                Cell::Value(&values[0]),
                Cell::Value(&values[1]),
                Cell::Text(&r.marketplace),
                Cell::Text(&r.currency),
                Cell::Value(&values[2]),
                Cell::Value(&values[3]),
                Cell::Value(&values[4]),
                Cell::Value(&values[5]),
            ],
        );
    }
    out
}

#[derive(Clone, Copy)]
enum Cell<'a> {
    /// Free text from a person (names, titles): neutralized if it looks like a formula.
    Text(&'a str),
    /// A value we formatted ourselves (dates, amounts): written as is.
    Value(&'a str),
}

fn write_record(out: &mut String, cells: &[Cell<'_>]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match *cell {
            Cell::Text(text) if starts_like_formula(text) => {
                write_field(out, &format!("'{text}"));
            }
            Cell::Text(text) | Cell::Value(text) => write_field(out, text),
        }
    }
    out.push_str("\r\n");
}

/// Spreadsheets run a cell starting with these as a formula (CSV injection).
fn starts_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// RFC 4180: quote a field holding a comma, a quote or a line break; double its quotes.
fn write_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Reads RFC 4180 CSV (as written here, or saved back by a spreadsheet): an optional BOM,
/// CRLF or LF line ends, quoted fields with doubled quotes and embedded line breaks.
/// Returns the records, the header included.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, InvoiceError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    let err = |line: usize, message: &str| InvoiceError::Csv {
        line,
        message: message.to_string(),
    };
    while let Some(c) = chars.next() {
        match c {
            '"' if at_field_start => {
                let quote_line = line;
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(ch) => {
                            if ch == '\n' {
                                line += 1;
                            }
                            field.push(ch);
                        }
                        None => return Err(err(quote_line, "a quoted field is never closed")),
                    }
                }
                match chars.peek() {
                    None | Some(',' | '\r' | '\n') => {}
                    Some(_) => return Err(err(line, "text after a closing quote")),
                }
                at_field_start = false;
            }
            '"' => return Err(err(line, "a quote inside an unquoted field")),
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' {
                    if chars.peek() != Some(&'\n') {
                        return Err(err(line, "a carriage return without a line feed"));
                    }
                    chars.next();
                }
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
                line += 1;
            }
            other => {
                field.push(other);
                at_field_start = false;
            }
        }
    }
    if !field.is_empty() || !record.is_empty() || !at_field_start {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

#[cfg(test)]
mod tests;
