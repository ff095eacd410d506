//! The workspace: the app's operations over the store and the marketplace accounts, with
//! no window attached, so tests drive exactly what the desktop shell calls.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::api::ApiClient;
use crate::desk::ChangeKind;
use crate::detail::{
    MessageView, OrderDetail, OutboxView, action_text, order_detail, outbox_label,
};
use crate::earnings::{EarningsView, earnings_view, forecasts};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::store::{Account, DeliveryState, OutboxState, Store};
use crate::sync::{
    AccountSync, PAGE_LIMIT, SyncError, SyncState, SyncStatus, pull_orders, push_outbox,
};
use crate::view::{AppInfo, closed_order_row, order_rows};

/// Reads the device clock; injected so tests can move time.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// Where the core reports changes; the shell forwards them to the window as events.
pub trait EventSink: Send + Sync {
    /// These things changed (a sync round's orders and outbox items).
    fn changes(&self, batch: &crate::desk::ChangeBatch);
    fn sync_status(&self, status: &SyncStatus);
}

/// A marketplace account with its live client (the token lives only in the client).
#[derive(Clone)]
pub(crate) struct AccountLink {
    pub(crate) account: Account,
    pub(crate) client: ApiClient,
    pub(crate) home: crate::vault::TokenHome,
}

/// The outcome of one sync round over every account.
#[derive(Debug, Default)]
pub struct SyncRound {
    pub changed: Vec<String>,
    /// The same changes, by account and kind, for the window.
    pub batch: crate::desk::ChangeBatch,
    /// The first account error, if any (other accounts were still synced).
    pub error: Option<SyncError>,
    /// The label of the account that failed with `error`.
    pub error_account: Option<String>,
    /// Each account's outcome, in the order they were synced.
    pub accounts: Vec<AccountSync>,
}

