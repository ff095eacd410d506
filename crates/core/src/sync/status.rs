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
}

impl SyncStatus {
    pub fn idle() -> SyncStatus {
        SyncStatus {
            state: SyncState::Idle,
            message: "Not synced yet".to_string(),
            last_success_at: None,
            next_retry_secs: None,
        }
    }
}
