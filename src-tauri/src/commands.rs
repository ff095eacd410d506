//! The IPC commands: thin forwards to the core's `Workspace`.

use sellerdesk_core::detail::{ActionRequest, OrderDetail};
use sellerdesk_core::earnings::EarningsView;
use sellerdesk_core::sync::SyncStatus;
use sellerdesk_core::view::{AppInfo, OrderRow};
use sellerdesk_core::{AppError, ErrorCode};
use tauri::State;

use crate::startup::AppState;

fn workspace(state: &AppState) -> Result<&sellerdesk_core::Workspace, AppError> {
    state.workspace.as_deref().ok_or_else(|| {
        state
            .startup_error
            .clone()
            .unwrap_or_else(|| AppError::new(ErrorCode::Internal, "the workspace is not open"))
    })
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    match workspace(&state) {
        Ok(ws) => ws.app_info(),
        Err(error) => AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            demo: state.demo,
            marketplace: String::new(),
            startup_error: Some(error),
        },
    }
}

#[tauri::command]
pub fn list_orders(state: State<'_, AppState>) -> Result<Vec<OrderRow>, AppError> {
    workspace(&state)?.order_rows()
}

#[tauri::command]
pub fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, AppError> {
    Ok(workspace(&state)?.sync_status())
}

#[tauri::command]
pub fn sync_now(state: State<'_, AppState>) -> Result<SyncStatus, AppError> {
    let ws = workspace(&state)?;
    if let Some(sync) = &state.sync {
        sync.sync_now();
    }
    Ok(ws.sync_status())
}

#[tauri::command]
pub fn order_detail(
    state: State<'_, AppState>,
    account_id: String,
    order_id: String,
) -> Result<OrderDetail, AppError> {
    check_id("account id", &account_id)?;
    check_id("order id", &order_id)?;
    workspace(&state)?.order_detail(&account_id, &order_id)
}

#[tauri::command]
pub fn earnings(state: State<'_, AppState>) -> Result<EarningsView, AppError> {
    let offset = *chrono::Local::now().offset();
    workspace(&state)?.earnings(offset)
}

/// Ids from the window are short printable strings; anything else is refused before
/// it reaches the core.
fn check_id(what: &str, id: &str) -> Result<(), AppError> {
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
    action: ActionRequest,
) -> Result<OrderDetail, AppError> {
    check_id("account id", &account_id)?;
    check_id("order id", &order_id)?;
    if let Some(request_id) = &action.request_id {
        check_id("request id", request_id)?;
    }
    let ws = workspace(&state)?;
    ws.enqueue_action(&account_id, &order_id, &action.to_order_action()?)?;
    if let Some(sync) = &state.sync {
        sync.sync_now();
    }
    ws.order_detail(&account_id, &order_id)
}

/// Removes a refused action from an order's detail.
#[tauri::command]
pub fn dismiss_action(
    state: State<'_, AppState>,
    account_id: String,
    order_id: String,
    seq: i64,
) -> Result<OrderDetail, AppError> {
    check_id("account id", &account_id)?;
    check_id("order id", &order_id)?;
    let ws = workspace(&state)?;
    ws.store().dismiss_action(seq).map_err(AppError::from)?;
    ws.order_detail(&account_id, &order_id)
}
