//! The IPC commands: adapters from the window to the core's `Desk`, one core method per
//! command, under a guard (a panic answers an `Internal` error). Only the system dialogs
//! and the granted-files check live here.

use sellerdesk_core::actions::Id;
use sellerdesk_core::alerts::{AlertSettings, InboxAlert};
use sellerdesk_core::business::BusinessProfile;
use sellerdesk_core::desk::Desk;
use sellerdesk_core::detail::{OrderDetail, SellerAction};
use sellerdesk_core::drafts::{DraftView, PickedFiles};
use sellerdesk_core::earnings::EarningsView;
use sellerdesk_core::exports::{BatchExport, CsvKind, SavedFile, write_file_atomically};
use sellerdesk_core::finder::OrderQuery;
use sellerdesk_core::grants::GrantedFiles;
use sellerdesk_core::listing::OrderKey;
use sellerdesk_core::store::DraftContent;
use sellerdesk_core::sync::SyncStatus;
use sellerdesk_core::uploads::UploadJobView;
use sellerdesk_core::view::{AccountView, AppInfo, OrderRow};
use sellerdesk_core::{AppError, ErrorCode, Workspace};
use tauri::{Runtime, State};

use crate::guard::{blocking, command as guarded, command_async as guarded_async};
use crate::startup::AppState;

type Answer<T> = Result<T, AppError>;

fn desk(state: &AppState) -> Answer<&std::sync::Arc<Desk>> {
    state.desk.as_ref().ok_or_else(|| {
        let e = AppError::new(ErrorCode::Internal, "the workspace is not open");
        state.startup_error.clone().unwrap_or(e)
    })
}

fn ws(state: &AppState) -> Answer<&Workspace> {
    desk(state).map(|d| d.workspace())
}

fn local_offset() -> chrono::FixedOffset {
    *chrono::Local::now().offset()
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    guarded("app_info", || ws(&state).map(|ws| ws.app_info())).unwrap_or_else(|error| AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        demo: state.demo,
        marketplace: String::new(),
        startup_error: Some(error),
    })
}

#[tauri::command]
pub fn list_orders(state: State<'_, AppState>) -> Answer<Vec<OrderRow>> {
    guarded("list_orders", || ws(&state)?.order_rows())
}

/// The rows of the orders a change batch named (absent: no longer listed).
#[tauri::command]
pub fn order_rows_of(state: State<'_, AppState>, keys: Vec<OrderKey>) -> Answer<Vec<OrderRow>> {
    guarded("order_rows_of", || ws(&state)?.order_rows_of(&keys))
}

/// The orders of a status group matching a search, sorted as asked (past orders too).
#[tauri::command]
pub fn find_orders(state: State<'_, AppState>, query: OrderQuery) -> Answer<Vec<OrderRow>> {
    guarded("find_orders", || ws(&state)?.find_orders(&query))
}

#[tauri::command]
pub fn sync_status(state: State<'_, AppState>) -> Answer<SyncStatus> {
    guarded("sync_status", || Ok(ws(&state)?.sync_status()))
}

#[tauri::command]
pub fn sync_now(state: State<'_, AppState>) -> Answer<SyncStatus> {
    guarded("sync_now", || Ok(desk(&state)?.sync_now()))
}

#[tauri::command]
pub fn order_detail(
    state: State<'_, AppState>,
    account_id: Id,
    order_id: Id,
) -> Answer<OrderDetail> {
    guarded("order_detail", || {
        ws(&state)?.order_detail(&account_id, &order_id)
    })
}

#[tauri::command]
pub fn earnings(state: State<'_, AppState>, account_id: Option<Id>) -> Answer<EarningsView> {
    guarded("earnings", || {
        ws(&state)?.earnings_of(local_offset(), account_id.as_deref())
    })
}

/// A seller action: to the outbox, pushed by the core's engine; answers the order's
/// detail showing it pending.
#[tauri::command]
pub fn order_action(
    state: State<'_, AppState>,
    account_id: Id,
    order_id: Id,
    action: SellerAction,
) -> Answer<OrderDetail> {
    guarded("order_action", || {
        desk(&state)?.perform(&account_id, &order_id, &action)
    })
}

/// Removes a refused action from an order's detail.
#[tauri::command]
pub fn dismiss_action(
    state: State<'_, AppState>,
    account_id: Id,
    order_id: Id,
    seq: i64,
) -> Answer<OrderDetail> {
    guarded("dismiss_action", || {
        desk(&state)?.dismiss_action(&account_id, &order_id, seq)
    })
}

/// Saves the order's sales invoice (PDF) in the export folder and returns where.
#[tauri::command]
pub fn save_invoice(state: State<'_, AppState>, account_id: Id, order_id: Id) -> Answer<SavedFile> {
    guarded("save_invoice", || {
        ws(&state)?.save_invoice(&account_id, &order_id, local_offset(), &state.export_dir)
    })
}

