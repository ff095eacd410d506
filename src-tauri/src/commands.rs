//! The IPC commands: adapters from the window to the app's `Session`, one core method
//! each, under the panic guard (`Session::call`/`read`: a panic answers `Internal`).
//! Only the system dialogs and start at login are Tauri's own here.

use sellerdesk_app::Session;
use sellerdesk_app::guard::{command as guarded, command_async as guarded_async};
use sellerdesk_core::exports::write_file_atomically;
use sellerdesk_core::ipc::*;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt;
use tauri_plugin_dialog::DialogExt;

type Answer<T> = Result<T, AppError>;
type S<'a> = State<'a, Session>;

fn internal(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::Internal, format!("{what}: {e}"))
}

// Async (off the main thread, which is busy building the window at start): asked beside
// the first page, it must not hold back the first rows.
#[tauri::command]
pub async fn app_info(s: S<'_>) -> Answer<AppInfo> {
    Ok(s.app_info())
}

// Async, so it runs off the main thread: the first page after a write rebuilds the list's
// index (every active order's keys), which must not hold the window's event loop.
/// Rows `offset..offset + limit` of the active list, with the whole list's size and counts.
#[tauri::command]
pub async fn order_page(s: S<'_>, offset: u32, limit: u32) -> Answer<OrderPage> {
    s.order_page(offset as usize, limit as usize)
}

// Async (off the main thread), like `order_page`: a search may read many orders.
/// The orders of a status group matching a search, sorted as asked (past orders too).
#[tauri::command]
pub async fn find_orders(s: S<'_>, query: OrderQuery) -> Answer<Vec<OrderRow>> {
    s.read("find_orders", |w| w.find_orders(&query))
}

#[tauri::command]
pub fn sync_status(s: S<'_>) -> Answer<SyncStatus> {
    s.read("sync_status", |w| Ok(w.sync_status()))
}

#[tauri::command]
pub fn sync_now(s: S<'_>) -> Answer<SyncStatus> {
    s.call("sync_now", |d| Ok(d.sync_now()))
}

#[tauri::command]
pub fn order_detail(s: S<'_>, account_id: Id, order_id: Id) -> Answer<OrderDetail> {
    s.read("order_detail", |w| w.order_detail(&account_id, &order_id))
}

#[tauri::command]
pub async fn earnings(s: S<'_>, account_id: Option<Id>) -> Answer<EarningsView> {
    s.earnings(account_id.as_deref())
}

/// A seller action: to the outbox, pushed by the core's engine; answers the order's
/// detail showing it pending.
#[tauri::command]
pub fn order_action(
    s: S<'_>,
    account_id: Id,
    order_id: Id,
    action: SellerAction,
) -> Answer<OrderDetail> {
    s.perform(&account_id, &order_id, &action)
}

/// Removes a refused action from an order's detail.
#[tauri::command]
pub fn dismiss_action(s: S<'_>, account_id: Id, order_id: Id, seq: i64) -> Answer<OrderDetail> {
    s.dismiss_action(&account_id, &order_id, seq)
}

/// Saves the order's sales invoice (PDF) in the export folder and returns where.
#[tauri::command]
pub fn save_invoice(s: S<'_>, account_id: Id, order_id: Id) -> Answer<SavedFile> {
    s.save_invoice(&account_id, &order_id)
}

/// Asks where to save the order's invoice (the system's save dialog), then saves it there.
/// `None` when the seller closes the dialog.
#[tauri::command]
pub async fn save_invoice_as<R: Runtime>(
    app: AppHandle<R>,
    s: S<'_>,
    account_id: Id,
    order_id: Id,
) -> Answer<Option<SavedFile>> {
    guarded_async("save_invoice_as", async {
        let pdf = s.invoice_pdf(&account_id, &order_id)?;
        let dialog = app.dialog().file().set_title("Save the sales invoice");
        let dialog = dialog.set_directory(s.export_dir());
        let dialog = dialog.set_file_name(&pdf.file_name);
        let dialog = dialog.add_filter("PDF document", &["pdf"]);
        let Some(chosen) = dialog.blocking_save_file() else {
            return Ok(None);
        };
        let why = |e| AppError::new(ErrorCode::InvalidInput, format!("cannot save there: {e}"));
        write_file_atomically(&chosen.into_path().map_err(why)?, &pdf.bytes).map(Some)
    })
    .await
}

