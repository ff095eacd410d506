//! A running app: the Desk over the workspace, the demo marketplaces it started, where
//! exports go and where tokens are kept. The shell manages one and calls it from every
//! command through [`Session::call`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use sellerdesk_core::desk::{Desk, Unobserved};
use sellerdesk_core::grants::{GRANTS_FILE, GrantedFiles};
use sellerdesk_core::paging::OrderPage;
use sellerdesk_core::store::{Account, Store, start_account_id};
use sellerdesk_core::vault::Vault;
use sellerdesk_core::view::AppInfo;
use sellerdesk_core::{AppError, ErrorCode, Workspace, system_clock};
use sellerdesk_sim::RunningSim;
use tokio::runtime::Handle;

use crate::surface::{Surface, SurfaceEvents};
use crate::{demo, env, guard, logging, notifications};

/// The longest start-up work that reads every order waits for the window's first page.
const LIST_WAIT: Duration = Duration::from_secs(5);

/// Whether the window was answered a page of its order list. Start-up work that reads
/// every order (the first count of what needs the seller, the saved accounts' first sync)
/// waits for it, at most `LIST_WAIT` (no window may ask), so it does not hold the
/// database while the window asks for its first rows: the window paints from SQLite first.
#[derive(Clone, Default)]
struct ListServed(Arc<(Mutex<bool>, Condvar)>);

impl ListServed {
    fn served(&self) {
        let (done, changed) = &*self.0;
        *done.lock().unwrap_or_else(PoisonError::into_inner) = true;
        changed.notify_all();
    }

    fn wait(&self, at_most: Duration) {
        let (done, changed) = &*self.0;
        let done = done.lock().unwrap_or_else(PoisonError::into_inner);
        drop(changed.wait_timeout_while(done, at_most, |done| !*done));
    }
}

pub struct Session {
    desk: Option<Arc<Desk>>,
    startup_error: Option<AppError>,
    /// Runs on the embedded demo marketplaces.
    pub demo: bool,
    /// Where invoices and CSV exports go until the seller chooses a folder.
    pub default_export_dir: PathBuf,
    /// Where marketplace tokens are kept (the OS keychain).
    pub vault: Arc<Vault>,
    /// The files the seller picked or dropped: the only ones a draft or delivery may name.
    pub granted: GrantedFiles,
    list_served: ListServed,
    _sims: Vec<RunningSim>,
    _log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
}

impl Session {
    /// A desk over an open workspace, with no simulator or log file (tests).
    pub fn for_desk(desk: Arc<Desk>, export_dir: PathBuf, vault: Vault) -> Session {
        Session {
            desk: Some(desk),
            startup_error: None,
            demo: false,
            default_export_dir: export_dir,
            vault: Arc::new(vault),
            granted: GrantedFiles::default(),
            _sims: Vec::new(),
            list_served: ListServed::default(),
            _log_guard: None,
        }
    }

    /// A desk over `ws` whose events go nowhere, syncing only on demand (tests).
    pub fn for_workspace(rt: &Handle, ws: Arc<Workspace>, export_dir: PathBuf) -> Session {
        let hour = Duration::from_secs(3600);
        let desk = rt.block_on(async move { Desk::start(ws, Arc::new(Unobserved), hour) });
        Session::for_desk(desk, export_dir, Vault::memory_only())
    }

    /// No workspace: every call answers `error`, which the window shows.
    pub fn failed(error: AppError, data_dir: &Path) -> Session {
        Session {
            desk: None,
            startup_error: Some(error),
            demo: false,
            default_export_dir: env::export_dir(data_dir),
            granted: GrantedFiles::persisted(data_dir.join(GRANTS_FILE)),
            vault: Arc::new(Vault::memory_only()),
            _sims: Vec::new(),
            list_served: ListServed::default(),
            _log_guard: None,
        }
    }

    /// The desk, or why the app could not start.
    pub fn desk(&self) -> Result<&Arc<Desk>, AppError> {
        self.desk.as_ref().ok_or_else(|| {
            let e = AppError::new(ErrorCode::Internal, "the workspace is not open");
            self.startup_error.clone().unwrap_or(e)
        })
    }

    pub fn ws(&self) -> Result<&Workspace, AppError> {
        self.desk().map(|d| d.workspace())
    }

