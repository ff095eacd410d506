//! Sales invoices and accountant-ready exports for sellerdesk, with no Tauri and no I/O:
//! callers get bytes and strings and decide where they go.
//!
//! - [`InvoiceData::from_order`] decides what an invoice says, with the figures of
//!   `sellerdesk_rules::breakdown` (never recomputed here);
//! - [`render_pdf`] lays it out on A4 and writes it with krilla and the bundled DejaVu
//!   Sans (non-Latin names and "€" render; see `fonts/LICENSE`);
//! - [`orders_csv`] and [`earnings_csv`] write CSV a spreadsheet opens directly (UTF-8
//!   with BOM, RFC 4180 quoting, plain decimals, ISO dates); [`parse_csv`] reads it back.

mod data;
mod error;
mod export;
mod layout;
mod money;
mod pdf;
mod text;

pub use data::{InvoiceData, InvoiceStatus, Party, invoice_number_label};
pub use error::InvoiceError;
pub use export::{
    CsvRow, DateKind, EARNINGS_CSV_HEADER, EarningsRow, ORDERS_CSV_HEADER, earnings_csv,
    orders_csv, parse_csv,
};
pub use money::{decimal_amount, minor_from_decimal, money_label, percent_label};
pub use pdf::{render_pdf, unsupported_characters};
