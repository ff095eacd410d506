//! Files for the seller's accounting: sales invoice PDFs (one order, or every order a
//! month completed) and CSV exports of orders and earnings for a period. Figures come
//! from the rules crate through `sellerdesk_invoice`; this module decides which orders,
//! which numbers and where the files go. Files are written whole or not at all.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use sellerdesk_api::{Order, OrderStatus, Profile};
use sellerdesk_invoice::{
    CsvRow, EarningsRow, InvoiceData, Party, earnings_csv, invoice_number_label, orders_csv,
    render_pdf,
};
use sellerdesk_rules::{forecast, totals_by_month, totals_by_week};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};
use crate::workspace::Workspace;

/// A file an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    pub path: String,
    pub name: String,
    pub bytes: u64,
}

/// The outcome of a month's batch of invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BatchExport {
    pub folder: String,
    pub files: Vec<SavedFile>,
}

/// Weeks or months, for the earnings export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Week,
    Month,
}

/// What a CSV export holds (the window's choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    Orders,
    EarningsByWeek,
    EarningsByMonth,
}

fn parse_day(what: &str, text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        invalid(format!(
            "the {what} date must read YYYY-MM-DD, not {text:?}"
        ))
    })
}

impl Workspace {
    /// Writes a CSV of orders or earnings for `from..=to` (local days, `YYYY-MM-DD`) in
    /// `dir`, named after what it holds.
    pub fn export_csv(
        &self,
        kind: CsvKind,
        from: &str,
        to: &str,
        offset: FixedOffset,
        dir: &Path,
    ) -> Result<SavedFile, AppError> {
        let (from, to) = (parse_day("start", from)?, parse_day("end", to)?);
        let (stem, text) = match kind {
            CsvKind::Orders => ("orders", self.orders_csv(from, to, offset)?),
            CsvKind::EarningsByWeek => (
                "earnings by week",
                self.earnings_csv(from, to, PeriodKind::Week, offset)?,
            ),
            CsvKind::EarningsByMonth => (
                "earnings by month",
                self.earnings_csv(from, to, PeriodKind::Month, offset)?,
            ),
        };
        write_file_atomically(
            &dir.join(format!("{stem} {from} to {to}.csv")),
            text.as_bytes(),
        )
    }
}

/// A sales invoice: its file name and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicePdf {
    /// "SD-DEMO-000003 D-1001.pdf".
    pub file_name: String,
    pub number: String,
    pub bytes: Vec<u8>,
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::InvalidInput, message)
}

/// An order the marketplace has been paid for (accepted, in progress, delivered, in
/// revision, disputed, completed) can be invoiced; the others are refused with why.
pub fn invoiceable(order: &Order) -> Result<(), AppError> {
    let why = match order.status {
        OrderStatus::AwaitingAcceptance => "it is still waiting for you to accept it",
        OrderStatus::PendingRequirements => {
            "the buyer has not started it yet (requirements pending)"
        }
        OrderStatus::Canceled => "it was canceled",
        OrderStatus::Accepted
        | OrderStatus::InProgress
        | OrderStatus::Delivered
        | OrderStatus::RevisionRequested
        | OrderStatus::Disputed
        | OrderStatus::Completed => return Ok(()),
    };
    Err(AppError::new(
        ErrorCode::NotAllowed,
        format!(
            "No invoice for order {}: {why}. Invoices are for orders the marketplace has been paid for.",
            order.id
        ),
    ))
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::Internal, e.to_string())
}

/// A name safe on every desktop file system: letters, digits, '-', '_' and '.' kept.
fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// When an order counts as sold: its completion (its last update when the marketplace
/// did not say, as the earnings rules assume).
fn completed_instant(order: &Order) -> Option<DateTime<Utc>> {
    (order.status == OrderStatus::Completed).then(|| order.completed_at.unwrap_or(order.updated_at))
}

/// Writes `bytes` to `path` whole or not at all: a temporary file beside it, synced, then
/// renamed over. A failure names the path and leaves any older file as it was.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<SavedFile, AppError> {
    let storage = |what: &str, e: std::io::Error| {
        AppError::new(
            ErrorCode::Storage,
            format!("cannot {what} {}: {e}", path.display()),
        )
    };
    let dir = path
        .parent()
        .ok_or_else(|| invalid(format!("{} is not a file path", path.display())))?;
    fs::create_dir_all(dir).map_err(|e| storage("create the folder of", e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| invalid(format!("{} is not a file path", path.display())))?;
    let tmp = dir.join(format!(".{name}.part"));
    let written = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(storage("write", e));
    }
    Ok(SavedFile {
        path: path.display().to_string(),
        name,
        bytes: bytes.len() as u64,
    })
}