/// Saves the invoices of every order completed in a month under the export folder.
#[tauri::command]
pub async fn export_month_invoices(s: S<'_>, year: i32, month: u32) -> Answer<BatchExport> {
    s.export_month_invoices(year, month)
}

/// Writes a CSV of orders or earnings for `from..=to` (local days) in the export folder.
#[tauri::command]
pub async fn export_csv(s: S<'_>, kind: CsvKind, from: String, to: String) -> Answer<SavedFile> {
    s.export_csv(kind, &from, &to)
}

/// The folder exports go to now.
#[tauri::command]
pub fn export_folder(s: S<'_>) -> String {
    s.export_dir().display().to_string()
}

/// Asks for a new export folder (the system's folder dialog) and keeps it; `None` when the
/// seller closes the dialog.
#[tauri::command]
pub async fn choose_export_folder<R: Runtime>(
    app: AppHandle<R>,
    s: S<'_>,
) -> Answer<Option<String>> {
    guarded_async("choose_export_folder", async {
        let dialog = app.dialog().file().set_title("Where should exports go?");
        let Some(chosen) = dialog.set_directory(s.export_dir()).blocking_pick_folder() else {
            return Ok(None);
        };
        let why = |e| {
            AppError::new(
                ErrorCode::InvalidInput,
                format!("cannot use that folder: {e}"),
            )
        };
        s.choose_export_folder(&chosen.into_path().map_err(why)?)
            .map(Some)
    })
    .await
}

/// Shows an exported file in the system's file manager (the opener plugin); only files in
/// the export folder.
#[tauri::command]
pub async fn show_in_folder(s: S<'_>, path: String) -> Answer<()> {
    let file = s.revealable(&path)?;
    sellerdesk_app::guard::blocking("show_in_folder", move || {
        tauri_plugin_opener::reveal_item_in_dir(&file).map_err(|e| {
            let why = format!(
                "no file manager answered ({e}); the file is at {}",
                file.display()
            );
            AppError::new(ErrorCode::Internal, why)
        })
    })
    .await
}

/// The order's delivery draft, if the seller started one.
#[tauri::command]
pub fn load_draft(s: S<'_>, account_id: Id, order_id: Id) -> Answer<Option<DraftView>> {
    s.read("load_draft", |w| w.draft(&account_id, &order_id))
}

/// Autosave over version `base` (an older base is refused as `conflict`). Every file
/// must have been picked or dropped by the seller: else `not_allowed`, nothing saved.
#[tauri::command]
pub fn save_draft(
    s: S<'_>,
    account_id: Id,
    order_id: Id,
    base: Option<u64>,
    content: DraftContent,
) -> Answer<DraftView> {
    s.save_draft(&account_id, &order_id, base, &content)
}

#[tauri::command]
pub fn discard_draft(s: S<'_>, account_id: Id, order_id: Id) -> Answer<bool> {
    s.call("discard_draft", |d| d.discard_draft(&account_id, &order_id))
}

/// Files to deliver, chosen in the system's file dialog and checked at once.
#[tauri::command]
pub async fn pick_delivery_files<R: Runtime>(
    app: AppHandle<R>,
    s: S<'_>,
    account_id: Id,
) -> Answer<PickedFiles> {
    guarded_async("pick_delivery_files", async {
        let dialog = app.dialog().file().set_title("Files to deliver");
        let chosen = dialog.blocking_pick_files().unwrap_or_default();
        let paths = chosen.into_iter().map(|file| file.into_path()).collect();
        s.picked(&account_id, paths)
    })
    .await
}

/// Files dropped on the window, attached by the paths the drop event carried (only
/// those the seller picked or dropped).
#[tauri::command]
pub fn attach_paths(s: S<'_>, account_id: Id, paths: Vec<String>) -> Answer<PickedFiles> {
    s.attach_paths(&account_id, &paths)
}

/// The marketplace accounts of the workspace (no tokens).
#[tauri::command]
pub fn list_accounts(s: S<'_>) -> Answer<Vec<AccountView>> {
    s.read("list_accounts", |w| w.accounts())
}

#[tauri::command]
pub fn alert_settings(s: S<'_>) -> Answer<AlertSettings> {
    s.read("alert_settings", |w| w.alert_settings())
}

/// Checks and saves the alert settings; answers them as saved.
#[tauri::command]
pub fn save_alert_settings(s: S<'_>, settings: AlertSettings) -> Answer<AlertSettings> {
    s.read("save_alert_settings", |w| w.save_alert_settings(&settings))
}