pub struct Workspace {
    store: Store,
    pub(crate) links: RwLock<Vec<AccountLink>>,
    demo: bool,
    clock: Clock,
    status: Mutex<SyncStatus>,
    /// The paged list's index (see `crate::paging`).
    pub(crate) list: crate::paging::ListCache,
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
            links.push(AccountLink {
                account,
                client,
                home: crate::vault::TokenHome::MemoryOnly {
                    reason: "given at start".to_string(),
                },
            });
        }
        Ok(Workspace {
            store,
            links: RwLock::new(links),
            demo,
            clock,
            status: Mutex::new(SyncStatus::idle()),
            list: Default::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A snapshot of the linked accounts (cheap: clients share their connection pool).
    pub(crate) fn links(&self) -> Vec<AccountLink> {
        self.links.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn app_info(&self) -> AppInfo {
        let marketplaces = self
            .links()
            .iter()
            .map(|l| {
                self.store
                    .profile(&l.account.id)
                    .ok()
                    .flatten()
                    .map_or_else(|| l.account.label.clone(), |p| p.name)
            })
            .collect::<Vec<_>>();
        let marketplace = match marketplaces.len() {
            0..=2 => marketplaces.join(", "),
            n => format!("{n} marketplaces"),
        };
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            demo: self.demo,
            marketplace,
            marketplaces,
            startup_error: None,
        }
    }

    /// The marketplace's now for an account: the device clock corrected by the offset
    /// measured at the last sync.
    pub fn server_now(&self, account_id: &str) -> Result<DateTime<Utc>, AppError> {
        let offset = self.store.sync_state(account_id)?.clock_offset_ms;
        Ok(crate::countdown::server_now(
            self.now(),
            crate::countdown::offset_from_ms(offset),
        ))
    }

    /// Everything the order detail view shows for one order.
    pub fn order_detail(&self, account_id: &str, order_id: &str) -> Result<OrderDetail, AppError> {
        let Some(order) = self.store.order(account_id, order_id)? else {
            let why = self.store.order_problem(account_id, order_id)?;
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                why.unwrap_or_else(|| format!("no order {order_id} in this workspace")),
            ));
        };
        let profile = self.store.profile(account_id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Offline,
                "the marketplace's rules are not synced yet",
            )
        })?;
        let now = self.server_now(account_id)?;
        let row = order_rows(
            &[(account_id.to_string(), order.clone())],
            &|_| Some(&profile),
            now,
            &|_| Duration::zero(),
        )
        .pop()
        .unwrap_or_else(|| closed_order_row(account_id, &order, &profile));
        let mut detail = order_detail(row, &order, &profile, now)?;
        let open = self.store.open_actions_of(account_id, order_id)?;
        // Messages not sent yet join the chat at once, marked pending.
        detail.messages.extend(
            open.iter()
                .filter(|item| item.state != OutboxState::Failed)
                .filter_map(|item| match &item.action {
                    sellerdesk_api::OrderAction::SendMessage { text } => Some(MessageView {
                        id: format!("outbox-{}", item.seq),
                        from: sellerdesk_api::Party::Seller,
                        text: text.clone(),
                        sent_at: item.created_ms,
                        pending: true,
                    }),
                    _ => None,
                }),
        );
        detail.outbox = open
            .into_iter()
            .map(|item| OutboxView {
                text: action_text(&item.action),
                seq: item.seq,
                kind: crate::actions::outbox_kind(&item.action),
                label: outbox_label(&item.action),
                state: match item.state {
                    OutboxState::Failed => crate::detail::OutboxViewState::Failed,
                    _ => crate::detail::OutboxViewState::Pending,
                },
                error: item.last_error,
            })
            .collect();
        let active = self
            .store
            .deliveries_of_order(account_id, order_id)?
            .into_iter()
            .filter(|d| matches!(d.state, DeliveryState::Uploading | DeliveryState::Failed))
            .max_by_key(|d| d.created_ms);
        if let Some(delivery) = active {
            let jobs = self.store.upload_jobs_of(&delivery.id)?;
            detail.delivery = Some(crate::uploads::delivery_view(delivery, &jobs));
            detail.uploads = jobs.into_iter().map(crate::uploads::job_view).collect();
        }
        Ok(detail)
    }

    /// Records a seller action in the outbox (it survives restarts and works offline);
    /// the next sync round pushes it. The caller wakes the sync loop.
    pub fn enqueue_action(
        &self,
        account_id: &str,
        order_id: &str,
        action: &sellerdesk_api::OrderAction,
    ) -> Result<(), AppError> {
        if self.store.order(account_id, order_id)?.is_none() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("no order {order_id} in this workspace"),
            ));
        }
        self.store
            .enqueue_action(account_id, order_id, action, self.now().timestamp_millis())?;
        Ok(())
    }

    /// How the upload queue reaches a connected account: its address and token, and
    /// the marketplace's file size limit (so the rules must be synced once).
    pub fn upload_config(
        &self,
        account_id: &str,
    ) -> Result<crate::uploads::UploadConfig, AppError> {
        let link = self
            .links()
            .into_iter()
            .find(|l| l.account.id == account_id)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::AuthExpired,
                    format!("account {account_id} is not connected: enter its token again"),
                )
            })?;
        let profile = self.store.profile(account_id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Offline,
                "the marketplace's rules are not synced yet",
            )
        })?;
        Ok(crate::uploads::UploadConfig::new(
            account_id,
            link.client.base_url(),
            link.client.token(),
            profile.max_file_bytes,
        ))
    }

    /// How many items wait for the seller's answer (the badge count).
    pub fn needs_response_count(&self) -> Result<usize, AppError> {
        let mut count = 0;
        self.each_active_chunk(|mine, orders| {
            let profile_of = |_: &str| mine.profile.clone();
            count += crate::alerts::needs_response(orders, &profile_of, mine.now);
        })?;
        Ok(count)
    }

    /// The seller's alert settings (the defaults until changed).
    pub fn alert_settings(&self) -> Result<crate::alerts::AlertSettings, AppError> {
        Ok(self
            .store
            .setting(crate::alerts::SETTINGS_KEY)?
            .unwrap_or_default())
    }

    /// Checks and saves the alert settings; returns them as saved (normalised).
    pub fn save_alert_settings(
        &self,
        settings: &crate::alerts::AlertSettings,
    ) -> Result<crate::alerts::AlertSettings, AppError> {
        let clean = settings
            .validated()
            .map_err(|m| AppError::new(ErrorCode::InvalidInput, m))?;
        self.store
            .put_setting(crate::alerts::SETTINGS_KEY, &clean)?;
        Ok(clean)
    }

    /// The alerts due now that were not raised before; they are remembered as raised.
    /// Each account's orders are planned on that marketplace's clock (like its
    /// countdowns); quiet hours are read in the seller's zone `offset`.
    pub fn take_due_alerts(
        &self,
        offset: FixedOffset,
    ) -> Result<Vec<crate::alerts::Alert>, AppError> {
        let settings = self.alert_settings()?;
        let shown = self.store.shown_alert_keys()?;
        let mut due = Vec::new();
        // Marked once read (the store is busy reading meanwhile): (keys, at) per chunk.
        let mut raised_at = Vec::new();
        self.each_active_chunk(|mine, orders| {
            let Some(profile) = &mine.profile else {
                return;
            };
            let raised = crate::alerts::plan_alerts(
                orders,
                &|_| Some(profile.clone()),
                mine.now,
                &shown,
                &settings,
                offset,
            );
            let keys: Vec<String> = raised.iter().map(|a| a.key.clone()).collect();
            raised_at.push((keys, mine.now.timestamp_millis()));
            due.extend(raised);
        })?;
        for (keys, at) in raised_at {
            self.store.mark_alerts_shown(&keys, at)?;
        }
        due.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.order_id.cmp(&b.order_id)));
        Ok(due)
    }

    /// Forecast earnings by week and month, in the seller's time zone `offset`.
    pub fn earnings(&self, offset: FixedOffset) -> Result<EarningsView, AppError> {
        self.earnings_of(offset, None)
    }

    /// Earnings of one marketplace account, or of all (None).
    pub fn earnings_of(
        &self,
        offset: FixedOffset,
        account_id: Option<&str>,
    ) -> Result<EarningsView, AppError> {
        let mut orders = self.store.all_orders()?;
        if let Some(only) = account_id {
            self.known_account(only)?;
            orders.retain(|(account, _)| account == only);
        }
        let mut profiles = HashMap::new();
        let mut nows = HashMap::new();
        for account in self.store.accounts()? {
            nows.insert(account.id.clone(), self.server_now(&account.id)?);
            if let Some(p) = account.profile {
                profiles.insert(account.id, p);
            }
        }
        let now = self.now();
        let all = forecasts(&orders, &|id| profiles.get(id).cloned(), &|id| {
            nows.get(id).copied().unwrap_or(now)
        });
        Ok(earnings_view(&all, offset))
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
        for link in &self.links() {
            let clock = self.clock.clone();
            let now = move || clock();
            // Push first: the seller's actions reach the marketplace before the pull
            // brings back the orders they changed.
            let (client, store, id) = (&link.client, &self.store, link.account.id.as_str());
            let synced = match push_outbox(client, store, id, &now).await {
                Ok(pushed) => {
                    for order in &pushed.changed {
                        round.batch.push(id, Some(order), ChangeKind::Outbox);
                        round.batch.push(id, Some(order), ChangeKind::Order);
                    }
                    round.changed.extend(pushed.changed);
                    pull_orders(client, store, id, PAGE_LIMIT, &now).await
                }
                Err(e) => Err(e),
            };
            let failed = match synced {
                Ok(report) => {
                    for order in &report.changed {
                        round.batch.push(id, Some(order), ChangeKind::Order);
                    }
                    round.changed.extend(report.changed);
                    None
                }
                Err(e) => {
                    tracing::warn!(account = %id, error = %e, "sync failed");
                    Some(e)
                }
            };
            let last = store.sync_state(id).ok().and_then(|s| s.last_success_ms);
            let label = &link.account.label;
            round
                .accounts
                .push(AccountSync::from_outcome(id, label, failed.as_ref(), last));
            if let (Some(e), None) = (failed, &round.error) {
                round.error = Some(e);
                round.error_account = Some(label.clone());
            }
        }
        if !round.batch.is_empty() {
            for account in self.links() {
                round
                    .batch
                    .push(&account.account.id, None, ChangeKind::Badge);
            }
        }
        round
    }

    /// Last successful pull over all accounts, in ms since the epoch.
    pub fn last_success_ms(&self) -> Option<i64> {
        self.links()
            .iter()
            .filter_map(|l| self.store.sync_state(&l.account.id).ok())
            .filter_map(|s: crate::store::SyncState| s.last_success_ms)
            .max()
    }

    /// What the window says after `round`: one sentence over all accounts (naming the
    /// account that failed when there are several) and each account's own outcome.
    pub fn status_after(&self, round: &SyncRound, retry_in: Option<u64>) -> SyncStatus {
        let last_success_at = self.last_success_ms();
        let accounts = round.accounts.clone();
        let synced = accounts.iter().filter(|a| a.state == SyncState::Ok).count();
        let (state, message) = match &round.error {
            None => {
                let n = self.store.active_order_count().unwrap_or(0);
                (SyncState::Ok, format!("Synced — {n} active orders"))
            }
            Some(e) if e.is_unauthorized() => {
                let account = round.error_account.as_deref().unwrap_or("an account");
                (
                    SyncState::SignIn,
                    format!(
                        "Sign in again to {account}: the marketplace refused its token. Queued actions are kept and sent once you do."
                    ),
                )
            }
            Some(e) => {
                let account = round.error_account.as_deref().unwrap_or("an account");
                // With several accounts, the sentence names the one that failed.
                let who = match accounts.len() {
                    0 | 1 => String::new(),
                    _ => format!("{account}: "),
                };
                match (e.is_offline(), e.is_retryable(), retry_in, synced) {
                    (true, _, Some(s), 0) => (
                        SyncState::Offline,
                        format!("Offline — showing saved orders; retrying in {s} s"),
                    ),
                    (true, _, None, 0) => {
                        (SyncState::Offline, "Offline — showing saved orders".into())
                    }
                    (true, _, retry, n) => (
                        SyncState::Offline,
                        format!(
                            "{account} does not answer — {n} other account(s) synced{}",
                            retry
                                .map(|s| format!("; retrying in {s} s"))
                                .unwrap_or_default()
                        ),
                    ),
                    (false, true, Some(s), _) => (
                        SyncState::Failed,
                        format!("{who}Sync failed — retrying in {s} s: {e}"),
                    ),
                    (false, _, _, _) => (SyncState::Failed, format!("{who}Sync stopped: {e}")),
                }
            }
        };
        SyncStatus {
            state,
            message,
            last_success_at,
            next_retry_secs: retry_in.filter(|_| round.error.is_some()),
            accounts,
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
