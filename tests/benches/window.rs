//! The real window with 10,000 active orders (a simulator seeded in this process, the
//! debug or release app binary under Xvfb through tauri-driver): time from launch to the
//! first rows on screen, scroll frame times while the list scrolls, and the memory of
//! the app and its WebKit processes once idle.
//!
//! `cargo bench -p sellerdesk-tests --bench window` (builds nothing: build the app first,
//! `cargo build -p sellerdesk` or `--release` with `SELLERDESK_BIN`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sellerdesk_api::OrderStatus;
use sellerdesk_sim::SimConfig;
use sellerdesk_tests::display::{SessionBus, Xvfb, start_tauri_driver};
use sellerdesk_tests::webdriver::Session;
use sellerdesk_tests::{app_binary, free_port};

const ORDERS: usize = 10_000;

/// (pid, parent pid, command name) of every process.
fn processes() -> Vec<(u32, u32, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ..."; comm may hold spaces: split at the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_string();
        let ppid = stat[close + 2..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        out.push((pid, ppid, comm));
    }
    out
}

/// The app process started from `binary` and its descendants (WebKit's processes).
fn app_tree(binary: &Path) -> Vec<(u32, String)> {
    let all = processes();
    let Some(root) = all.iter().find(|(pid, _, _)| {
        std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary)
    }) else {
        return Vec::new();
    };
    let mut tree = vec![(root.0, root.2.clone())];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i].0;
        tree.extend(
            all.iter()
                .filter(|(_, ppid, _)| *ppid == parent)
                .map(|(pid, _, comm)| (*pid, comm.clone())),
        );
        i += 1;
    }
    tree
}

fn kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let mut config = SimConfig::demo(chrono::Utc::now());
    config.demo_data = false;
    let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into()).await?;
    let template = sellerdesk_sim::demo_orders(sim.handle().now())
        .into_iter()
        .find(|o| o.status == OrderStatus::InProgress)
        .expect("a demo order in progress");
    for i in 0..ORDERS {
        let mut order = template.clone();
        order.id = format!("B-{i:05}");
        order.title = format!("Benchmark order {i}");
        order.due_at = sim.handle().now() + chrono::Duration::minutes(30 + i as i64 * 7);
        sim.handle().upsert_order(order);
    }

    let binary: PathBuf = app_binary().canonicalize()?;
    let data = tempfile::tempdir()?;
    let xvfb = Xvfb::start();
    let bus = SessionBus::start();
    let (port, native) = (free_port(), free_port());
    let url = sim.base_url();
    let data_dir = data.path().to_string_lossy().to_string();
    let env = [
        ("SELLERDESK_DATA_DIR", data_dir.as_str()),
        ("SELLERDESK_API_URL", url.as_str()),
        ("SELLERDESK_API_TOKEN", sim.token()),
        ("DBUS_SESSION_BUS_ADDRESS", bus.address.as_str()),
    ];
    let _driver = start_tauri_driver(&xvfb.display, port, native, &env);
    let launched = Instant::now();
    let s = Session::start(port, &binary).await?;
    let session_ready = launched.elapsed();
    // The list holds every order and renders the rows near the screen (windowed above
    // 300 rows): wait until it holds all of them and the first rows are on screen.
    let rendered = s
        .wait_for("10,000 rows", Duration::from_secs(180), || async {
            let n = s
                .execute(&format!(
                    "const l = document.querySelector('[data-testid=order-list]');
                     const rows = document.querySelectorAll('[data-testid=order-row]').length;
                     return l && Number(l.dataset.total) >= {ORDERS} && rows > 0 ? rows : 0"
                ))
                .await?;
            Ok(n.as_u64().filter(|&rows| rows > 0))
        })
        .await?;
    let first_rows = launched.elapsed();

    // Scroll the page through the list, one step per animation frame, recording frame
    // intervals in the page; then read them back.
    s.execute(
        "window.__frames = []; let last = performance.now(); let n = 0;
         const step = (t) => { window.__frames.push(t - last); last = t;
           window.scrollBy(0, 240); document.querySelector('main')?.scrollBy?.(0, 240);
           if (++n < 240) requestAnimationFrame(step); else window.__done = true; };
         requestAnimationFrame(step); return true;",
    )
    .await?;
    s.wait_for("the scroll run", Duration::from_secs(120), || async {
        Ok(s.execute("return window.__done === true")
            .await?
            .as_bool()
            .filter(|d| *d))
    })
    .await?;
    let frames = s.execute("return window.__frames").await?;
    let mut frames: Vec<f64> = frames
        .as_array()
        .map(|a| a.iter().skip(1).filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    frames.sort_by(|a, b| a.total_cmp(b));

    // Idle memory: give the window 10 s to settle, then sum every process of the app.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let tree = app_tree(&binary);
    let (mut rss, mut pss) = (0, 0);
    println!("window with {ORDERS} active orders ({}):", binary.display());
    for (pid, comm) in &tree {
        let (r, p) = (kib(*pid, "Rss:"), kib(*pid, "Pss:"));
        println!(
            "  process {pid:>7} {comm:<20} RSS {:>5} MiB  PSS {:>5} MiB",
            r / 1024,
            p / 1024
        );
        rss += r;
        pss += p;
    }
    println!(
        "  launch → WebDriver session: {:.2} s; launch → list of {ORDERS} orders on screen (sync included, {rendered} rows rendered): {:.2} s",
        session_ready.as_secs_f64(),
        first_rows.as_secs_f64()
    );
    println!(
        "  scroll frames ({}): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        frames.len(),
        percentile(&frames, 0.5),
        percentile(&frames, 0.95),
        frames.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "  idle memory, app + WebKit: RSS {} MiB, PSS {} MiB",
        rss / 1024,
        pss / 1024
    );
    s.close().await;
    sim.shutdown().await;
    Ok(())
}
