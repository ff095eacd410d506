//! Pushing the outbox: every pending seller action, oldest first, with its idempotency
//! key. A retryable failure stops the push (order is kept; the next round retries the
//! same key); a refusal marks that action failed with the marketplace's reason and the
//! push goes on with the next one. A refused token (401/403) stops the push and keeps
//! every action pending.

use chrono::{DateTime, Utc};
use tracing::instrument;

use super::pull::SyncError;
use crate::api::ApiClient;
use crate::store::Store;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Orders changed by applied actions.
    pub changed: Vec<String>,
    pub applied: usize,
    /// (order id, the marketplace's reason) of each refused action.
    pub refused: Vec<(String, String)>,
}

#[instrument(skip(client, store, device_now), fields(base = client.base_url()), err)]
pub async fn push_outbox(
    client: &ApiClient,
    store: &Store,
    account_id: &str,
    device_now: &(dyn Fn() -> DateTime<Utc> + Send + Sync),
) -> Result<PushReport, SyncError> {
    let mut report = PushReport::default();
    for item in store.pending_actions(account_id)? {
        match client
            .post_action(&item.order_id, &item.action, &item.idempotency_key)
            .await
        {
            Ok(fetched) => {
                let now_ms = device_now().timestamp_millis();
                let changed =
                    store.complete_action(item.seq, account_id, &fetched.value, now_ms)?;
                report.changed.extend(changed);
                report.applied += 1;
            }
            // A refused token is the account's problem, not the action's: every queued
            // action stays pending until the seller signs in again.
            Err(e) if e.is_retryable() || e.is_unauthorized() => {
                store.note_action_failure(item.seq, &e.to_string(), false)?;
                return Err(e.into());
            }
            Err(e) => {
                store.note_action_failure(item.seq, &e.to_string(), true)?;
                tracing::warn!(order = %item.order_id, error = %e, "the marketplace refused an action");
                report.refused.push((item.order_id.clone(), e.to_string()));
                report.changed.push(item.order_id.clone());
            }
        }
    }
    Ok(report)
}
