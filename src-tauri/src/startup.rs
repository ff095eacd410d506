//! Start-up: pick the data folder, open the workspace, start the embedded demo
//! marketplace when no account is configured, and run the background sync.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sellerdesk_core::store::{Account, DEMO_ACCOUNT_ID, start_account_id};
use sellerdesk_core::sync::SyncStatus;
use sellerdesk_core::sync_loop::{SyncHandle, spawn_sync_loop};
use sellerdesk_core::uploads::UploadHub;
use sellerdesk_core::view::OrdersChanged;
use sellerdesk_core::{AppError, ErrorCode, EventSink, Workspace, system_clock};
use sellerdesk_sim::{RunningSim, SimConfig};
use tauri::{App, AppHandle, Emitter, Manager, Runtime};

/// Seconds between background pulls when all is well.
const DEFAULT_SYNC_INTERVAL: Duration = Duration::from_secs(30);

pub struct AppState {
    pub workspace: Option<Arc<Workspace>>,
    pub startup_error: Option<AppError>,
    pub demo: bool,
    pub sync: Option<SyncHandle>,
    /// Where invoices and CSV exports go unless the seller picks a place.
    pub export_dir: PathBuf,
    /// Where marketplace tokens are kept (the OS keychain).
    pub vault: Arc<sellerdesk_core::vault::Vault>,
    /// Every account's delivery uploads.
    pub uploads: Option<Arc<UploadHub>>,
    _sim: Option<RunningSim>,
    _log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
}

impl AppState {
    /// An open workspace with its uploads, and no sync loop, simulator or log file (tests).
    pub fn for_workspace(
        ws: Arc<Workspace>,
        export_dir: PathBuf,
        vault: sellerdesk_core::vault::Vault,
    ) -> AppState {
        AppState {
            uploads: Some(Arc::new(UploadHub::new(&ws))),
            workspace: Some(ws),
            startup_error: None,
            demo: false,
            sync: None,
            export_dir,
            vault: Arc::new(vault),
            _sim: None,
            _log_guard: None,
        }
    }

    /// No workspace: every command answers `error`, which the window shows.
    pub fn failed(error: AppError, export_dir: PathBuf) -> AppState {
        AppState {
            workspace: None,
            startup_error: Some(error),
            demo: false,
            sync: None,
            export_dir,
            vault: Arc::new(sellerdesk_core::vault::Vault::memory_only()),
            uploads: None,
            _sim: None,
            _log_guard: None,
        }
    }
}

/// Brings the main window to the front (a second instance was started, a notification
/// was clicked).
pub fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The variable holding the token of a marketplace given in the environment.
pub const API_TOKEN_VAR: &str = "SELLERDESK_API_TOKEN";

/// Reads `name` and removes it from the environment (also when it is not UTF-8), so
/// that WebKit's child processes (and anything else the app starts) do not inherit it.
///
/// # Safety
/// No other thread may read or write the environment meanwhile: call it first in `main`.
pub unsafe fn take_env_var(name: &str) -> Option<String> {
    let value = std::env::var(name).ok();
    // SAFETY: the caller guarantees no other thread touches the environment.
    unsafe { std::env::remove_var(name) };
    value
}

/// Forwards core events to the window, and keeps the badge count current.
struct WindowEvents {
    app: AppHandle,
    ws: Arc<Workspace>,
    uploads: Arc<UploadHub>,
}

/// Shows how many items wait for the seller's answer: the launcher badge (where the
/// desktop supports one), the window title, and the `needs-response` event for the
/// window's own badge.
pub fn update_badge(app: &AppHandle, ws: &Workspace) {
    let count = match ws.needs_response_count() {
        Ok(count) => count,
        Err(e) => {
            tracing::warn!(error = %e, "cannot count the items needing a response");
            return;
        }
    };
    if let Some(window) = app.get_webview_window("main") {
        let badge = (count > 0).then_some(count as i64);
        if let Err(e) = window.set_badge_count(badge) {
            tracing::debug!(error = %e, "no launcher badge on this desktop");
        }
        let title = if count > 0 {
            format!("sellerdesk ({count})")
        } else {
            "sellerdesk".to_string()
        };
        if let Err(e) = window.set_title(&title) {
            tracing::warn!(error = %e, "cannot set the window title");
        }
    }
    if let Err(e) = app.emit("needs-response", count) {
        tracing::warn!(error = %e, "cannot emit needs-response");
    }
}

impl EventSink for WindowEvents {
    fn orders_changed(&self, ids: &[String]) {
        let payload = OrdersChanged { ids: ids.to_vec() };
        if let Err(e) = self.app.emit("orders-changed", payload) {
            tracing::warn!(error = %e, "cannot emit orders-changed");
        }
        update_badge(&self.app, &self.ws);
    }

    fn sync_status(&self, status: &SyncStatus) {
        // Once an account's rules are synced its upload queue can start, resuming the
        // uploads a crash or a restart left unfinished.
        self.uploads.start_connected(&self.ws);
        if let Err(e) = self.app.emit("sync-status", status) {
            tracing::warn!(error = %e, "cannot emit sync-status");
        }
    }
}

