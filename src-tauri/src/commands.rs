//! The IPC commands: thin forwards to the core's `Workspace`.

use sellerdesk_core::alerts::AlertSettings;
use sellerdesk_core::detail::{OrderDetail, SellerAction};
use sellerdesk_core::drafts::{DraftView, PickedFiles};
use sellerdesk_core::earnings::EarningsView;
use sellerdesk_core::exports::{BatchExport, PeriodKind, SavedFile, write_file_atomically};
use sellerdesk_core::store::DraftContent;
use sellerdesk_core::sync::SyncStatus;
use sellerdesk_core::view::{AccountView, AppInfo, OrderRow};
use sellerdesk_core::{AppError, ErrorCode};
use tauri::{Runtime, State};

use crate::granted::GrantedFiles;
use crate::guard;
use crate::startup::AppState;

fn not_open(state: &AppState) -> AppError {
    state
        .startup_error
        .clone()
        .unwrap_or_else(|| AppError::new(ErrorCode::Internal, "the workspace is not open"))
}

pub(crate) fn workspace(state: &AppState) -> Result<&sellerdesk_core::Workspace, AppError> {
    state.workspace.as_deref().ok_or_else(|| not_open(state))
}

/// The open workspace, shared (for work moved off the main thread).
fn workspace_arc(state: &AppState) -> Result<std::sync::Arc<sellerdesk_core::Workspace>, AppError> {
    state.workspace.clone().ok_or_else(|| not_open(state))
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    guard::command("app_info", || workspace(&state).map(|ws| ws.app_info())).unwrap_or_else(
        |error| AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            demo: state.demo,
            marketplace: String::new(),
            startup_error: Some(error),
        },
    )
}

#[tauri::command]
pub fn list_orders(state: State<'_, AppState>) -> Result<Vec<OrderRow>, AppError> {
    guard::command("list_orders", || workspace(&state)?.order_rows())
}

#[tauri::command]
pub fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, AppError> {
    guard::command("sync_status", || Ok(workspace(&state)?.sync_status()))
}

#[tauri::command]
pub fn sync_now(state: State<'_, AppState>) -> Result<SyncStatus, AppError> {
    guard::command("sync_now", || {
        let ws = workspace(&state)?;
        if let Some(sync) = &state.sync {
            sync.sync_now();
        }
        Ok(ws.sync_status())
    })
}

#[tauri::command]
pub fn order_detail(
    state: State<'_, AppState>,
    account_id: String,
    order_id: String,
) -> Result<OrderDetail, AppError> {
    guard::command("order_detail", || {
        check_id("account id", &account_id)?;
        check_id("order id", &order_id)?;
        workspace(&state)?.order_detail(&account_id, &order_id)
    })
}

#[tauri::command]
pub fn earnings(
    state: State<'_, AppState>,
    account_id: Option<String>,
) -> Result<EarningsView, AppError> {
    guard::command("earnings", || {
        if let Some(id) = &account_id {
            check_id("account id", id)?;
        }
        let offset = *chrono::Local::now().offset();
        workspace(&state)?.earnings_of(offset, account_id.as_deref())
    })
}

/// Ids from the window are short printable strings; anything else is refused before
/// it reaches the core.
pub(crate) fn check_id(what: &str, id: &str) -> Result<(), AppError> {
    let ok = !id.is_empty() && id.len() <= 128 && id.chars().all(|c| c.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::InvalidInput,
            format!("invalid {what}"),
        ))
    }
}

/// Records a seller action (accept/decline an order, answer a request) in the outbox,
/// wakes the sync to push it, and returns the order's detail showing it pending.
#[tauri::command]
pub fn order_action(
    state: State<'_, AppState>,
    account_id: String,
    order_id: String,
    action: SellerAction,
) -> Result<OrderDetail, AppError> {
    guard::command("order_action", || {
        check_id("account id", &account_id)?;
        check_id("order id", &order_id)?;
        let ws = workspace(&state)?;
        ws.enqueue_action(&account_id, &order_id, &action.to_wire()?)?;
        if let Some(sync) = &state.sync {
            sync.sync_now();
        }
        ws.order_detail(&account_id, &order_id)
    })
}

/// Removes a refused action from an order's detail.
#[tauri::command]
pub fn dismiss_action(
    state: State<'_, AppState>,
    account_id: String,
    order_id: String,
    seq: i64,
) -> Result<OrderDetail, AppError> {
    guard::command("dismiss_action", || {
        check_id("account id", &account_id)?;
        check_id("order id", &order_id)?;
        let ws = workspace(&state)?;
        ws.store().dismiss_action(seq).map_err(AppError::from)?;
        ws.order_detail(&account_id, &order_id)
    })
}