/// The business printed on invoices as the seller (empty until filled in).
#[tauri::command]
pub fn business_profile(s: S<'_>) -> Answer<BusinessProfile> {
    s.read("business_profile", |w| w.business_profile())
}

/// Checks and saves the business profile; answers it as saved.
#[tauri::command]
pub fn save_business_profile(s: S<'_>, profile: BusinessProfile) -> Answer<BusinessProfile> {
    s.read("save_business_profile", |w| {
        w.save_business_profile(&profile)
    })
}

// Async (off the main thread), like `order_page`: the count reads every active order.
/// How many items wait for the seller's answer (new orders, open buyer requests).
#[tauri::command]
pub async fn needs_response_count(s: S<'_>) -> Answer<usize> {
    s.read("needs_response_count", |w| w.needs_response_count())
}

// Async (off the main thread): planning the inbox reads every active order.
/// The `limit` most urgent alerts that still need the seller (answered, delivered or
/// expired ones resolve), and how many there are.
#[tauri::command]
pub async fn alerts_inbox(s: S<'_>, limit: u32) -> Answer<InboxPage> {
    s.read("alerts_inbox", |w| w.alerts_inbox(limit as usize))
}

/// Adds a marketplace account; its token goes to the keychain (off the main thread) and
/// never comes back to the window.
#[tauri::command]
pub async fn add_account(
    s: S<'_>,
    label: String,
    base_url: String,
    token: String,
) -> Answer<AccountView> {
    s.add_account(label, base_url, token).await
}

/// The marketplaces the seller can pick when adding an account.
#[tauri::command]
pub fn marketplaces(s: S<'_>) -> Vec<MarketplaceChoice> {
    s.marketplaces()
}

/// "Test connection": the address and token reach a server of the picked marketplace.
#[tauri::command]
pub async fn test_connection(
    s: S<'_>,
    base_url: String,
    token: String,
    marketplace: Option<String>,
) -> Answer<ConnectionCheck> {
    s.test_connection(base_url, token, marketplace).await
}

/// Removes an account with its orders, drafts, queued actions and token.
#[tauri::command]
pub async fn remove_account(s: S<'_>, account_id: Id) -> Answer<()> {
    s.remove_account(account_id).await
}

/// Sends the order's saved draft as a delivery (every file picked by the seller).
#[tauri::command]
pub async fn submit_delivery(s: S<'_>, account_id: Id, order_id: Id) -> Answer<OrderDetail> {
    s.submit_delivery(&account_id, &order_id)
}

/// Every upload of every account, newest delivery first.
#[tauri::command]
pub async fn list_uploads(s: S<'_>) -> Answer<Vec<UploadJobView>> {
    s.call("list_uploads", |d| d.uploads().jobs(d.workspace()))
}

#[tauri::command]
pub async fn pause_upload(s: S<'_>, job_id: Id) -> Answer<()> {
    s.call("pause_upload", |d| d.pause_upload(&job_id))
}

#[tauri::command]
pub async fn resume_upload(s: S<'_>, job_id: Id) -> Answer<()> {
    s.call("resume_upload", |d| d.resume_upload(&job_id))
}

/// Cancels an upload (or a whole delivery): ended on the server, back in the draft.
#[tauri::command]
pub async fn cancel_upload(s: S<'_>, id: Id) -> Answer<()> {
    guarded_async("cancel_upload", async {
        s.desk()?.cancel_upload(&id).await
    })
    .await
}

/// Whether sellerdesk starts at login (off until the seller turns it on in Settings).
#[tauri::command]
pub fn start_at_login<R: Runtime>(app: AppHandle<R>) -> Answer<bool> {
    let on = guarded("start_at_login", || Ok(app.autolaunch().is_enabled()))?;
    on.map_err(|e| internal("cannot read start at login", e))
}

/// Turns start at login on or off; answers the setting as it now is.
#[tauri::command]
pub fn set_start_at_login<R: Runtime>(app: AppHandle<R>, on: bool) -> Answer<bool> {
    let launcher = app.autolaunch();
    let changed = guarded("set_start_at_login", || {
        Ok(if on {
            launcher.enable()
        } else {
            launcher.disable()
        })
    })?;
    let now = changed.and_then(|()| launcher.is_enabled());
    now.map_err(|e| internal("cannot change start at login", e))
}
