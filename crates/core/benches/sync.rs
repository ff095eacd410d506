//! Sync benchmark (a bench binary printing figures, not a test): initial pull of 10,000
//! orders from the simulator over loopback into a SQLite file, an incremental pull of one
//! change among them, and the same pages fetched by `curl` for comparison.
//!
//! Run: `cargo bench -p sellerdesk-core --bench sync`

use std::process::Command;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use sellerdesk_api::{Buyer, Order, OrderStatus};
use sellerdesk_core::api::ApiClient;
use sellerdesk_core::store::{Account, Store};
use sellerdesk_core::sync::{PAGE_LIMIT, pull_orders};
use sellerdesk_sim::SimConfig;

const ORDERS: usize = 10_000;

fn order(i: usize, now: chrono::DateTime<Utc>) -> Order {
    Order {
        id: format!("B-{i:05}"),
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

fn median(mut samples: Vec<StdDuration>) -> StdDuration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut config = SimConfig::demo(Utc::now());
    config.demo_data = false;
    let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator");
    let now = sim.handle().now();
    for i in 0..ORDERS {
        sim.handle().upsert_order(order(i, now));
    }
    let client = ApiClient::new(&sim.base_url(), sim.token()).expect("client");
    let dir = tempfile::tempdir().expect("temp dir");

    let mut initial = Vec::new();
    let mut incremental = Vec::new();
    for run in 0..3 {
        let store = Store::open(&dir.path().join(format!("bench-{run}.db"))).expect("store");
        store
            .save_account(&Account::new("b", "Bench", &sim.base_url()))
            .expect("account");
        let t = Instant::now();
        let report = pull_orders(&client, &store, "b", PAGE_LIMIT, &Utc::now)
            .await
            .expect("initial pull");
        initial.push(t.elapsed());
        assert_eq!(report.received, ORDERS, "every order arrives");

        let mut changed = sim.handle().order("B-04242").expect("order");
        changed.revisions_used = run + 1;
        sim.handle().upsert_order(changed);
        let t = Instant::now();
        let report = pull_orders(&client, &store, "b", PAGE_LIMIT, &Utc::now)
            .await
            .expect("incremental pull");
        incremental.push(t.elapsed());
        assert_eq!(
            report.changed,
            vec!["B-04242".to_string()],
            "one change arrives"
        );
    }

    // The same pages with curl, one process per page (what a shell script would do).
    let mut curl = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let mut since = String::from("0");
        loop {
            let out = Command::new("curl")
                .args(["-sf", "-H"])
                .arg(format!("Authorization: Bearer {}", sim.token()))
                .arg(format!(
                    "{}/v1/orders?limit={PAGE_LIMIT}&since={since}",
                    sim.base_url()
                ))
                .output()
                .expect("curl must be installed");
            assert!(out.status.success(), "curl failed");
            let page: sellerdesk_api::OrderPage =
                serde_json::from_slice(&out.stdout).expect("a page");
            since = page.next_cursor;
            if !page.has_more {
                break;
            }
        }
        curl.push(t.elapsed());
    }
    let pages = ORDERS.div_ceil(PAGE_LIMIT as usize);
    println!(
        "sync benchmark: {ORDERS} orders, {pages} pages of {PAGE_LIMIT}, loopback, SQLite file (median of 3)"
    );
    println!("{:<58} {:>10}", "what", "time");
    println!(
        "{:<58} {:>8.0}ms",
        "initial sync: fetch + decode + upsert into SQLite",
        median(initial).as_secs_f64() * 1e3
    );
    println!(
        "{:<58} {:>8.1}ms",
        "incremental sync: 1 change among 10,000",
        median(incremental).as_secs_f64() * 1e3
    );
    println!(
        "{:<58} {:>8.0}ms",
        "curl: the same pages, fetch only (one process per page)",
        median(curl).as_secs_f64() * 1e3
    );
    sim.shutdown().await;
}
