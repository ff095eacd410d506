//! The workspace: the app's operations over the store and the marketplace accounts, with
//! no window attached, so tests drive exactly what the desktop shell calls.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::api::ApiClient;
use crate::error::AppError;
use crate::store::{Account, Store};
use crate::sync::{PAGE_LIMIT, SyncError, SyncState, SyncStatus, pull_orders};
use crate::view::{AppInfo, OrderRow, order_rows};

/// Reads the device clock; injected so tests can move time.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// Where the core reports changes; the shell forwards them to the window as events.
pub trait EventSink: Send + Sync {
    fn orders_changed(&self, ids: &[String]);
    fn sync_status(&self, status: &SyncStatus);
}

/// A marketplace account with its live client (the token lives only in the client).
struct AccountLink {
    account: Account,
    client: ApiClient,
}

/// The outcome of one sync round over every account.
#[derive(Debug, Default)]
pub struct SyncRound {
    pub changed: Vec<String>,
    /// The first account error, if any (other accounts were still synced).
    pub error: Option<SyncError>,
}

pub struct Workspace {
    store: Store,
    links: Vec<AccountLink>,
    demo: bool,
    clock: Clock,
    status: Mutex<SyncStatus>,
}

impl Workspace {
    /// Opens the database and registers the accounts (`token` is kept in memory only).
    pub fn open(
        db_path: &Path,
        accounts: Vec<(Account, String)>,
        demo: bool,
        clock: Clock,
    ) -> Result<Workspace, AppError> {
        let store = Store::open(db_path)?;
        Workspace::with_store(store, accounts, demo, clock)
    }

    pub fn with_store(
        store: Store,
        accounts: Vec<(Account, String)>,
        demo: bool,
        clock: Clock,
    ) -> Result<Workspace, AppError> {
        let mut links = Vec::new();
        for (account, token) in accounts {
            let client = ApiClient::new(&account.base_url, &token)?;
            store.save_account(&account)?;
            links.push(AccountLink { account, client });
        }
        Ok(Workspace {
            store,
            links,
            demo,
            clock,
            status: Mutex::new(SyncStatus::idle()),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn app_info(&self) -> AppInfo {
        let marketplace = self
            .links
            .iter()
            .map(|l| {
                self.store
                    .profile(&l.account.id)
                    .ok()
                    .flatten()
                    .map_or_else(|| l.account.label.clone(), |p| p.name)
            })
            .collect::<Vec<_>>()
            .join(", ");
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            demo: self.demo,
            marketplace,
            startup_error: None,
        }
    }

    /// The active order list with countdowns as of now.
    pub fn order_rows(&self) -> Result<Vec<OrderRow>, AppError> {
        let orders = self.store.active_orders()?;
        let mut profiles = HashMap::new();
        let mut offsets = HashMap::new();
        for account in self.store.accounts()? {
            let state = self.store.sync_state(&account.id)?;
            offsets.insert(
                account.id.clone(),
                Duration::milliseconds(state.clock_offset_ms),
            );
            if let Some(p) = account.profile {
                profiles.insert(account.id, p);
            }
        }
        Ok(order_rows(
            &orders,
            &|id| profiles.get(id).cloned(),
            self.now(),
            &|id| offsets.get(id).copied().unwrap_or_else(Duration::zero),
        ))
    }

    pub fn sync_status(&self) -> SyncStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn set_sync_status(&self, status: SyncStatus) {
        *self.status.lock().unwrap_or_else(|p| p.into_inner()) = status;
    }

    /// Pulls every account once.
    pub async fn sync_once(&self) -> SyncRound {
        let mut round = SyncRound::default();
        for link in &self.links {
            let clock = self.clock.clone();
            let now = move || clock();
            match pull_orders(
                &link.client,
                &self.store,
                &link.account.id,
                PAGE_LIMIT,
                &now,
            )
            .await
            {
                Ok(report) => round.changed.extend(report.changed),
                Err(e) => {
                    tracing::warn!(account = %link.account.id, error = %e, "sync failed");
                    round.error.get_or_insert(e);
                }
            }
        }
        round
    }

    /// Last successful pull over all accounts, in ms since the epoch.
    pub fn last_success_ms(&self) -> Option<i64> {
        self.links
            .iter()
            .filter_map(|l| self.store.sync_state(&l.account.id).ok())
            .filter_map(|s: crate::store::SyncState| s.last_success_ms)
            .max()
    }

    pub(crate) fn status_after(&self, round: &SyncRound, retry_in: Option<u64>) -> SyncStatus {
        let last_success_at = self.last_success_ms();
        match &round.error {
            None => {
                let n = self.store.active_orders().map(|o| o.len()).unwrap_or(0);
                SyncStatus {
                    state: SyncState::Ok,
                    message: format!("Synced — {n} active orders"),
                    last_success_at,
                    next_retry_secs: None,
                }
            }
            Some(e) => {
                let (state, message) = match (e.is_offline(), e.is_retryable(), retry_in) {
                    (true, _, Some(s)) => (
                        SyncState::Offline,
                        format!("Offline — showing saved orders; retrying in {s} s"),
                    ),
                    (true, _, None) => {
                        (SyncState::Offline, "Offline — showing saved orders".into())
                    }
                    (false, true, Some(s)) => (
                        SyncState::Failed,
                        format!("Sync failed — retrying in {s} s: {e}"),
                    ),
                    (false, _, _) => (SyncState::Failed, format!("Sync stopped: {e}")),
                };
                SyncStatus {
                    state,
                    message,
                    last_success_at,
                    next_retry_secs: retry_in,
                }
            }
        }
    }

    /// Demo data is regenerated every time the embedded marketplace starts: forget what
    /// the previous demo run synced for this account.
    pub fn forget_account_data(store: &Store, account_id: &str) -> Result<(), AppError> {
        store.with_tx(|tx| {
            tx.execute("DELETE FROM orders WHERE account_id = ?1", [account_id])?;
            tx.execute("DELETE FROM sync_state WHERE account_id = ?1", [account_id])?;
            Ok(())
        })?;
        Ok(())
    }
}
