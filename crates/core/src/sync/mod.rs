//! Pulling the marketplace into the local store, as data: plan (pure) → apply.

mod backoff;
mod plan;
mod pull;
mod push;
mod status;

pub use backoff::retry_delay;
pub use plan::{PageOp, plan_page};
pub use pull::{PAGE_LIMIT, PullReport, SyncError, apply_page, apply_profile, pull_orders, screen};
pub use push::{PushReport, push_outbox};
pub use status::{AccountSync, SyncState, SyncStatus};