fn local_offset() -> chrono::FixedOffset {
    *chrono::Local::now().offset()
}

/// Saves the order's sales invoice (PDF) in the export folder and returns where.
#[tauri::command]
pub fn save_invoice(
    state: State<'_, AppState>,
    account_id: String,
    order_id: String,
) -> Result<SavedFile, AppError> {
    guard::command("save_invoice", || {
        check_id("account id", &account_id)?;
        check_id("order id", &order_id)?;
        workspace(&state)?.save_invoice(&account_id, &order_id, local_offset(), &state.export_dir)
    })
}

/// Asks where to save the order's invoice (the system's save dialog), then saves it there.
/// `None` when the seller closes the dialog.
#[tauri::command]
pub async fn save_invoice_as<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
    order_id: String,
) -> Result<Option<SavedFile>, AppError> {
    guard::command_async("save_invoice_as", async {
        use tauri_plugin_dialog::DialogExt;
        check_id("account id", &account_id)?;
        check_id("order id", &order_id)?;
        let ws = workspace(&state)?;
        let pdf = ws.invoice_pdf(&account_id, &order_id, local_offset())?;
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
) -> Result<BatchExport, AppError> {
    guard::command("export_month_invoices", || {
        workspace(&state)?.export_month_invoices(year, month, local_offset(), &state.export_dir)
    })
}

/// What a CSV export holds.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    Orders,
    EarningsByWeek,
    EarningsByMonth,
}

fn parse_day(what: &str, text: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("the {what} date must read YYYY-MM-DD, not {text:?}"),
        )
    })
}

/// Writes a CSV of orders or earnings for `from..=to` (local days) in the export folder.
#[tauri::command]
pub fn export_csv(
    state: State<'_, AppState>,
    kind: CsvKind,
    from: String,
    to: String,
) -> Result<SavedFile, AppError> {
    guard::command("export_csv", || {
        let (from, to) = (parse_day("start", &from)?, parse_day("end", &to)?);
        let ws = workspace(&state)?;
        let offset = local_offset();
        let (stem, text) = match kind {
            CsvKind::Orders => ("orders", ws.orders_csv(from, to, offset)?),
            CsvKind::EarningsByWeek => (
                "earnings by week",
                ws.earnings_csv(from, to, PeriodKind::Week, offset)?,
            ),
            CsvKind::EarningsByMonth => (
                "earnings by month",
                ws.earnings_csv(from, to, PeriodKind::Month, offset)?,
            ),
        };
        let name = format!("{stem} {from} to {to}.csv");
        write_file_atomically(&state.export_dir.join(name), text.as_bytes())
    })
}

/// The order's delivery draft, if the seller started one.
#[tauri::command]
pub fn load_draft(
    state: State<'_, AppState>,
    account_id: String,
    order_id: String,
) -> Result<Option<DraftView>, AppError> {
    guard::command("load_draft", || {
        check_id("account id", &account_id)?;
        check_id("order id", &order_id)?;
        workspace(&state)?.draft(&account_id, &order_id)
    })
}

/// Autosave: stores the composer's content over version `base`; a save that started from
/// an older version is refused (`conflict`) and the newer draft kept. Every file must have
/// been picked or dropped by the seller (see `granted`): else `not_allowed`, nothing saved.
#[tauri::command]
pub fn save_draft(
    state: State<'_, AppState>,
    granted: State<'_, GrantedFiles>,
    account_id: String,
    order_id: String,
    base: Option<u64>,
    content: DraftContent,
) -> Result<DraftView, AppError> {
    guard::command("save_draft", || {
        check_id("account id", &account_id)?;
        check_id("order id", &order_id)?;
        granted.check(content.files.iter().map(|f| f.path.as_str()))?;
        workspace(&state)?.save_draft(&account_id, &order_id, base, &content)
    })
}

#[tauri::command]
pub fn discard_draft(
    state: State<'_, AppState>,
    account_id: String,
    order_id: String,
) -> Result<bool, AppError> {
    guard::command("discard_draft", || {
        check_id("account id", &account_id)?;
        check_id("order id", &order_id)?;
        workspace(&state)?.discard_draft(&account_id, &order_id)
    })
}