/// `SELLERDESK_DATA_DIR` (tests, portable use) or the platform's app-data folder (the
/// same as Tauri's `app_data_dir`), created if missing. Known before the app is built:
/// the single-instance check is per data folder.
pub fn data_dir(identifier: &str) -> anyhow::Result<PathBuf> {
    let dir = match std::env::var_os("SELLERDESK_DATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => dirs::data_dir()
            .context("no app data folder")?
            .join(identifier),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// `SELLERDESK_EXPORT_DIR` (tests), else `sellerdesk` in the Downloads folder, else
/// `exports` in the data folder.
fn export_dir(app: &App, data_dir: &std::path::Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("SELLERDESK_EXPORT_DIR") {
        return PathBuf::from(dir);
    }
    match app.path().download_dir() {
        Ok(downloads) => sellerdesk_core::exports::export_folder(&downloads),
        Err(_) => data_dir.join("exports"),
    }
}

/// Links the accounts the seller added in earlier sessions, with their tokens from the
/// keychain. An account whose token is not found stays listed, not synced, until the
/// seller enters the token again.
fn connect_saved_accounts(ws: &Workspace, vault: &sellerdesk_core::vault::Vault) {
    let linked: Vec<String> = ws
        .accounts()
        .unwrap_or_default()
        .into_iter()
        .filter(|a| a.connected)
        .map(|a| a.id)
        .collect();
    let Ok(saved) = ws.store().accounts() else {
        return;
    };
    for account in saved.into_iter().filter(|a| !linked.contains(&a.id)) {
        let id = account.id.clone();
        match vault.token(&id) {
            Some((token, home)) => {
                if let Err(e) = ws.connect_account(account, &token, home) {
                    tracing::warn!(account = %id, error = %e, "cannot connect a saved account");
                }
            }
            None => tracing::warn!(account = %id, "no token for this account: enter it again"),
        }
    }
}

fn sync_interval() -> Duration {
    std::env::var("SELLERDESK_SYNC_INTERVAL_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(DEFAULT_SYNC_INTERVAL, Duration::from_secs)
}

/// Opens the workspace on `dir` and starts the sync, the notifier and the uploads.
/// `api_token` came from the environment (see [`take_env_var`]).
pub fn start(app: &mut App, dir: &Path, api_token: Option<String>) -> Result<AppState, AppError> {
    let log_guard = match crate::logging::init(&dir.join("logs")) {
        Ok(guard) => Some(guard),
        Err(e) => {
            eprintln!("logging disabled: {e}");
            None
        }
    };
    // A marketplace given in the environment (e.g. a simulator started by hand), else the
    // embedded demo marketplace.
    let external = std::env::var("SELLERDESK_API_URL").ok().zip(api_token);
    let demo = external.is_none();
    let (sim, url, token) = match external {
        Some((url, token)) => (None, url, token),
        None => {
            let sim = tauri::async_runtime::block_on(sellerdesk_sim::spawn(
                SimConfig::demo(chrono::Utc::now()),
                ([127, 0, 0, 1], 0).into(),
            ))
            .map_err(|e| {
                AppError::new(
                    ErrorCode::Internal,
                    format!("cannot start the embedded demo marketplace: {e}"),
                )
            })?;
            let (url, token) = (sim.base_url(), sim.token().to_string());
            tracing::info!(%url, "embedded demo marketplace started");
            (Some(sim), url, token)
        }
    };
    let label = if demo {
        "Demo marketplace"
    } else {
        "Marketplace"
    };
    let account = Account::new(&start_account_id(demo, &url), label, &url);
    let db = dir.join("sellerdesk.db");
    let opened = sellerdesk_core::store::Store::open(&db)
        .map_err(AppError::from)
        .and_then(|store| {
            if demo {
                Workspace::forget_account_data(&store, DEMO_ACCOUNT_ID)?;
            }
            Workspace::with_store(store, vec![(account, token)], demo, system_clock())
        });
    let vault = Arc::new(sellerdesk_core::vault::Vault::system());
    let (workspace, startup_error) = match opened {
        Ok(ws) => (Some(Arc::new(ws)), None),
        Err(e) => {
            tracing::error!(error = %e, "cannot open the workspace");
            (None, Some(e))
        }
    };
    let uploads = workspace.as_ref().map(|ws| Arc::new(UploadHub::new(ws)));
    let sync = workspace
        .as_ref()
        .zip(uploads.as_ref())
        .map(|(ws, uploads)| {
            let sink = Arc::new(WindowEvents {
                app: app.handle().clone(),
                ws: ws.clone(),
                uploads: uploads.clone(),
            });
            let ws = ws.clone();
            tauri::async_runtime::block_on(
                async move { spawn_sync_loop(ws, sink, sync_interval()) },
            )
        });
    if let (Some(ws), Some(sync)) = (&workspace, &sync) {
        crate::notifier::spawn(app.handle().clone(), ws.clone(), sync.waker());
        // The keychain may block (a locked keyring): read the saved accounts' tokens off
        // the main thread, then sync them.
        let (ws, vault, waker) = (ws.clone(), vault.clone(), sync.waker());
        tauri::async_runtime::spawn_blocking(move || {
            crate::guard::callback("connect saved accounts", || {
                connect_saved_accounts(&ws, &vault);
            });
            waker.wake();
        });
    }
    if let (Some(ws), Some(hub)) = (&workspace, &uploads) {
        crate::uploads::forward_progress(
            app.handle().clone(),
            hub,
            sync.as_ref().map(|s| s.waker()),
        );
        let (ws, hub) = (ws.clone(), hub.clone());
        tauri::async_runtime::block_on(async move { hub.start_connected(&ws) });
    }
    Ok(AppState {
        workspace,
        startup_error,
        demo,
        sync,
        export_dir: export_dir(app, dir),
        vault,
        uploads,
        _sim: sim,
        _log_guard: log_guard,
    })
}
