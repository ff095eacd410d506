//! What the window shows about syncing: a state and a sentence.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    Idle,
    Syncing,
    Ok,
    Failed,
    Offline,
    /// An account's token was refused (401/403): the seller must sign in again; queued
    /// actions are kept.
    SignIn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub state: SyncState,
    pub message: String,
    /// Milliseconds since the epoch of the last successful pull.
    pub last_success_at: Option<i64>,
    pub next_retry_secs: Option<u64>,
    /// Each account's outcome in the last round, in the order they sync: the header names
    /// the one that is offline or refused and why, instead of one global "Offline".
    pub accounts: Vec<AccountSync>,
}

/// One account's part of a sync round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountSync {
    pub account_id: String,
    pub label: String,
    /// `Ok`, `Offline` (nothing answered), `SignIn` (the token was refused) or `Failed`.
    pub state: SyncState,
    /// Why, in plain words, when it is not `Ok`; empty when it is.
    pub reason: String,
    /// Milliseconds since the epoch of this account's last successful pull.
    pub last_success_at: Option<i64>,
}

impl AccountSync {
    /// The outcome of `error` (None = synced) for one account, in words a seller can act on.
    pub fn from_outcome(
        account_id: &str,
        label: &str,
        error: Option<&super::SyncError>,
        last_success_at: Option<i64>,
    ) -> AccountSync {
        let (state, reason) = match error {
            None => (SyncState::Ok, String::new()),
            Some(e) if e.is_unauthorized() => (
                SyncState::SignIn,
                "the marketplace refused its token: remove the account and add it again with a new token".to_string(),
            ),
            Some(e) if e.is_offline() => (
                SyncState::Offline,
                "the marketplace does not answer (no network, or the address is wrong)".to_string(),
            ),
            Some(e) => (SyncState::Failed, e.to_string()),
        };
        AccountSync {
            account_id: account_id.to_string(),
            label: label.to_string(),
            state,
            reason,
            last_success_at,
        }
    }
}

impl SyncStatus {
    pub fn idle() -> SyncStatus {
        SyncStatus {
            state: SyncState::Idle,
            message: "Not synced yet".to_string(),
            last_success_at: None,
            next_retry_secs: None,
            accounts: Vec::new(),
        }
    }
}
