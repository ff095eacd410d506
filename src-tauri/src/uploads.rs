//! Delivery uploads in the shell: forwards the core's upload progress to the window and
//! wakes the sync when a delivery's last file is up (its deliver action is then in the
//! outbox), and the commands of the uploads panel and the composer's "Deliver".

use std::sync::Arc;

use sellerdesk_core::detail::OrderDetail;
use sellerdesk_core::store::JobState;
use sellerdesk_core::sync_loop::SyncWaker;
use sellerdesk_core::uploads::{UploadHub, UploadJobView};
use sellerdesk_core::{AppError, ErrorCode, Workspace};
use tauri::{AppHandle, Emitter, State};
use tokio::sync::broadcast::error::RecvError;

use crate::commands::check_id;
use crate::granted::GrantedFiles;
use crate::guard;
use crate::startup::AppState;

/// Sends every progress event to the window (`upload-progress`); a finished file wakes
/// the sync so a completed delivery is pushed at once.
pub fn forward_progress(app: AppHandle, hub: &UploadHub, sync: Option<SyncWaker>) {
    let mut events = hub.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(progress) => crate::guard::callback("upload progress", || {
                    if progress.state == JobState::Done
                        && let Some(sync) = &sync
                    {
                        sync.wake();
                    }
                    if let Err(e) = app.emit("upload-progress", &progress) {
                        tracing::warn!(error = %e, "cannot emit upload-progress");
                    }
                }),
                Err(RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "upload progress events skipped");
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

fn parts(state: &AppState) -> Result<(&Workspace, &Arc<UploadHub>), AppError> {
    let ws = crate::commands::workspace(state)?;
    let hub = state
        .uploads
        .as_ref()
        .ok_or_else(|| AppError::new(ErrorCode::Internal, "uploads are not available"))?;
    Ok((ws, hub))
}

/// Sends the order's saved draft as a delivery: its files start uploading, the draft
/// is replaced by the delivery, and the order's detail shows it. Every file must have
/// been picked or dropped by the seller (see `granted`).
#[tauri::command]
pub async fn submit_delivery(
    state: State<'_, AppState>,
    granted: State<'_, GrantedFiles>,
    account_id: String,
    order_id: String,
) -> Result<OrderDetail, AppError> {
    guard::command_async("submit_delivery", async {
        check_id("account id", &account_id)?;
        check_id("order id", &order_id)?;
        let (ws, hub) = parts(&state)?;
        if let Some(draft) = ws.draft(&account_id, &order_id)? {
            let files = &draft.draft.content.files;
            granted.check(files.iter().map(|f| f.path.as_str()))?;
        }
        hub.submit(ws, &account_id, &order_id)?;
        if let Some(sync) = &state.sync {
            // A delivery without files is in the outbox already.
            sync.sync_now();
        }
        ws.order_detail(&account_id, &order_id)
    })
    .await
}

/// Every upload of every account, newest delivery first.
#[tauri::command]
pub async fn list_uploads(state: State<'_, AppState>) -> Result<Vec<UploadJobView>, AppError> {
    guard::command_async("list_uploads", async {
        let (ws, hub) = parts(&state)?;
        hub.jobs(ws)
    })
    .await
}

#[tauri::command]
pub async fn pause_upload(state: State<'_, AppState>, job_id: String) -> Result<(), AppError> {
    guard::command_async("pause_upload", async {
        check_id("upload id", &job_id)?;
        let (ws, hub) = parts(&state)?;
        hub.pause(ws, &job_id)
    })
    .await
}

#[tauri::command]
pub async fn resume_upload(state: State<'_, AppState>, job_id: String) -> Result<(), AppError> {
    guard::command_async("resume_upload", async {
        check_id("upload id", &job_id)?;
        let (ws, hub) = parts(&state)?;
        hub.resume(ws, &job_id)
    })
    .await
}

/// Cancels an upload (or a whole delivery): ended on the server, back in the draft.
#[tauri::command]
pub async fn cancel_upload(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    guard::command_async("cancel_upload", async {
        check_id("upload id", &id)?;
        let (ws, hub) = parts(&state)?;
        hub.cancel(ws, &id).await
    })
    .await
}