impl Workspace {
    fn profile_of(&self, account_id: &str) -> Result<Profile, AppError> {
        self.store().profile(account_id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Offline,
                format!(
                    "the rules of account {account_id} are not known yet; sync once before exporting"
                ),
            )
        })
    }

    /// The business profile when the seller filled it in, else the account's name.
    fn seller_party(&self, account_id: &str, profile: &Profile) -> Result<Party, AppError> {
        let marketplace = format!("Seller on {}", profile.name);
        let business = self.business_profile()?;
        if !business.is_empty() {
            let lines = business.invoice_lines().into_iter().chain([marketplace]);
            return Ok(Party::new(business.name, lines));
        }
        let label = self
            .store()
            .accounts()?
            .into_iter()
            .find(|a| a.id == account_id)
            .map_or_else(|| account_id.to_string(), |a| a.label);
        Ok(Party::new(label, [marketplace]))
    }

    /// The sales invoice of one order, once the marketplace has been paid for it (accepted
    /// and after; not while awaiting acceptance or requirements, nor canceled). The order gets the account's next invoice number
    /// the first time (gap-free, kept across restarts); a reprint keeps number and date.
    pub fn invoice_pdf(
        &self,
        account_id: &str,
        order_id: &str,
        offset: FixedOffset,
    ) -> Result<InvoicePdf, AppError> {
        let order = self
            .store()
            .order(account_id, order_id)?
            .ok_or_else(|| invalid(format!("no order {order_id} in this workspace")))?;
        let profile = self.profile_of(account_id)?;
        self.render_invoice(account_id, &order, &profile, offset)
    }

    fn render_invoice(
        &self,
        account_id: &str,
        order: &Order,
        profile: &Profile,
        offset: FixedOffset,
    ) -> Result<InvoicePdf, AppError> {
        // Refused before a number is spent: only a sale the marketplace has paid is invoiced.
        invoiceable(order)?;
        let seller = self.seller_party(account_id, profile)?;
        // Check the figures before a number is spent on an order that cannot be invoiced.
        InvoiceData::from_order(
            "check".into(),
            NaiveDate::MIN,
            seller.clone(),
            order,
            profile,
        )
        .map_err(|e| invalid(format!("order {} cannot be invoiced: {e}", order.id)))?;
        let (number, _) = self
            .store()
            .invoice_number(account_id, &order.id, self.now())?;
        let issued = self
            .store()
            .issued_invoice(account_id, &order.id)?
            .map_or_else(|| self.now(), |i| i.issued_at);
        let label = invoice_number_label(account_id, number);
        let data = InvoiceData::from_order(
            label.clone(),
            issued.with_timezone(&offset).date_naive(),
            seller,
            order,
            profile,
        )
        .map_err(|e| invalid(format!("order {} cannot be invoiced: {e}", order.id)))?;
        let bytes = render_pdf(&data).map_err(internal)?;
        Ok(InvoicePdf {
            file_name: format!("{} {}.pdf", file_safe(&label), file_safe(&order.id)),
            number: label,
            bytes,
        })
    }

    /// Saves an order's invoice into `folder` (created if missing) under its own name.
    pub fn save_invoice(
        &self,
        account_id: &str,
        order_id: &str,
        offset: FixedOffset,
        folder: &Path,
    ) -> Result<SavedFile, AppError> {
        let pdf = self.invoice_pdf(account_id, order_id, offset)?;
        write_file_atomically(&folder.join(&pdf.file_name), &pdf.bytes)
    }

    /// Saves an order's invoice at `path`, a name the seller chose.
    pub fn save_invoice_as(
        &self,
        account_id: &str,
        order_id: &str,
        offset: FixedOffset,
        path: &Path,
    ) -> Result<SavedFile, AppError> {
        let pdf = self.invoice_pdf(account_id, order_id, offset)?;
        write_file_atomically(path, &pdf.bytes)
    }

    /// The invoices of every order completed in `year`-`month` (the seller's zone), into
    /// `folder`/`YYYY-MM`/. New numbers follow completion order.
    pub fn export_month_invoices(
        &self,
        year: i32,
        month: u32,
        offset: FixedOffset,
        folder: &Path,
    ) -> Result<BatchExport, AppError> {
        if !(1..=12).contains(&month) {
            return Err(invalid(format!("there is no month {month}")));
        }
        let mut sold: Vec<(DateTime<Utc>, String, Order)> = self
            .store()
            .all_orders()?
            .into_iter()
            .filter_map(|(account, order)| {
                let at = completed_instant(&order)?;
                let local = at.with_timezone(&offset);
                (local.year() == year && local.month() == month).then_some((at, account, order))
            })
            .collect();
        sold.sort_by(|a, b| (a.0, &a.1, &a.2.id).cmp(&(b.0, &b.1, &b.2.id)));
        let dir = folder.join(format!("{year:04}-{month:02}"));
        let mut profiles: HashMap<String, Profile> = HashMap::new();
        let mut files = Vec::new();
        for (_, account, order) in &sold {
            if !profiles.contains_key(account) {
                profiles.insert(account.clone(), self.profile_of(account)?);
            }
            let pdf = self.render_invoice(account, order, &profiles[account], offset)?;
            files.push(write_file_atomically(
                &dir.join(&pdf.file_name),
                &pdf.bytes,
            )?);
        }
        Ok(BatchExport {
            folder: dir.display().to_string(),
            files,
        })
    }

    /// Orders CSV of `from..=to` (local days): completed orders by completion day, the
    /// others by due day; canceled orders are left out.
    pub fn orders_csv(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        offset: FixedOffset,
    ) -> Result<String, AppError> {
        check_period(from, to)?;
        let mut rows = Vec::new();
        for (account, order) in self.store().all_orders()? {
            if order.status == OrderStatus::Canceled {
                continue;
            }
            let profile = self.profile_of(&account)?;
            let row = CsvRow::from_order(&order, &profile, offset)
                .map_err(|e| invalid(format!("order {}: {e}", order.id)))?;
            if (from..=to).contains(&row.date) {
                rows.push(row);
            }
        }
        rows.sort_by(|a, b| (a.date, &a.order_id).cmp(&(b.date, &b.order_id)));
        Ok(orders_csv(&rows))
    }

    /// Earnings CSV: pending, clearing and available net per week or month and per
    /// marketplace account, for the periods starting within `from..=to`.
    pub fn earnings_csv(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        kind: PeriodKind,
        offset: FixedOffset,
    ) -> Result<String, AppError> {
        check_period(from, to)?;
        let all = self.store().all_orders()?;
        let mut rows = Vec::new();
        for account in self.store().accounts()? {
            let Some(profile) = self.store().profile(&account.id)? else {
                continue;
            };
            let now = self.server_now(&account.id)?;
            let forecasts: Vec<_> = all
                .iter()
                .filter(|(a, _)| *a == account.id)
                .filter_map(|(_, o)| forecast(o, &profile, now).ok().flatten())
                .collect();
            let totals = match kind {
                PeriodKind::Week => totals_by_week(&forecasts, offset),
                PeriodKind::Month => totals_by_month(&forecasts, offset),
            };
            rows.extend(
                totals
                    .iter()
                    .filter(|t| (from..=to).contains(&t.starts_on))
                    .map(|t| EarningsRow::from_total(&profile.name, t)),
            );
        }
        rows.sort_by(|a, b| (a.starts_on, &a.marketplace).cmp(&(b.starts_on, &b.marketplace)));
        Ok(earnings_csv(&rows))
    }
}

fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), AppError> {
    if from > to {
        return Err(invalid(format!(
            "the period starts on {from}, after it ends on {to}"
        )));
    }
    Ok(())
}

/// The default export folder under a base folder (e.g. Downloads): `base/sellerdesk`.
pub fn export_folder(base: &Path) -> PathBuf {
    base.join("sellerdesk")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(file_safe("SD-DEMO-000001"), "SD-DEMO-000001");
        assert_eq!(file_safe("../D 1001/x"), "_D_1001_x");
        assert_eq!(file_safe("Zoë"), "Zo_");
    }

    #[test]
    fn an_atomic_write_replaces_whole_or_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/invoice.pdf");
        let saved = write_file_atomically(&path, b"first").unwrap();
        assert_eq!(saved.bytes, 5);
        assert_eq!(saved.name, "invoice.pdf");
        write_file_atomically(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
        // A folder where the file should go: the error names the path.
        let blocked = dir.path().join("blocked");
        fs::create_dir_all(blocked.join("x.pdf")).unwrap();
        let err = write_file_atomically(&blocked.join("x.pdf"), b"z").unwrap_err();
        assert_eq!(err.code, ErrorCode::Storage);
        assert!(err.message.contains("x.pdf"), "{}", err.message);
    }

    #[test]
    fn an_inverted_period_is_refused() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(check_period(d("2026-01-01"), d("2026-01-31")).is_ok());
        let err = check_period(d("2026-02-01"), d("2026-01-31")).unwrap_err();
        assert!(err.message.contains("after it ends"), "{}", err.message);
    }
}
