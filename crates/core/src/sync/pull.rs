//! One pull of an account: profile, then order pages from the saved cursor until the
//! server has no more. Each page and its cursor are committed together.

use chrono::{DateTime, Utc};
use sellerdesk_api::Order;
use tracing::instrument;

use super::plan::{PageOp, plan_page};
use crate::api::{ApiClient, ApiError};
use crate::store::{Store, StoreError};

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
    if store.profile(account_id)?.as_ref() != Some(&profile) {
        store.set_profile(account_id, &profile)?;
    }
    let mut report = PullReport::default();
    loop {
        let fetched = client
            .orders_page(state.cursor.as_deref(), page_limit)
            .await?;
        if let Some(server) = fetched.server_date {
            state.clock_offset_ms = (server - device_now()).num_milliseconds();
        }
        let page = fetched.value;
        if page.next_cursor.is_empty() {
            return Err(ApiError::Malformed("order page without next_cursor".into()).into());
        }
        if page.has_more && page.orders.is_empty() {
            return Err(ApiError::Malformed("empty order page claims has_more".into()).into());
        }
        let ids: Vec<&str> = page.orders.iter().map(|o| o.id.as_str()).collect();
        let local = store.order_seqs(account_id, &ids)?;
        let upserts: Vec<Order> = plan_page(&local, &page.orders)
            .into_iter()
            .filter_map(|op| match op {
                PageOp::Upsert(order) => Some(*order),
                PageOp::Skip { .. } => None,
            })
            .collect();
        state.cursor = Some(page.next_cursor.clone());
        let changed = store.apply_pull(account_id, &upserts, &state)?;
        report.pages += 1;
        report.received += page.orders.len();
        report.changed.extend(changed);
        if !page.has_more || report.pages >= MAX_PAGES {
            break;
        }
    }
    state.last_success_ms = Some(device_now().timestamp_millis());
    state.last_error = None;
    store.save_sync_state(account_id, &state)?;
    report.clock_offset_ms = state.clock_offset_ms;
    Ok(report)
}
