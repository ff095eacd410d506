//! Start-up: pick the data folder, open the workspace, start the embedded demo
//! marketplace when no account is configured, and start the core's Desk (sync engine,
//! uploads) with the window as its event sink.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sellerdesk_core::desk::{ChangeBatch, ChangeKind, Desk, DeskEvents};
use sellerdesk_core::store::{Account, DEMO_ACCOUNT_ID, Store, start_account_id};
use sellerdesk_core::sync::SyncStatus;
use sellerdesk_core::uploads::UploadProgress;
use sellerdesk_core::vault::Vault;
use sellerdesk_core::{AppError, ErrorCode, Workspace, system_clock};
use sellerdesk_sim::{RunningSim, SimConfig};
use tauri::{App, AppHandle, Emitter, Manager, Runtime};

/// Seconds between background pulls when all is well.
const DEFAULT_SYNC_INTERVAL: Duration = Duration::from_secs(30);

pub struct AppState {
    pub desk: Option<Arc<Desk>>,
    pub startup_error: Option<AppError>,
    pub demo: bool,
    /// Where invoices and CSV exports go unless the seller picks a place.
    pub export_dir: PathBuf,
    /// Where marketplace tokens are kept (the OS keychain).
    pub vault: Arc<Vault>,
    _sim: Option<RunningSim>,
    _log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
}

impl AppState {
    /// A desk over an open workspace, with no simulator or log file (tests). Needs a
    /// tokio runtime (the desk's engine).
    pub fn for_desk(desk: Arc<Desk>, export_dir: PathBuf, vault: Vault) -> AppState {
        AppState {
            desk: Some(desk),
            startup_error: None,
            demo: false,
            export_dir,
            vault: Arc::new(vault),
            _sim: None,
            _log_guard: None,
        }
    }

    /// A desk over `ws` whose events go nowhere, syncing only on demand (tests).
    pub fn for_workspace(ws: Arc<Workspace>, export_dir: PathBuf, vault: Vault) -> AppState {
        let quiet = Arc::new(sellerdesk_core::desk::Unobserved);
        let hour = Duration::from_secs(3600);
        let desk = tauri::async_runtime::block_on(async move { Desk::start(ws, quiet, hour) });
        AppState::for_desk(desk, export_dir, vault)
    }

    /// No workspace: every command answers `error`, which the window shows.
    pub fn failed(error: AppError, export_dir: PathBuf) -> AppState {
        AppState {
            desk: None,
            startup_error: Some(error),
            demo: false,
            export_dir,
            vault: Arc::new(Vault::memory_only()),
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
    crate::tray::shown(app);
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

/// The Desk's events as window events (`changes`, `sync-status`, `upload-progress`),
/// and the badge kept current when a batch says what waits for the seller changed.
pub struct WindowEvents<R: Runtime> {
    pub app: AppHandle<R>,
    pub ws: Arc<Workspace>,
}

impl<R: Runtime> WindowEvents<R> {
    fn emit(&self, event: &str, payload: impl serde::Serialize + Clone) {
        crate::guard::callback(event, || {
            if let Err(e) = self.app.emit(event, payload) {
                tracing::warn!(event, error = %e, "cannot emit");
            }
        });
    }
}

impl<R: Runtime> DeskEvents for WindowEvents<R> {
    fn changes(&self, batch: &ChangeBatch) {
        self.emit("changes", batch.clone());
        if batch.names(ChangeKind::Badge) || batch.names(ChangeKind::Order) {
            crate::guard::callback("badge", || update_badge(&self.app, &self.ws));
        }
    }

    fn sync_status(&self, status: &SyncStatus) {
        self.emit("sync-status", status.clone());
    }

    fn upload_progress(&self, progress: &UploadProgress) {
        self.emit("upload-progress", progress.clone());
    }
}

/// How many items wait for the seller's answer: the launcher badge (where the desktop
/// supports one), the window title, and the `needs-response` event.
fn update_badge<R: Runtime>(app: &AppHandle<R>, ws: &Workspace) {
    let count = match ws.needs_response_count() {
        Ok(count) => count,
        Err(e) => return tracing::warn!(error = %e, "cannot count what needs a response"),
    };
    if let Some(window) = app.get_webview_window("main") {
        if let Err(e) = window.set_badge_count((count > 0).then_some(count as i64)) {
            tracing::debug!(error = %e, "no launcher badge on this desktop");
        }
        let title = match count {
            0 => "sellerdesk".to_string(),
            n => format!("sellerdesk ({n})"),
        };
        let _ = window.set_title(&title);
    }
    crate::tray::show_count(app, count);
    let _ = app.emit("needs-response", count);
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
fn export_dir(app: &App, data_dir: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("SELLERDESK_EXPORT_DIR") {
        return PathBuf::from(dir);
    }
    match app.path().download_dir() {
        Ok(downloads) => sellerdesk_core::exports::export_folder(&downloads),
        Err(_) => data_dir.join("exports"),
    }
}

fn sync_interval() -> Duration {
    std::env::var("SELLERDESK_SYNC_INTERVAL_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(DEFAULT_SYNC_INTERVAL, Duration::from_secs)
}

/// Opens the workspace on `dir` and starts the Desk and the notifier. `api_token` came
/// from the environment (see [`take_env_var`]).
pub fn start(app: &mut App, dir: &Path, api_token: Option<String>) -> Result<AppState, AppError> {
    let log_guard = crate::logging::init(&dir.join("logs"))
        .inspect_err(|e| eprintln!("logging disabled: {e}"))
        .ok();
    // A marketplace given in the environment (e.g. a simulator started by hand), else the
    // embedded demo marketplace.
    let external = std::env::var("SELLERDESK_API_URL").ok().zip(api_token);
    let demo = external.is_none();
    let (sim, url, token) = match external {
        Some((url, token)) => (None, url, token),
        None => {
            // The demo plays a believable buyer on its clock (accepts, asks revisions, reviews).
            let config = SimConfig::demo(chrono::Utc::now()).with_buyer();
            let sim = tauri::async_runtime::block_on(sellerdesk_sim::spawn(
                config,
                ([127, 0, 0, 1], 0).into(),
            ))
            .map_err(|e| {
                let why = format!("cannot start the embedded demo marketplace: {e}");
                AppError::new(ErrorCode::Internal, why)
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
    let store = Store::open(&dir.join("sellerdesk.db"))?;
    if demo {
        Workspace::forget_account_data(&store, DEMO_ACCOUNT_ID)?;
    }
    let ws = Arc::new(Workspace::with_store(
        store,
        vec![(account, token)],
        demo,
        system_clock(),
    )?);
    let vault = Arc::new(Vault::system());
    let events = Arc::new(WindowEvents {
        app: app.handle().clone(),
        ws: ws.clone(),
    });
    let desk = tauri::async_runtime::block_on({
        let ws = ws.clone();
        async move { Desk::start(ws, events, sync_interval()) }
    });
    crate::notifier::spawn(app.handle().clone(), desk.clone());
    // The keychain may block (a locked keyring): read the saved accounts' tokens off the
    // main thread, then sync them.
    let (saved, keys) = (desk.clone(), vault.clone());
    tauri::async_runtime::spawn_blocking(move || {
        crate::guard::callback("connect saved accounts", || {
            saved.workspace().connect_saved_accounts(&keys);
        });
        saved.sync_now();
    });
    Ok(AppState {
        desk: Some(desk),
        startup_error: None,
        demo,
        export_dir: export_dir(app, dir),
        vault,
        _sim: sim,
        _log_guard: log_guard,
    })
}
