//! The real window (the release app binary under Xvfb through tauri-driver), two starts:
//!
//! - **cold**: 10,000 active orders on a simulator seeded in this process, an empty data
//!   folder: launch → the list on screen (the first sync included), then scroll frame
//!   times (the rows are checked to change while scrolling) and the idle memory of the app
//!   and its WebKit processes;
//! - **warm**: the seller's everyday start. The orders were synced by the core into the
//!   data folder's `sellerdesk.db` beforehand, and the app is pointed at an address where
//!   nothing listens, so the rows can only come from the local database: launch → first
//!   rows painted, split into what bounds it (the page's marks: WebView start, first
//!   page of rows asked, answered, in the DOM, first frame with them). The window holds
//!   only the rows near the screen (pages of the list). At 10,000 orders of one account and
//!   100,000 across five accounts; at 100,000 also scroll frames (rows checked to change)
//!   and idle memory.
//!
//! "Launch" is the app process's start as the kernel records it (not when tauri-driver
//! was asked for a session, which adds the driver's own start-up). Each figure is the
//! median (min, max) of five launches.
//! `cargo bench -p sellerdesk-tests --bench window` (builds nothing: build the app first,
//! `cargo build -p sellerdesk` or `--release` with `SELLERDESK_BIN`).

#[path = "../../crates/core/benches/common/figures.rs"]
mod figures;
#[path = "window_support/procs.rs"]
mod procs;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sellerdesk_api::{Order, OrderStatus};
use sellerdesk_core::api::ApiClient;
use sellerdesk_core::store::{Account, Store, start_account_id};
use sellerdesk_core::sync::{PAGE_LIMIT, pull_orders};
use sellerdesk_sim::{RunningSim, SimConfig};
use sellerdesk_tests::display::{SessionBus, Xvfb, start_tauri_driver};
use sellerdesk_tests::webdriver::Session;
use sellerdesk_tests::{app_binary, free_port};

const ORDERS: usize = 10_000;
/// Warm starts: orders, accounts, whether to scroll and measure idle memory too.
const WARM: [(usize, usize, bool); 2] = [(10_000, 1, false), (100_000, 5, true)];
const RUNS: usize = 5;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

/// A simulator holding `n` active orders, copies of a demo order in progress.
async fn simulator(n: usize) -> anyhow::Result<RunningSim> {
    let mut config = SimConfig::demo(chrono::Utc::now());
    config.demo_data = false;
    let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into()).await?;
    let template: Order = sellerdesk_sim::demo_orders(sim.handle().now())
        .into_iter()
        .find(|o| o.status == OrderStatus::InProgress)
        .expect("a demo order in progress");
    for i in 0..n {
        let mut order = template.clone();
        order.id = format!("B-{i:06}");
        order.title = format!("Benchmark order {i}");
        order.due_at = sim.handle().now() + chrono::Duration::minutes(30 + i as i64 * 7);
        sim.handle().upsert_order(order);
    }
    Ok(sim)
}

/// What one launch measured, in ms from the app process's start.
struct Launch {
    /// Session asked of tauri-driver → the app process started (the driver's start-up).
    spawned: f64,
    /// Launch → WebDriver session (the app and its WebView up).
    session: f64,
    /// Launch → the list holds every order and rows are on screen (polled every ~10 ms).
    rows_seen: f64,
    /// Launch → the page's navigation start.
    page_start: f64,
    /// Page start → the bundle began to run (loading the page and its script).
    bundle: f64,
    /// Page start → WebKit's first contentful paint (Paint Timing; NaN if not reported).
    first_paint: f64,
    /// Page start → the first rows in the DOM (rendered by the page, not yet painted).
    dom: f64,
    /// Page start → `app_info` answered (the rows wait for it too).
    info: f64,
    /// Page start → the first page of rows (`order_page`) asked, answered, first frame
    /// with them.
    asked: f64,
    answered: f64,
    frame: f64,
}

/// The shared display and session bus of every launch.
struct Desktop {
    xvfb: Xvfb,
    bus: SessionBus,
    binary: PathBuf,
}

