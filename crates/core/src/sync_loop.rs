//! The background sync: pull on an interval and on demand, back off on failure, and
//! report every state change to the window.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::sync::{SyncState, SyncStatus, retry_delay};
use crate::workspace::{EventSink, Workspace};

pub struct SyncHandle {
    wake: Arc<Notify>,
    task: JoinHandle<()>,
}

/// Wakes the sync loop from anywhere (a notification button, a command).
#[derive(Clone)]
pub struct SyncWaker(Arc<Notify>);

impl SyncWaker {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

impl SyncHandle {
    pub fn waker(&self) -> SyncWaker {
        SyncWaker(self.wake.clone())
    }

    /// Starts a round now instead of waiting for the interval or the retry delay.
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }

    pub fn stop(self) {
        self.task.abort();
    }
}

/// Spawns the loop on the current tokio runtime.
pub fn spawn_sync_loop(
    workspace: Arc<Workspace>,
    sink: Arc<dyn EventSink>,
    interval: Duration,
) -> SyncHandle {
    let wake = Arc::new(Notify::new());
    let task = tokio::spawn(run(workspace, sink, interval, wake.clone()));
    SyncHandle { wake, task }
}

async fn run(
    workspace: Arc<Workspace>,
    sink: Arc<dyn EventSink>,
    interval: Duration,
    wake: Arc<Notify>,
) {
    let mut failures = 0u32;
    loop {
        let mut syncing = workspace.sync_status();
        syncing.state = SyncState::Syncing;
        syncing.message = "Syncing…".to_string();
        syncing.next_retry_secs = None;
        publish(&workspace, sink.as_ref(), syncing);

        let round = workspace.sync_once().await;
        if !round.changed.is_empty() {
            sink.orders_changed(&round.changed);
        }
        let wait = match &round.error {
            None => {
                failures = 0;
                interval
            }
            Some(e) if e.is_retryable() => {
                failures += 1;
                retry_delay(failures, e.retry_after(), jitter())
            }
            // Permanent (e.g. the token was refused): no point hammering; try again at
            // the normal pace in case the user fixed it.
            Some(_) => interval,
        };
        let retry_in = round.error.as_ref().map(|_| wait.as_secs().max(1));
        publish(
            &workspace,
            sink.as_ref(),
            workspace.status_after(&round, retry_in),
        );
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = wake.notified() => {}
        }
    }
}

fn publish(workspace: &Workspace, sink: &dyn EventSink, status: SyncStatus) {
    workspace.set_sync_status(status.clone());
    sink.sync_status(&status);
}

/// A value in [0, 1) that differs between processes and rounds, to spread retries.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    f64::from(nanos % 1000) / 1000.0
}
