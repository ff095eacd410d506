//! The operations that need more than the Desk: what the session knows — the seller's
//! time zone for exports and earnings, the export folder, the files the seller granted —
//! applied around one core method, each under the panic guard.

use std::path::PathBuf;

use sellerdesk_core::AppError;
use sellerdesk_core::actions::Id;
use sellerdesk_core::connection::{ConnectionCheck, MarketplaceChoice, check_connection};
use sellerdesk_core::detail::{OrderDetail, SellerAction};
use sellerdesk_core::drafts::{DraftView, PickedFiles};
use sellerdesk_core::earnings::EarningsView;
use sellerdesk_core::exports::{BatchExport, CsvKind, InvoicePdf, SavedFile};
use sellerdesk_core::store::DraftContent;
use sellerdesk_core::view::AccountView;

use crate::Session;
use crate::guard::{blocking, command_async};

type Answer<T> = Result<T, AppError>;

/// The seller's time zone now (invoices, CSV days, earnings weeks).
pub fn zone() -> chrono::FixedOffset {
    *chrono::Local::now().offset()
}

impl Session {
    /// A seller action on an order (the window's buttons): `Desk::perform`.
    pub fn perform(&self, account: &Id, order: &Id, action: &SellerAction) -> Answer<OrderDetail> {
        self.call("perform", |d| d.perform(account, order, action))
    }

    /// Removes a refused action from an order's detail.
    pub fn dismiss_action(&self, account: &Id, order: &Id, seq: i64) -> Answer<OrderDetail> {
        self.call("dismiss_action", |d| d.dismiss_action(account, order, seq))
    }

    /// Forecast earnings of one account or all, by week and month in the seller's zone.
    pub fn earnings(&self, account_id: Option<&str>) -> Result<EarningsView, AppError> {
        self.read("earnings", |w| w.earnings_of(zone(), account_id))
    }

    /// The order's sales invoice as a PDF.
    pub fn invoice_pdf(&self, account_id: &str, order_id: &str) -> Result<InvoicePdf, AppError> {
        self.read("invoice_pdf", |w| {
            w.invoice_pdf(account_id, order_id, zone())
        })
    }

    /// Where exports go: the folder the seller chose (while it is still there), else the
    /// default (`sellerdesk` in Documents).
    pub fn export_dir(&self) -> PathBuf {
        let chosen = self
            .read("export_folder", |w| w.chosen_export_folder())
            .ok()
            .flatten();
        chosen
            .filter(|dir| dir.is_dir())
            .unwrap_or_else(|| self.default_export_dir.clone())
    }

    /// Keeps `folder` as the export folder (it must exist and take files); answers it.
    pub fn choose_export_folder(&self, folder: &std::path::Path) -> Answer<String> {
        self.read("choose_export_folder", |w| w.choose_export_folder(folder))
            .map(|dir| dir.display().to_string())
    }

    /// `path` resolved, when it lies in the export folder: the only files "Show in folder"
    /// may show.
    pub fn revealable(&self, path: &str) -> Answer<PathBuf> {
        let folder = self.export_dir();
        sellerdesk_core::export_folder::within_folder(&folder, std::path::Path::new(path))
    }

    /// Saves the order's sales invoice in the export folder and says where.
    pub fn save_invoice(&self, account_id: &str, order_id: &str) -> Result<SavedFile, AppError> {
        let to = &self.export_dir();
        self.read("save_invoice", |w| {
            w.save_invoice(account_id, order_id, zone(), to)
        })
    }

    /// Saves the invoices of every order completed in a month in the export folder.
    pub fn export_month_invoices(&self, year: i32, month: u32) -> Result<BatchExport, AppError> {
        let to = &self.export_dir();
        self.read("export_month_invoices", |w| {
            w.export_month_invoices(year, month, zone(), to)
        })
    }

    /// A CSV of orders or earnings for `from..=to` (local days) in the export folder.
    pub fn export_csv(&self, kind: CsvKind, from: &str, to: &str) -> Result<SavedFile, AppError> {
        let dir = &self.export_dir();
        self.read("export_csv", |w| w.export_csv(kind, from, to, zone(), dir))
    }

    /// Autosaves a delivery draft over version `base`; every file must be one the seller
    /// picked or dropped (else `not_allowed`, nothing saved).
    pub fn save_draft(
        &self,
        account_id: &Id,
        order_id: &Id,
        base: Option<u64>,
        content: &DraftContent,
    ) -> Result<DraftView, AppError> {
        self.call("save_draft", |d| {
            let files = content.files.iter().map(|f| f.path.as_str());
            self.granted.check(files)?;
            d.save_draft(account_id, order_id, base, content)
        })
    }

    /// Sends the order's saved draft as a delivery, every file one the seller granted.
    pub fn submit_delivery(&self, account_id: &Id, order_id: &Id) -> Result<OrderDetail, AppError> {
        self.call("submit_delivery", |d| {
            self.granted
                .check_draft(d.workspace(), account_id, order_id)?;
            d.submit_delivery(account_id, order_id)
        })
    }

    /// Files chosen in the system's dialog: granted, then checked for delivery.
    pub fn picked<E: std::fmt::Display>(
        &self,
        account_id: &str,
        chosen: Vec<Result<PathBuf, E>>,
    ) -> Result<PickedFiles, AppError> {
        self.read("picked", |w| Ok(self.granted.picked(w, account_id, chosen)))
    }

    /// Files dropped on the window, by the paths its drop event carried (granted ones).
    pub fn attach_paths(
        &self,
        account_id: &str,
        paths: &[String],
    ) -> Result<PickedFiles, AppError> {
        self.read("attach_paths", |w| {
            self.granted.attach(w, account_id, paths)
        })
    }

    /// Adds a marketplace account; its token goes to the keychain, which may block (a
    /// locked keyring): done on the blocking pool, never the caller's thread.
    pub async fn add_account(
        &self,
        label: String,
        url: String,
        token: String,
    ) -> Answer<AccountView> {
        let (desk, vault) = (self.desk()?.clone(), self.vault.clone());
        blocking("add_account", move || {
            desk.add_account(&label, &url, &token, &vault)
        })
        .await
    }

    /// The marketplaces whose rules are built in, for the picker when adding an account.
    pub fn marketplaces(&self) -> Vec<MarketplaceChoice> {
        sellerdesk_sim::profiles()
            .into_iter()
            .map(|p| MarketplaceChoice {
                id: p.id,
                name: p.name,
            })
            .collect()
    }

    /// "Test connection" before saving an account: the address and the token reach a
    /// server of the picked marketplace (`marketplace`, an id of [`Session::marketplaces`]).
    pub async fn test_connection(
        &self,
        url: String,
        token: String,
        marketplace: Option<String>,
    ) -> Answer<ConnectionCheck> {
        let expected =
            marketplace.and_then(|id| self.marketplaces().into_iter().find(|m| m.id == id));
        command_async(
            "test_connection",
            check_connection(&url, &token, expected.as_ref()),
        )
        .await
    }

    /// Removes an account with its orders, drafts, queued actions and token (off the
    /// caller's thread, like [`Session::add_account`]).
    pub async fn remove_account(&self, account_id: Id) -> Answer<()> {
        let (desk, vault) = (self.desk()?.clone(), self.vault.clone());
        blocking("remove_account", move || {
            desk.remove_account(&account_id, &vault)
        })
        .await
    }
}