/// Asks where to save the order's invoice (the system's save dialog), then saves it there.
/// `None` when the seller closes the dialog.
#[tauri::command]
pub async fn save_invoice_as<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    account_id: Id,
    order_id: Id,
) -> Answer<Option<SavedFile>> {
    guarded_async("save_invoice_as", async {
        use tauri_plugin_dialog::DialogExt;
        let pdf = ws(&state)?.invoice_pdf(&account_id, &order_id, local_offset())?;
        let chosen = app
            .dialog()
            .file()
            .set_title("Save the sales invoice")
            .set_directory(&state.export_dir)
            .set_file_name(&pdf.file_name)
            .add_filter("PDF document", &["pdf"])
            .blocking_save_file();
        let Some(chosen) = chosen else {
            return Ok(None);
        };
        let path = chosen.into_path().map_err(|e| {
            AppError::new(ErrorCode::InvalidInput, format!("cannot save there: {e}"))
        })?;
        write_file_atomically(&path, &pdf.bytes).map(Some)
    })
    .await
}

/// Saves the invoices of every order completed in a month under the export folder.
#[tauri::command]
pub fn export_month_invoices(
    state: State<'_, AppState>,
    year: i32,
    month: u32,
) -> Answer<BatchExport> {
    guarded("export_month_invoices", || {
        ws(&state)?.export_month_invoices(year, month, local_offset(), &state.export_dir)
    })
}

/// Writes a CSV of orders or earnings for `from..=to` (local days) in the export folder.
#[tauri::command]
pub fn export_csv(
    state: State<'_, AppState>,
    kind: CsvKind,
    from: String,
    to: String,
) -> Answer<SavedFile> {
    guarded("export_csv", || {
        ws(&state)?.export_csv(kind, &from, &to, local_offset(), &state.export_dir)
    })
}

/// The order's delivery draft, if the seller started one.
#[tauri::command]
pub fn load_draft(
    state: State<'_, AppState>,
    account_id: Id,
    order_id: Id,
) -> Answer<Option<DraftView>> {
    guarded("load_draft", || ws(&state)?.draft(&account_id, &order_id))
}

/// Autosave over version `base` (an older base is refused as `conflict`). Every file
/// must have been picked or dropped by the seller: else `not_allowed`, nothing saved.
#[tauri::command]
pub fn save_draft(
    state: State<'_, AppState>,
    granted: State<'_, GrantedFiles>,
    account_id: Id,
    order_id: Id,
    base: Option<u64>,
    content: DraftContent,
) -> Answer<DraftView> {
    guarded("save_draft", || {
        granted.check(content.files.iter().map(|f| f.path.as_str()))?;
        desk(&state)?.save_draft(&account_id, &order_id, base, &content)
    })
}

#[tauri::command]
pub fn discard_draft(state: State<'_, AppState>, account_id: Id, order_id: Id) -> Answer<bool> {
    guarded("discard_draft", || {
        desk(&state)?.discard_draft(&account_id, &order_id)
    })
}

/// Files to deliver, chosen in the system's file dialog and checked at once.
#[tauri::command]
pub async fn pick_delivery_files<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    granted: State<'_, GrantedFiles>,
    account_id: Id,
) -> Answer<PickedFiles> {
    guarded_async("pick_delivery_files", async {
        use tauri_plugin_dialog::DialogExt;
        let ws = ws(&state)?;
        let dialog = app.dialog().file().set_title("Files to deliver");
        let Some(chosen) = dialog.blocking_pick_files() else {
            return Ok(PickedFiles::default());
        };
        let (paths, refused): (Vec<_>, Vec<_>) = chosen
            .into_iter()
            .map(|file| file.into_path())
            .partition(Result::is_ok);
        let paths: Vec<_> = paths.into_iter().filter_map(Result::ok).collect();
        granted.grant(paths.iter().cloned());
        let mut picked = ws.attachable_files(&account_id, &paths);
        let why = refused.into_iter().filter_map(|e| e.err());
        picked
            .refused
            .extend(why.map(|e| format!("cannot use that file: {e}")));
        Ok(picked)
    })
    .await
}

/// Files dropped on the window, attached by the paths the drop event carried (only
/// those the seller picked or dropped).
#[tauri::command]
pub fn attach_paths(
    state: State<'_, AppState>,
    granted: State<'_, GrantedFiles>,
    account_id: Id,
    paths: Vec<String>,
) -> Answer<PickedFiles> {
    guarded("attach_paths", || {
        granted.attach(ws(&state)?, &account_id, &paths)
    })
}

/// The marketplace accounts of the workspace (no tokens).
#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Answer<Vec<AccountView>> {
    guarded("list_accounts", || ws(&state)?.accounts())
}

#[tauri::command]
pub fn alert_settings(state: State<'_, AppState>) -> Answer<AlertSettings> {
    guarded("alert_settings", || ws(&state)?.alert_settings())
}

/// Checks and saves the alert settings; answers them as saved.
#[tauri::command]
pub fn save_alert_settings(
    state: State<'_, AppState>,
    settings: AlertSettings,
) -> Answer<AlertSettings> {
    guarded("save_alert_settings", || {
        ws(&state)?.save_alert_settings(&settings)
    })
}

