//! One pull of an account: profile, then order pages from the saved cursor until the
//! server has no more. Each page and its cursor are committed together.

use chrono::{DateTime, Utc};
use sellerdesk_api::limits::believable_offset;
use sellerdesk_api::{Order, OrderPage, Profile};
use tracing::{instrument, warn};

use super::plan::{PageOp, plan_page};
use crate::api::{ApiClient, ApiError, Fetched};
use crate::store::{OrderProblem, Store, StoreError, SyncState};

/// Orders requested per page by the app.
pub const PAGE_LIMIT: u32 = 200;
/// A pull stops after this many pages even if the server keeps saying `has_more`.
const MAX_PAGES: u32 = 10_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullReport {
    pub pages: u32,
    pub received: usize,
    /// Ids written to the store (new or newer versions).
    pub changed: Vec<String>,
    pub clock_offset_ms: i64,
    /// Orders refused for absurd values (see `sellerdesk_api::limits`), each recorded
    /// with its reason instead of being stored.
    pub refused: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    pub fn is_retryable(&self) -> bool {
        match self {
            SyncError::Api(e) => e.is_retryable(),
            SyncError::Store(StoreError::Locked { .. }) => true,
            SyncError::Store(_) => false,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        matches!(self, SyncError::Api(e) if e.is_unauthorized())
    }

    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Api(e) if e.is_offline())
    }

    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            SyncError::Api(e) => e.retry_after(),
            SyncError::Store(_) => None,
        }
    }
}

/// Pulls everything that changed since the saved cursor. `device_now` reads the device
/// clock (injected so tests control it); the offset to the server's `Date` is saved.
#[instrument(skip(client, store, device_now), fields(base = client.base_url()), err)]
pub async fn pull_orders(
    client: &ApiClient,
    store: &Store,
    account_id: &str,
    page_limit: u32,
    device_now: &(dyn Fn() -> DateTime<Utc> + Send + Sync),
) -> Result<PullReport, SyncError> {
    let mut state = store.sync_state(account_id)?;
    let profile = client.profile().await?.value;
    let profile_problem = apply_profile(store, account_id, &profile)?;
    let mut report = PullReport::default();
    let mut next = NextPage::fetch(client, state.cursor.clone(), page_limit);
    loop {
        let fetched = next.take().await?;
        if let Some(server) = fetched.server_date {
            match believable_offset(server, device_now()) {
                Some(offset) => state.clock_offset_ms = offset.num_milliseconds(),
                None => {
                    warn!(%server, "ignored the marketplace's clock: too far from this device's")
                }
            }
        }
        let has_more = fetched.value.has_more;
        // The next page is fetched (and decoded) while this one is written: the cursor is
        // the page's own, whatever the write does. A failed write drops (aborts) it.
        if has_more && report.pages + 1 < MAX_PAGES {
            next = NextPage::fetch(client, Some(fetched.value.next_cursor.clone()), page_limit);
        }
        let now_ms = device_now().timestamp_millis();
        apply_page(
            store,
            account_id,
            fetched.value,
            &mut state,
            now_ms,
            &mut report,
        )?;
        if !has_more || report.pages >= MAX_PAGES {
            break;
        }
    }
    state.last_success_ms = Some(device_now().timestamp_millis());
    state.last_error = profile_problem;
    store.save_sync_state(account_id, &state)?;
    report.clock_offset_ms = state.clock_offset_ms;
    Ok(report)
}

/// A page being fetched on its own task, aborted when dropped unread.
struct NextPage(Option<tokio::task::JoinHandle<Result<Fetched<OrderPage>, ApiError>>>);

impl NextPage {
    fn fetch(client: &ApiClient, cursor: Option<String>, limit: u32) -> NextPage {
        let client = client.clone();
        NextPage(Some(tokio::spawn(async move {
            client.orders_page(cursor.as_deref(), limit).await
        })))
    }

    /// The page, or the fetch's error. Called once per `fetch`.
    async fn take(&mut self) -> Result<Fetched<OrderPage>, SyncError> {
        let Some(task) = self.0.take() else {
            return Err(ApiError::Malformed("no order page was asked for".into()).into());
        };
        match task.await {
            Ok(page) => Ok(page?),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(ApiError::Malformed(format!("the page fetch stopped: {e}")).into()),
        }
    }
}

impl Drop for NextPage {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
        }
    }
}

/// Stores the marketplace's rules if they pass the limits and changed. Absurd rules are
/// not stored: the last good ones (if any) stay in use, the orders still sync, and the
/// returned sentence says why (for the account's status).
pub fn apply_profile(
    store: &Store,
    account_id: &str,
    profile: &Profile,
) -> Result<Option<String>, StoreError> {
    match profile.validate() {
        Ok(()) => {
            if store.profile(account_id)?.as_ref() != Some(profile) {
                store.set_profile(account_id, profile)?;
            }
            Ok(None)
        }
        Err(e) => {
            warn!(account_id, error = %e, "refused the marketplace's rules");
            Ok(Some(format!(
                "the marketplace's rules were refused ({e}); the last good rules stay in use"
            )))
        }
    }
}

/// Takes one decoded page in: screens each order, plans the upserts against the stored
/// seqs, and commits them, the refused orders and the cursor in one transaction.
pub fn apply_page(
    store: &Store,
    account_id: &str,
    page: OrderPage,
    state: &mut SyncState,
    now_ms: i64,
    report: &mut PullReport,
) -> Result<(), SyncError> {
    if page.next_cursor.is_empty() {
        return Err(ApiError::Malformed("order page without next_cursor".into()).into());
    }
    if page.has_more && page.orders.is_empty() {
        return Err(ApiError::Malformed("empty order page claims has_more".into()).into());
    }
    let (valid, problems) = screen(page.orders, now_ms);
    report.refused += problems.len();
    let ids: Vec<&str> = valid.iter().map(|o| o.id.as_str()).collect();
    let local = store.order_seqs(account_id, &ids)?;
    let upserts: Vec<Order> = plan_page(&local, &valid)
        .into_iter()
        .filter_map(|op| match op {
            PageOp::Upsert(order) => Some(*order),
            PageOp::Skip { .. } => None,
        })
        .collect();
    state.cursor = Some(page.next_cursor);
    let changed = store.apply_pull(account_id, &upserts, &problems, state)?;
    report.pages += 1;
    report.received += valid.len() + problems.len();
    report.changed.extend(changed);
    report
        .changed
        .extend(problems.into_iter().map(|p| p.order_id));
    Ok(())
}

/// Splits a decoded page into the orders the app can trust and the refused ones, each
/// with its reason. Pure; an order is refused on its own, never its page.
pub fn screen(orders: Vec<Order>, now_ms: i64) -> (Vec<Order>, Vec<OrderProblem>) {
    let mut valid = Vec::with_capacity(orders.len());
    let mut problems = Vec::new();
    for order in orders {
        match order.validate() {
            Ok(()) => valid.push(order),
            Err(e) => {
                warn!(order_id = %order.id.chars().take(128).collect::<String>(), error = %e, "refused an order");
                let problem = format!("this order could not be read: its {e}");
                problems.push(OrderProblem::of(&order, problem, now_ms));
            }
        }
    }
    (valid, problems)
}
