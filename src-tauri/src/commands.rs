//! The IPC commands: thin forwards to the core's `Workspace`.

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