/// The business printed on invoices as the seller (empty until filled in).
#[tauri::command]
pub fn business_profile(state: State<'_, AppState>) -> Answer<BusinessProfile> {
    guarded("business_profile", || ws(&state)?.business_profile())
}

/// Checks and saves the business profile; answers it as saved.
#[tauri::command]
pub fn save_business_profile(
    state: State<'_, AppState>,
    profile: BusinessProfile,
) -> Answer<BusinessProfile> {
    guarded("save_business_profile", || {
        ws(&state)?.save_business_profile(&profile)
    })
}

/// How many items wait for the seller's answer (new orders, open buyer requests).
#[tauri::command]
pub fn needs_response_count(state: State<'_, AppState>) -> Answer<usize> {
    guarded("needs_response_count", || {
        ws(&state)?.needs_response_count()
    })
}

/// The alerts that still need the seller (answered, delivered or expired ones resolve).
#[tauri::command]
pub fn alerts_inbox(state: State<'_, AppState>) -> Answer<Vec<InboxAlert>> {
    guarded("alerts_inbox", || ws(&state)?.alerts_inbox())
}

/// Adds a marketplace account; its token goes to the keychain (off the main thread) and
/// never comes back to the window.
#[tauri::command]
pub async fn add_account(
    state: State<'_, AppState>,
    label: String,
    base_url: String,
    token: String,
) -> Answer<AccountView> {
    guarded_async("add_account", async {
        if base_url.len() > 2048 || token.len() > 4096 {
            let why = "the address or the token is too long";
            return Err(AppError::new(ErrorCode::InvalidInput, why));
        }
        let (desk, vault) = (desk(&state)?.clone(), state.vault.clone());
        blocking("add_account", move || {
            desk.add_account(&label, &base_url, &token, &vault)
        })
        .await
    })
    .await
}

/// Removes an account with its orders, drafts, queued actions and token.
#[tauri::command]
pub async fn remove_account(state: State<'_, AppState>, account_id: Id) -> Answer<()> {
    guarded_async("remove_account", async {
        let (desk, vault) = (desk(&state)?.clone(), state.vault.clone());
        blocking("remove_account", move || {
            desk.remove_account(&account_id, &vault)
        })
        .await
    })
    .await
}

/// Sends the order's saved draft as a delivery (every file picked by the seller).
#[tauri::command]
pub async fn submit_delivery(
    state: State<'_, AppState>,
    granted: State<'_, GrantedFiles>,
    account_id: Id,
    order_id: Id,
) -> Answer<OrderDetail> {
    guarded_async("submit_delivery", async {
        let desk = desk(&state)?;
        if let Some(draft) = desk.workspace().draft(&account_id, &order_id)? {
            granted.check(draft.draft.content.files.iter().map(|f| f.path.as_str()))?;
        }
        desk.submit_delivery(&account_id, &order_id)
    })
    .await
}

/// Every upload of every account, newest delivery first.
#[tauri::command]
pub async fn list_uploads(state: State<'_, AppState>) -> Answer<Vec<UploadJobView>> {
    guarded_async("list_uploads", async {
        let desk = desk(&state)?;
        desk.uploads().jobs(desk.workspace())
    })
    .await
}

#[tauri::command]
pub async fn pause_upload(state: State<'_, AppState>, job_id: Id) -> Answer<()> {
    guarded_async("pause_upload", async {
        desk(&state)?.pause_upload(&job_id)
    })
    .await
}

#[tauri::command]
pub async fn resume_upload(state: State<'_, AppState>, job_id: Id) -> Answer<()> {
    guarded_async("resume_upload", async {
        desk(&state)?.resume_upload(&job_id)
    })
    .await
}

/// Cancels an upload (or a whole delivery): ended on the server, back in the draft.
#[tauri::command]
pub async fn cancel_upload(state: State<'_, AppState>, id: Id) -> Answer<()> {
    guarded_async("cancel_upload", async {
        desk(&state)?.cancel_upload(&id).await
    })
    .await
}

/// Whether sellerdesk starts at login (off until the seller turns it on in Settings).
#[tauri::command]
pub fn start_at_login<R: Runtime>(app: tauri::AppHandle<R>) -> Answer<bool> {
    use tauri_plugin_autostart::ManagerExt;
    guarded("start_at_login", || {
        app.autolaunch().is_enabled().map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!("cannot read start at login: {e}"),
            )
        })
    })
}

/// Turns start at login on or off; answers the setting as it now is.
#[tauri::command]
pub fn set_start_at_login<R: Runtime>(app: tauri::AppHandle<R>, on: bool) -> Answer<bool> {
    use tauri_plugin_autostart::ManagerExt;
    guarded("set_start_at_login", || {
        let launcher = app.autolaunch();
        let changed = if on {
            launcher.enable()
        } else {
            launcher.disable()
        };
        changed.and_then(|()| launcher.is_enabled()).map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!("cannot change start at login: {e}"),
            )
        })
    })
}
