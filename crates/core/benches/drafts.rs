//! Draft autosave latency: how long one autosave of a delivery draft takes in a real
//! on-disk database (WAL, synchronous=NORMAL), as the composer does it while the seller
//! types. Prints p50 and p99 over 2,000 saves of a realistic draft, each the median (min,
//! max) of five runs on a fresh database.
//!
//! `cargo bench -p sellerdesk-core --bench drafts`

#[path = "common/figures.rs"]
mod figures;

use std::time::{Duration, Instant};

use sellerdesk_core::store::{Account, DraftContent, DraftFile, Store};

const SAVES: usize = 2_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

const RUNS: usize = 5;

fn main() {
    let (mut p50, mut p99) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let times = run();
        p50.push(percentile(&times, 0.50).as_secs_f64() * 1e3);
        p99.push(percentile(&times, 0.99).as_secs_f64() * 1e3);
    }
    let what = format!("delivery draft autosave, {SAVES} saves of ~2 KB + 5 files, WAL file");
    figures::figure(&format!("{what}: p50"), "ms", &p50, None);
    figures::figure(&format!("{what}: p99"), "ms", &p99, None);
}

/// One run of the saves on a fresh database: each save's time, sorted.
fn run() -> Vec<Duration> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(&dir.path().join("bench.db")).expect("a database");
    store
        .save_account(&Account::new("demo", "Demo", "http://127.0.0.1:1"))
        .expect("an account");
    let files: Vec<DraftFile> = (0..5)
        .map(|i| DraftFile {
            path: format!("/home/ana/work/client/final-{i}.zip"),
            name: format!("final-{i}.zip"),
            size: 700_000_000 + i,
        })
        .collect();
    let mut text = String::new();
    let mut base = None;
    let mut times = Vec::with_capacity(SAVES);
    for i in 0..SAVES {
        // The description grows as typed, up to ~2 KB, then is rewritten.
        if text.len() > 2_000 {
            text.clear();
        }
        text.push_str(&format!("word{i} "));
        let content = DraftContent {
            description: text.clone(),
            files: files.clone(),
            no_file_confirmed: false,
            outside_platform: false,
            modified: false,
        };
        let started = Instant::now();
        let version = store
            .save_draft("demo", "D-1001", base, &content, i as i64)
            .expect("a save");
        times.push(started.elapsed());
        base = Some(version);
    }
    times.sort();
    let total: Duration = times.iter().sum();
    println!(
        "draft autosave, {SAVES} saves: p50 {:.3} ms   p99 {:.3} ms   max {:.3} ms   mean {:.3} ms",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().expect("saves").as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3 / SAVES as f64
    );
    times
}
