//! The background sync: pull on an interval and on demand, back off on failure, and
//! report every state change to the window.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;

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
        // A bug in one round (a panic in sync, the store or the sink) loses that round,
        // never the loop: it is logged and the next round comes at the normal pace.
        let round = round(&workspace, sink.as_ref(), interval, &mut failures);
        let wait = AssertUnwindSafe(round)
            .catch_unwind()
            .await
            .unwrap_or_else(|_| {
                tracing::error!("a sync round panicked (see the log); the loop goes on");
                interval
            });
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = wake.notified() => {}
        }
    }
}

/// One pull; answers how long to wait before the next.
async fn round(
    workspace: &Workspace,
    sink: &dyn EventSink,
    interval: Duration,
    failures: &mut u32,
) -> Duration {
    let mut syncing = workspace.sync_status();
    syncing.state = SyncState::Syncing;
    syncing.message = "Syncing…".to_string();
    syncing.next_retry_secs = None;
    publish(workspace, sink, syncing);

    let round = workspace.sync_once().await;
    if !round.changed.is_empty() {
        sink.orders_changed(&round.changed);
    }
    let wait = match &round.error {
        None => {
            *failures = 0;
            interval
        }
        Some(e) if e.is_retryable() => {
            *failures += 1;
            retry_delay(*failures, e.retry_after(), jitter())
        }
        // Permanent (e.g. the token was refused): no point hammering; try again at
        // the normal pace in case the user fixed it.
        Some(_) => interval,
    };
    let retry_in = round.error.as_ref().map(|_| wait.as_secs().max(1));
    publish(workspace, sink, workspace.status_after(&round, retry_in));
    wait
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

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::store::Store;
    use crate::workspace::system_clock;

    /// Panics on the first status it gets, then records every status.
    struct FaultySink {
        calls: Mutex<u32>,
        second: Notify,
    }

    impl EventSink for FaultySink {
        fn orders_changed(&self, _ids: &[String]) {}

        fn sync_status(&self, _status: &SyncStatus) {
            let mut calls = self.calls.lock().unwrap();
            *calls += 1;
            if *calls == 1 {
                drop(calls);
                panic!("a bug while publishing the status");
            }
            self.second.notify_one();
        }
    }

    #[tokio::test]
    async fn a_panicking_round_does_not_end_the_loop() {
        let ws = Workspace::with_store(
            Store::open_in_memory().unwrap(),
            vec![],
            false,
            system_clock(),
        )
        .unwrap();
        let sink = Arc::new(FaultySink {
            calls: Mutex::new(0),
            second: Notify::new(),
        });
        let handle = spawn_sync_loop(Arc::new(ws), sink.clone(), Duration::from_secs(3600));
        handle.sync_now();
        tokio::time::timeout(Duration::from_secs(30), sink.second.notified())
            .await
            .expect("after a panicking round the loop must run the next one when woken");
        assert!(*sink.calls.lock().unwrap() >= 2);
        handle.stop();
    }
}