/// Files to deliver, chosen in the system's file dialog and checked at once.
#[tauri::command]
pub async fn pick_delivery_files<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    granted: State<'_, GrantedFiles>,
    account_id: String,
) -> Result<PickedFiles, AppError> {
    guard::command_async("pick_delivery_files", async {
        use tauri_plugin_dialog::DialogExt;
        check_id("account id", &account_id)?;
        let ws = workspace(&state)?;
        let Some(chosen) = app
            .dialog()
            .file()
            .set_title("Files to deliver")
            .blocking_pick_files()
        else {
            return Ok(PickedFiles::default());
        };
        let mut paths = Vec::new();
        let mut refused = Vec::new();
        for file in chosen {
            match file.into_path() {
                Ok(path) => paths.push(path),
                Err(e) => refused.push(format!("cannot use that file: {e}")),
            }
        }
        granted.grant(paths.iter().cloned());
        let mut picked = ws.attachable_files(&account_id, &paths);
        picked.refused.extend(refused);
        Ok(picked)
    })
    .await
}

/// Files dropped on the window, attached by the paths the drop event carried. Only paths
/// the seller picked or dropped are accepted (see `granted`).
#[tauri::command]
pub fn attach_paths(
    state: State<'_, AppState>,
    granted: State<'_, GrantedFiles>,
    account_id: String,
    paths: Vec<String>,
) -> Result<PickedFiles, AppError> {
    guard::command("attach_paths", || {
        check_id("account id", &account_id)?;
        if paths.len() > 100 {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "attach at most 100 files at a time",
            ));
        }
        let (allowed, denied): (Vec<std::path::PathBuf>, Vec<std::path::PathBuf>) = paths
            .iter()
            .map(std::path::PathBuf::from)
            .partition(|p| granted.is_granted(p));
        let mut picked = workspace(&state)?.attachable_files(&account_id, &allowed);
        picked.refused.extend(denied.iter().map(|p| {
            format!(
                "{} was not picked or dropped by you: add files with \"Add files…\" or drop them on the window",
                p.display()
            )
        }));
        Ok(picked)
    })
}

/// The marketplace accounts of the workspace (no tokens).
#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountView>, AppError> {
    guard::command("list_accounts", || workspace(&state)?.accounts())
}

#[tauri::command]
pub fn alert_settings(state: State<'_, AppState>) -> Result<AlertSettings, AppError> {
    guard::command("alert_settings", || workspace(&state)?.alert_settings())
}

/// Checks and saves the alert settings; answers them as saved.
#[tauri::command]
pub fn save_alert_settings(
    state: State<'_, AppState>,
    settings: AlertSettings,
) -> Result<AlertSettings, AppError> {
    guard::command("save_alert_settings", || {
        workspace(&state)?.save_alert_settings(&settings)
    })
}

/// How many items wait for the seller's answer (new orders, open buyer requests).
#[tauri::command]
pub fn needs_response_count(state: State<'_, AppState>) -> Result<usize, AppError> {
    guard::command("needs_response_count", || {
        workspace(&state)?.needs_response_count()
    })
}

/// Adds a marketplace account; its token goes to the keychain (or memory, said so) and
/// never comes back to the window. The keychain is used off the main thread.
#[tauri::command]
pub async fn add_account(
    state: State<'_, AppState>,
    label: String,
    base_url: String,
    token: String,
) -> Result<AccountView, AppError> {
    guard::command_async("add_account", async {
        if base_url.len() > 2048 || token.len() > 4096 {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "the address or the token is too long",
            ));
        }
        let (ws, vault) = (workspace_arc(&state)?, state.vault.clone());
        let added = guard::blocking("add_account", move || {
            ws.add_account(&label, &base_url, &token, &vault)
        })
        .await?;
        if let Some(sync) = &state.sync {
            sync.sync_now();
        }
        Ok(added)
    })
    .await
}

/// Removes an account with its orders, drafts and queued actions, and its token (from
/// the keychain, off the main thread).
#[tauri::command]
pub async fn remove_account<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
) -> Result<(), AppError> {
    use tauri::Emitter;
    guard::command_async("remove_account", async {
        check_id("account id", &account_id)?;
        let (ws, vault) = (workspace_arc(&state)?, state.vault.clone());
        let gone = guard::blocking("remove_account", move || {
            let gone: Vec<String> = ws
                .store()
                .all_orders()
                .map_err(AppError::from)?
                .into_iter()
                .filter(|(a, _)| *a == account_id)
                .map(|(_, o)| o.id)
                .collect();
            ws.remove_account(&account_id, &vault)?;
            Ok(gone)
        })
        .await?;
        let _ = app.emit(
            "orders-changed",
            sellerdesk_core::view::OrdersChanged { ids: gone },
        );
        if let Some(sync) = &state.sync {
            sync.sync_now();
        }
        Ok(())
    })
    .await
}
