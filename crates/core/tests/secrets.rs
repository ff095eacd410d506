//! The marketplace token is a secret: after syncing (successfully, with faults and with a
//! refused token), it must appear neither in the logs at the most verbose level nor in
//! the database files.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use sellerdesk_core::store::Account;
use sellerdesk_core::{Workspace, system_clock};
use sellerdesk_sim::{Fault, FaultPlan, SimConfig};

const TOKEN: &str = "tok-SECRET-6b1f0c2e";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_token_never_reaches_the_logs_or_the_database() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut config = SimConfig::demo(Utc::now());
    config.token = TOKEN.to_string();
    let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");
    let good = Account::new("good", "Good", &sim.base_url());
    let bad = Account::new("bad", "Bad", &sim.base_url());
    let ws = Workspace::open(
        &db,
        vec![(good, TOKEN.to_string()), (bad, format!("{TOKEN}-wrong"))],
        false,
        system_clock(),
    )
    .unwrap();
    ws.sync_once().await;
    sim.handle().set_fault(FaultPlan {
        fault: Fault::ServerError,
        count: Some(1),
    });
    ws.sync_once().await;
    let round = ws.sync_once().await;
    assert!(
        round.error.is_some(),
        "the refused token makes the round report an error"
    );
    drop(ws);

    let logs = logs.0.lock().unwrap().clone();
    assert!(
        logs.len() > 1000,
        "the test must really have captured the sync's logs"
    );
    assert!(!contains(&logs, TOKEN), "the token must never be logged");
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !contains(&bytes, TOKEN),
            "the token must never be stored: found in {}",
            path.display()
        );
    }
    sim.shutdown().await;
}
