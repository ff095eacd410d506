//! Sync benchmark (a bench binary printing figures, not a test): initial pull of 10,000
//! orders from the simulator over loopback into a SQLite file and an incremental pull of
//! one change among them, each against one keep-alive HTTP client (a single `curl` run
//! fetching the same pages over one connection, fetch only). Twice: slim orders (no
//! messages, requests or extras) and realistic ones (the demo's orders, with their
//! messages, requests, extras and reviews, copied to 10,000 ids).
//!
//! Run: `cargo bench -p sellerdesk-core --bench sync`

#[path = "common/figures.rs"]
mod figures;
#[path = "common/realistic.rs"]
mod realistic;

use std::process::Command;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use realistic::realistic;
use sellerdesk_api::{Buyer, Order, OrderStatus};
use sellerdesk_core::api::ApiClient;
use sellerdesk_core::store::{Account, Store};
use sellerdesk_core::sync::{PAGE_LIMIT, pull_orders};
use sellerdesk_sim::{RunningSim, SimConfig};

const ORDERS: usize = 10_000;
const RUNS: usize = 5;

fn slim(i: usize, now: DateTime<Utc>) -> Order {
    Order {
        id: format!("B-{i:06}"),
        title: format!("Benchmark order {i} — logo, podcast edit or translation"),
        buyer: Buyer {
            username: format!("buyer{i}"),
            display_name: format!("Buyer Nº{i}"),
            country: Some("DE".into()),
        },
        status: OrderStatus::InProgress,
        currency: "USD".into(),
        base_price_minor: 5_000 + (i as i64 % 50) * 100,
        extras: vec![],
        revisions_included: 2,
        revisions_used: 0,
        created_at: now - Duration::days(2),
        due_at: now + Duration::minutes(i as i64 * 7),
        delivered_at: None,
        completed_at: None,
        requests: vec![],
        review: None,
        messages: Vec::new(),
        review_extension_days: 0,
        updated_at: now,
        seq: 0,
    }
}

async fn simulator(orders: impl Iterator<Item = Order>) -> RunningSim {
    let mut config = SimConfig::demo(Utc::now());
    config.demo_data = false;
    let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator");
    for order in orders {
        sim.handle().upsert_order(order);
    }
    sim
}

/// The URL of every page an initial sync fetches (the cursor is the last seq of a page).
fn page_urls(sim: &RunningSim) -> Vec<String> {
    let mut urls = Vec::new();
    let mut since = String::from("0");
    loop {
        let url = format!(
            "{}/v1/orders?limit={PAGE_LIMIT}&since={since}",
            sim.base_url()
        );
        let out = Command::new("curl")
            .args(["-sf", "-H"])
            .arg(format!("Authorization: Bearer {}", sim.token()))
            .arg(&url)
            .output()
            .expect("curl must be installed");
        assert!(out.status.success(), "curl could not fetch {url}");
        let page: sellerdesk_api::OrderPage = serde_json::from_slice(&out.stdout).expect("a page");
        urls.push(url);
        since = page.next_cursor;
        if !page.has_more {
            return urls;
        }
    }
}

/// One `curl` process fetching every page over one kept-alive connection; seconds.
fn curl_keep_alive(sim: &RunningSim, urls: &[String]) -> f64 {
    let mut cmd = Command::new("curl");
    cmd.args(["-sS", "--fail-early", "-f", "-H"])
        .arg(format!("Authorization: Bearer {}", sim.token()));
    for url in urls {
        cmd.args(["-o", "/dev/null", url]);
    }
    let t = Instant::now();
    let status = cmd.status().expect("curl must be installed");
    let took = t.elapsed().as_secs_f64();
    assert!(status.success(), "curl failed: {status}");
    took
}

async fn scenario(label: &str, sim: &RunningSim, some_id: &str) {
    let client = ApiClient::new(&sim.base_url(), sim.token()).expect("client");
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut initial, mut incremental) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let store = Store::open(&dir.path().join(format!("bench-{run}.db"))).expect("store");
        store
            .save_account(&Account::new("b", "Bench", &sim.base_url()))
            .expect("account");
        let t = Instant::now();
        let report = pull_orders(&client, &store, "b", PAGE_LIMIT, &Utc::now)
            .await
            .expect("initial pull");
        initial.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(report.received, ORDERS, "every order arrives");

        let mut changed = sim.handle().order(some_id).expect("order");
        changed.revisions_used = run as u32 + 1;
        sim.handle().upsert_order(changed);
        let t = Instant::now();
        let report = pull_orders(&client, &store, "b", PAGE_LIMIT, &Utc::now)
            .await
            .expect("incremental pull");
        incremental.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(
            report.changed,
            vec![some_id.to_string()],
            "one change arrives"
        );
    }
    let urls = page_urls(sim);
    let curl: Vec<f64> = (0..RUNS)
        .map(|_| curl_keep_alive(sim, &urls) * 1e3)
        .collect();
    let pages = urls.len();
    figures::figure(
        &format!(
            "{label}: initial sync of {ORDERS} ({pages} pages, fetch + decode + upsert into SQLite)"
        ),
        "ms",
        &initial,
        Some(("curl keep-alive", &curl)),
    );
    figures::figure(
        &format!("{label}: one curl, keep-alive, the same {pages} pages (fetch only)"),
        "ms",
        &curl,
        None,
    );
    figures::figure(
        &format!("{label}: incremental sync, 1 change among {ORDERS}"),
        "ms",
        &incremental,
        None,
    );
}

#[tokio::main]
async fn main() {
    println!(
        "sync benchmark: {ORDERS} orders, pages of {PAGE_LIMIT}, loopback, SQLite file, {RUNS} runs each"
    );
    let now = Utc::now();
    let sim = simulator((0..ORDERS).map(|i| slim(i, now))).await;
    scenario("slim orders", &sim, "B-004242").await;
    sim.shutdown().await;

    let templates = sellerdesk_sim::demo_orders(now);
    let sim = simulator((0..ORDERS).map(|i| realistic(&templates, i, now))).await;
    let bytes: usize = (0..templates.len())
        .map(|i| serde_json::to_vec(&realistic(&templates, i, now)).map_or(0, |v| v.len()))
        .sum();
    println!(
        "realistic orders: {} demo templates, {} bytes of JSON per order on average",
        templates.len(),
        bytes / templates.len()
    );
    scenario("realistic orders", &sim, "B-004242").await;
    sim.shutdown().await;
}