    /// One command: `body` on the desk, a panic answered as an `Internal` error.
    pub fn call<T>(
        &self,
        name: &str,
        body: impl FnOnce(&Desk) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        guard::command(name, || body(self.desk()?))
    }

    /// One command reading the workspace: `body` on it, a panic answered as `Internal`.
    pub fn read<T>(
        &self,
        name: &str,
        body: impl FnOnce(&Workspace) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        guard::command(name, || body(self.ws()?))
    }

    /// A page of the window's order list; start-up work waiting for the window's first
    /// page goes on once it is answered.
    pub fn order_page(&self, offset: usize, limit: usize) -> Result<OrderPage, AppError> {
        let page = self.read("order_page", |w| w.order_page(offset, limit));
        self.list_served.served();
        page
    }

    /// The version, the marketplace and, when start-up failed, why.
    pub fn app_info(&self) -> AppInfo {
        self.call("app_info", |d| Ok(d.workspace().app_info()))
            .unwrap_or_else(|error| AppInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
                demo: self.demo,
                marketplace: String::new(),
                marketplaces: Vec::new(),
                startup_error: Some(error),
            })
    }
}

/// Opens the workspace in `dir` and starts the Desk and the alert loop on `rt`, showing
/// itself on `surface`. The marketplace is the one in the environment
/// (`SELLERDESK_API_URL` with `api_token`, already taken out of the environment), else
/// the embedded demo marketplaces. A start that fails (or panics) gives a session whose
/// every call answers why, which the window shows.
pub fn start(
    rt: &Handle,
    dir: &Path,
    api_token: Option<String>,
    surface: Arc<dyn Surface>,
) -> Session {
    guard::command("start-up", || try_start(rt, dir, api_token, surface)).unwrap_or_else(|e| {
        tracing::error!(error = %e, "start-up failed");
        Session::failed(e, dir)
    })
}

fn try_start(
    rt: &Handle,
    dir: &Path,
    api_token: Option<String>,
    surface: Arc<dyn Surface>,
) -> Result<Session, AppError> {
    let log_guard = logging::init(&dir.join("logs"))
        .inspect_err(|e| eprintln!("logging disabled: {e}"))
        .ok();
    let external = std::env::var(env::API_URL_VAR).ok().zip(api_token);
    let demo = external.is_none();
    let (sims, accounts) = match external {
        Some((url, token)) => {
            let account = Account::new(&start_account_id(false, &url), "Marketplace", &url);
            (Vec::new(), vec![(account, token)])
        }
        None => demo::start(rt)?
            .into_iter()
            .map(|m| (m.sim, (m.account, m.token)))
            .unzip(),
    };
    let store = Store::open(&dir.join("sellerdesk.db"))?;
    if demo {
        // Fresh simulators: what an earlier run synced from them is gone from them too.
        for (account, _) in &accounts {
            Workspace::forget_account_data(&store, &account.id)?;
        }
    }
    let ws = Arc::new(Workspace::with_store(
        store,
        accounts,
        demo,
        system_clock(),
    )?);
    let vault = Arc::new(Vault::system());
    let events = Arc::new(SurfaceEvents::new(surface.clone(), ws.clone()));
    let desk = rt.block_on({
        let (ws, events) = (ws.clone(), events.clone());
        async move { Desk::start(ws, events, env::sync_interval()) }
    });
    notifications::spawn(rt, desk.clone(), surface);
    // The keychain may block (a locked keyring): read the saved accounts' tokens off the
    // main thread, then sync them. Before, the first count of what needs the seller,
    // which reads every active order. All of it once the window has its list.
    let (saved, keys, list_served) = (desk.clone(), vault.clone(), ListServed::default());
    let served = list_served.clone();
    rt.spawn_blocking(move || {
        served.wait(LIST_WAIT);
        guard::callback("count what needs you", || events.recount());
        guard::callback("connect saved accounts", || {
            saved.workspace().connect_saved_accounts(&keys);
        });
        saved.sync_now();
    });
    Ok(Session {
        desk: Some(desk),
        startup_error: None,
        demo,
        default_export_dir: env::export_dir(dir),
        vault,
        granted: GrantedFiles::persisted(dir.join(GRANTS_FILE)),
        _sims: sims,
        list_served,
        _log_guard: log_guard,
    })
}