impl Desktop {
    /// Launches the app on `data_dir` against `api_url` and waits until the list holds
    /// `total` orders with rows on screen. The caller closes the session.
    async fn launch(
        &self,
        data_dir: &Path,
        api_url: &str,
        token: &str,
        total: usize,
    ) -> anyhow::Result<(Session, sellerdesk_tests::display::Guarded, Launch)> {
        wait_for_exit(&self.binary).await?;
        let (port, native) = (free_port(), free_port());
        let data_dir = data_dir.to_string_lossy().to_string();
        let env = [
            ("SELLERDESK_DATA_DIR", data_dir.as_str()),
            ("SELLERDESK_API_URL", api_url),
            ("SELLERDESK_API_TOKEN", token),
            ("DBUS_SESSION_BUS_ADDRESS", self.bus.address.as_str()),
        ];
        let driver = start_tauri_driver(&self.xvfb.display, port, native, &env);
        let (launched, launched_ms) = (Instant::now(), epoch_ms());
        let s = Session::start(port, &self.binary).await?;
        let session = launched.elapsed().as_secs_f64() * 1e3;
        let probe = format!(
            "const l = document.querySelector('[data-testid=order-list]');
             const rows = document.querySelectorAll('[data-testid=order-row]').length;
             return l && Number(l.dataset.total) >= {total} && rows > 0"
        );
        let deadline = Instant::now() + Duration::from_secs(300);
        while s.execute(&probe).await?.as_bool() != Some(true) {
            anyhow::ensure!(Instant::now() < deadline, "no rows after 300 s");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let rows_seen_ms = epoch_ms();
        let pid = procs::app_tree(&self.binary)
            .first()
            .map(|(pid, _)| *pid)
            .ok_or_else(|| anyhow::anyhow!("the app's process is not found"))?;
        let started_ms = procs::started_epoch_ms(pid)
            .ok_or_else(|| anyhow::anyhow!("the app's start time is not readable"))?;
        // The page's marks (absent from a binary built before they were added: the
        // split is then unknown, NaN).
        let mut marks = vec![f64::NAN; 8];
        let marks_deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < marks_deadline {
            let v = s
                .execute(
                    "const m = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
                     const f = m('sellerdesk:first-rows-frame');
                     return f === null ? null : [performance.timeOrigin,
                       m('sellerdesk:first-rows-asked'), m('sellerdesk:first-rows-answered'),
                       f, m('sellerdesk:bundle-run'),
                       m('first-contentful-paint'), m('sellerdesk:first-rows-dom'),
                       m('sellerdesk:info-answered')];",
                )
                .await?;
            if let Some(a) = v.as_array() {
                marks = a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect();
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if marks[0].is_nan() {
            let origin = s.execute("return performance.timeOrigin").await?;
            marks[0] = origin.as_f64().unwrap_or(f64::NAN);
        }
        let launch = Launch {
            spawned: started_ms - launched_ms,
            session: session - (started_ms - launched_ms),
            rows_seen: rows_seen_ms - started_ms,
            page_start: marks[0] - started_ms,
            asked: marks[1],
            answered: marks[2],
            frame: marks[3],
            bundle: marks[4],
            first_paint: marks[5],
            dom: marks[6],
            info: marks[7],
        };
        Ok((s, driver, launch))
    }
}

/// Waits (up to 30 s) until no process of the previous launch is left: the app allows
/// one instance per data folder, so a lingering one would take the next launch's place.
/// One still there is killed (by pid: it is this bench's own launch), and said so.
async fn wait_for_exit(binary: &Path) -> anyhow::Result<()> {
    for _ in 0..300 {
        if procs::app_tree(binary).is_empty() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for (pid, comm) in procs::app_tree(binary) {
        println!("  the previous launch's {comm} ({pid}) did not exit in 30 s: killed");
        std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()?;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    anyhow::ensure!(
        procs::app_tree(binary).is_empty(),
        "the previous launch's processes are still running"
    );
    Ok(())
}

/// Scrolls the page through the list one step per animation frame: the frame intervals
/// (ms, sorted) and how many different first rows were on screen.
async fn scroll(s: &Session) -> anyhow::Result<(Vec<f64>, u64)> {
    s.execute(
        "window.__frames = []; window.__firsts = new Set(); let last = performance.now();
         let n = 0;
         const step = (t) => { window.__frames.push(t - last); last = t;
           const row = [...document.querySelectorAll('[data-testid=order-row]')]
             .find((r) => r.getBoundingClientRect().top >= 0);
           if (row) window.__firsts.add(row.textContent);
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
    let firsts = s.execute("return window.__firsts.size").await?;
    Ok((frames, firsts.as_u64().unwrap_or(0)))
}

/// RSS and PSS (MiB) of the app and every WebKit process it started.
fn memory(binary: &Path) -> (f64, f64) {
    let (mut rss, mut pss) = (0, 0);
    for (pid, comm) in procs::app_tree(binary) {
        let (r, p) = (procs::kib(pid, "Rss:"), procs::kib(pid, "Pss:"));
        println!(
            "  process {pid:>7} {comm:<20} RSS {:>5} MiB  PSS {:>5} MiB",
            r / 1024,
            p / 1024
        );
        rss += r;
        pss += p;
    }
    (rss as f64 / 1024.0, pss as f64 / 1024.0)
}

async fn cold(desk: &Desktop) -> anyhow::Result<()> {
    let sim = simulator(ORDERS).await?;
    let (mut seen, mut p50, mut p95, mut max, mut rss, mut pss) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for run in 0..RUNS {
        let data = tempfile::tempdir()?;
        let (s, _driver, l) = desk
            .launch(data.path(), &sim.base_url(), sim.token(), ORDERS)
            .await?;
        let (frames, firsts) = scroll(&s).await?;
        anyhow::ensure!(
            firsts > 10,
            "the rows must change while scrolling ({firsts} seen)"
        );
        // Idle memory: give the window 10 s to settle, then sum every process of the app.
        tokio::time::sleep(Duration::from_secs(10)).await;
        let (r, p) = memory(&desk.binary);
        println!(
            "cold run {run}: session {:.0} ms, rows {:.0} ms, {} frames p50 {:.1} p95 {:.1} max {:.1} ms, {firsts} first rows, RSS {r:.0} PSS {p:.0} MiB",
            l.session,
            l.rows_seen,
            frames.len(),
            percentile(&frames, 0.5),
            percentile(&frames, 0.95),
            frames.last().copied().unwrap_or(f64::NAN)
        );
        seen.push(l.rows_seen);
        p50.push(percentile(&frames, 0.5));
        p95.push(percentile(&frames, 0.95));
        max.push(frames.last().copied().unwrap_or(f64::NAN));
        rss.push(r);
        pss.push(p);
        s.close().await;
    }
    let what = format!("cold start, {ORDERS} orders");
    figures::figure(
        &format!("{what}: launch → list on screen (first sync included)"),
        "ms",
        &seen,
        None,
    );
    figures::figure(
        &format!("{what}: scroll frame p50 (rows checked to change)"),
        "ms",
        &p50,
        None,
    );
    figures::figure(&format!("{what}: scroll frame p95"), "ms", &p95, None);
    figures::figure(&format!("{what}: scroll frame max"), "ms", &max, None);
    figures::figure(
        &format!("{what}: idle RSS, app + WebKit"),
        "MiB",
        &rss,
        None,
    );
    figures::figure(
        &format!("{what}: idle PSS, app + WebKit"),
        "MiB",
        &pss,
        None,
    );
    sim.shutdown().await;
    Ok(())
}

/// A data folder whose database holds `n` orders across `accounts` accounts synced by
/// the core, and the first account's address (the app's; nothing listens there any more).
/// The other accounts are saved accounts whose tokens the app does not have: their rows
/// are listed from the database all the same.
async fn warm_data(n: usize, accounts: usize) -> anyhow::Result<(tempfile::TempDir, String)> {
    let data = tempfile::tempdir()?;
    let store = Store::open(&data.path().join("sellerdesk.db"))?;
    let t = Instant::now();
    let mut first_url = None;
    for k in 0..accounts {
        let sim = simulator(n / accounts).await?;
        let url = sim.base_url();
        let id = if k == 0 {
            start_account_id(false, &url)
        } else {
            format!("bench-{k}")
        };
        store.save_account(&Account::new(&id, &format!("Shop {k}"), &url))?;
        let client = ApiClient::new(&url, sim.token())?;
        let report = pull_orders(&client, &store, &id, PAGE_LIMIT, &chrono::Utc::now).await?;
        anyhow::ensure!(
            report.received == n / accounts,
            "every order must be on disk"
        );
        first_url.get_or_insert(url);
        sim.shutdown().await;
    }
    println!(
        "warm data: {n} orders of {accounts} accounts synced into {} in {:.1} s",
        data.path().display(),
        t.elapsed().as_secs_f64()
    );
    drop(store);
    Ok((data, first_url.unwrap_or_default()))
}

async fn warm(desk: &Desktop, n: usize, accounts: usize, settle: bool) -> anyhow::Result<()> {
    let (data, url) = warm_data(n, accounts).await?;
    let mut l = Vec::new();
    let (mut p95, mut pss) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let (s, _driver, launch) = desk.launch(data.path(), &url, "unused", n).await?;
        println!(
            "warm {n} run {run}: app started {:.0} ms after the session was asked; then session {:.0} ms, rows seen {:.0} ms; page start {:.0} ms after launch, then bundle running {:.0}, first contentful paint {:.0}, first rows asked {:.0}, answered {:.0}, app_info answered {:.0}, rows in the DOM {:.0}, painted {:.0} ms",
            launch.spawned,
            launch.session,
            launch.rows_seen,
            launch.page_start,
            launch.bundle,
            launch.first_paint,
            launch.asked,
            launch.answered,
            launch.info,
            launch.dom,
            launch.frame
        );
        l.push(launch);
        if settle {
            let (frames, firsts) = scroll(&s).await?;
            anyhow::ensure!(
                firsts > 10,
                "the rows must change while scrolling ({firsts} seen)"
            );
            tokio::time::sleep(Duration::from_secs(10)).await;
            let (r, p) = memory(&desk.binary);
            println!(
                "  {} frames p50 {:.1} p95 {:.1} max {:.1} ms, {firsts} first rows; idle RSS {r:.0} PSS {p:.0} MiB",
                frames.len(),
                percentile(&frames, 0.5),
                percentile(&frames, 0.95),
                frames.last().copied().unwrap_or(f64::NAN)
            );
            p95.push(percentile(&frames, 0.95));
            pss.push(p);
        }
        s.close().await;
    }
    let col = |f: fn(&Launch) -> f64| l.iter().map(f).collect::<Vec<_>>();
    let what = format!("warm start, {n} orders of {accounts} account(s) in SQLite, no network");
    let marked = l.iter().all(|l| !l.frame.is_nan());
    if marked {
        figures::figure(
            &format!("{what}: launch → first rows painted"),
            "ms",
            &col(|l| l.page_start + l.frame),
            None,
        );
    }
    figures::figure(
        &format!("{what}: launch → rows seen by WebDriver"),
        "ms",
        &col(|l| l.rows_seen),
        None,
    );
    figures::figure(
        &format!("{what}: (not in launch) session asked → app process started"),
        "ms",
        &col(|l| l.spawned),
        None,
    );
    figures::figure(
        &format!("{what}: launch → page start (app + WebView up)"),
        "ms",
        &col(|l| l.page_start),
        None,
    );
    if marked {
        figures::figure(
            &format!("{what}: page start → bundle running (page and script loaded)"),
            "ms",
            &col(|l| l.bundle),
            None,
        );
        figures::figure(
            &format!("{what}: bundle running → first rows asked (order_page)"),
            "ms",
            &col(|l| l.asked - l.bundle),
            None,
        );
        figures::figure(
            &format!("{what}: first rows asked → answered"),
            "ms",
            &col(|l| l.answered - l.asked),
            None,
        );
        figures::figure(
            &format!("{what}: first rows answered → first frame with them"),
            "ms",
            &col(|l| l.frame - l.answered),
            None,
        );
        figures::figure(
            &format!("{what}:   of which answered → rows in the DOM (page renders them)"),
            "ms",
            &col(|l| l.dom - l.answered),
            None,
        );
        figures::figure(
            &format!("{what}: page start → first contentful paint (the loading state)"),
            "ms",
            &col(|l| l.first_paint),
            None,
        );
    } else {
        figures::figure(
            &format!("{what}: page start → rows seen (no page marks in this binary)"),
            "ms",
            &col(|l| l.rows_seen - l.page_start),
            None,
        );
    }
    if settle {
        figures::figure(
            &format!("{what}: scroll frame p95 (rows checked to change)"),
            "ms",
            &p95,
            None,
        );
        figures::figure(
            &format!("{what}: idle PSS, app + WebKit"),
            "MiB",
            &pss,
            None,
        );
    }
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let desk = Desktop {
        binary: app_binary().canonicalize()?,
        xvfb: Xvfb::start(),
        bus: SessionBus::start(),
    };
    println!(
        "window bench ({}), {RUNS} launches each",
        desk.binary.display()
    );
    for (n, accounts, settle) in WARM {
        warm(&desk, n, accounts, settle).await?;
    }
    cold(&desk).await?;
    Ok(())
}
