//! A seller's real scale, core only (no window): 100,000 realistic orders across five
//! accounts (five simulators of 20,000 each), synced by the workspace into one SQLite
//! file. Initial sync, incremental sync (one change), the open list (`order_rows`), a
//! search over it, and the parts of the list so what grows is visible: the SQL alone, the
//! SQL with every JSON body decoded (`active_orders`), the rows built from them.
//!
//! The search is the window's: `find_orders` with the active filter and a text matched
//! in SQL against id, title and buyer; its hits are checked.
//!
//! Run: `cargo bench -p sellerdesk-core --bench scale`

#[path = "common/figures.rs"]
mod figures;
#[path = "common/realistic.rs"]
mod realistic;

use std::path::Path;
use std::time::Instant;

use chrono::Utc;
use sellerdesk_core::finder::{OrderFilter, OrderQuery, OrderSort};
use sellerdesk_core::store::Account;
use sellerdesk_core::{Workspace, system_clock};
use sellerdesk_sim::{RunningSim, SimConfig};

const ACCOUNTS: usize = 5;
const PER_ACCOUNT: usize = 20_000;
const RUNS: usize = 5;
/// Rows the window asks for first (`FIRST_ROWS` in `ui/src/lib/workspace.svelte.ts`).
const FIRST_ROWS: usize = 40;
/// Rows the window asks for while scrolling: a screen and `PAGE_MARGIN` (150) beyond
/// each end (`ui/src/lib/workspace.svelte.ts`).
const PAGE: usize = 340;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn open(db: &Path, sims: &[RunningSim]) -> Workspace {
    let accounts = sims
        .iter()
        .enumerate()
        .map(|(k, sim)| {
            let account = Account::new(&format!("acct-{k}"), &format!("Shop {k}"), &sim.base_url());
            (account, sim.token().to_string())
        })
        .collect();
    Workspace::open(db, accounts, false, system_clock()).expect("a workspace")
}

#[tokio::main]
async fn main() {
    let now = Utc::now();
    let templates = sellerdesk_sim::demo_orders(now);
    let mut sims = Vec::new();
    for k in 0..ACCOUNTS {
        let mut config = SimConfig::demo(now);
        config.demo_data = false;
        let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
            .await
            .expect("simulator");
        for i in 0..PER_ACCOUNT {
            let mut order = realistic::realistic(&templates, i, now);
            order.id = format!("S{k}-{i:06}");
            sim.handle().upsert_order(order);
        }
        sims.push(sim);
    }
    let total = ACCOUNTS * PER_ACCOUNT;
    println!(
        "scale benchmark: {total} realistic orders across {ACCOUNTS} accounts, {RUNS} runs each"
    );
    let dir = tempfile::tempdir().expect("temp dir");

    let (mut initial, mut incremental) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let db = dir.path().join(format!("scale-{run}.db"));
        let ws = open(&db, &sims);
        let t = Instant::now();
        let round = ws.sync_once().await;
        initial.push(ms(t));
        assert!(
            round.error.is_none(),
            "the initial sync failed: {:?}",
            round.error
        );
        let stored: u64 = (0..ACCOUNTS)
            .map(|k| {
                ws.store()
                    .order_count(&format!("acct-{k}"))
                    .expect("a count")
            })
            .sum();
        assert_eq!(stored, total as u64, "every order arrives");

        let id = format!("S3-{:06}", 4242 + run);
        let mut changed = sims[3].handle().order(&id).expect("order");
        changed.revisions_used += 1;
        sims[3].handle().upsert_order(changed);
        let t = Instant::now();
        let round = ws.sync_once().await;
        incremental.push(ms(t));
        assert_eq!(round.changed, vec![id], "one change arrives");
        let size = std::fs::metadata(&db).map_or(0, |m| m.len());
        println!(
            "run {run}: initial {:.0} ms, incremental {:.1} ms, database {:.0} MiB",
            initial[run],
            incremental[run],
            size as f64 / (1 << 20) as f64
        );
        if run + 1 < RUNS {
            drop(ws);
            for suffix in ["", "-wal", "-shm"] {
                std::fs::remove_file(format!("{}{suffix}", db.display())).ok();
            }
        }
    }
    let ws = open(&dir.path().join(format!("scale-{}.db", RUNS - 1)), &sims);
    for sim in sims {
        sim.shutdown().await;
    }

    let (mut rows_t, mut search_t, mut miss_t) = (Vec::new(), Vec::new(), Vec::new());
    let (mut sql_t, mut active_t, mut build_t) = (Vec::new(), Vec::new(), Vec::new());
    let (mut first_t, mut page_t) = (Vec::new(), Vec::new());
    let mut open_rows = 0;
    let mut hits = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let rows = ws.order_rows().expect("rows");
        rows_t.push(ms(t));
        open_rows = rows.len();

        // The window's pages: the first screen right after an order was written (the
        // index of every active order is rebuilt), then a page in the middle (scrolling).
        let mut written = ws.store().active_orders().expect("orders").remove(0);
        written.1.seq += 1;
        ws.store()
            .upsert_orders(&written.0, std::slice::from_ref(&written.1))
            .expect("one write");
        let t = Instant::now();
        let first = ws.order_page(0, FIRST_ROWS).expect("first page");
        first_t.push(ms(t));
        let ids = |rows: &[sellerdesk_core::view::OrderRow]| -> Vec<(String, String)> {
            rows.iter()
                .map(|r| (r.account_id.clone(), r.id.clone()))
                .collect()
        };
        assert_eq!(
            ids(&first.rows),
            ids(&rows[..FIRST_ROWS]),
            "the first page must be the whole list's first rows"
        );
        assert_eq!(first.total as usize, rows.len());
        let middle = rows.len() / 2;
        let t = Instant::now();
        let page = ws.order_page(middle, PAGE).expect("a page");
        page_t.push(ms(t));
        assert_eq!(
            ids(&page.rows),
            ids(&rows[middle..middle + PAGE]),
            "a page in the middle is that slice of the whole list"
        );

        let query = OrderQuery {
            status: OrderFilter::Active,
            text: "#4242".into(),
            sort: OrderSort::Urgency,
        };
        let t = Instant::now();
        let found = ws.find_orders(&query).expect("found rows");
        search_t.push(ms(t));
        hits = found.len();
        assert!(
            hits > 0
                && found
                    .iter()
                    .all(|r| r.title.contains("#4242") || r.id.contains("4242")),
            "the search must find only orders naming #4242: {:?}",
            found.iter().map(|r| &r.title).collect::<Vec<_>>()
        );
        let t = Instant::now();
        let none = ws
            .find_orders(&OrderQuery {
                text: "no such order anywhere".into(),
                ..query
            })
            .expect("no rows");
        miss_t.push(ms(t));
        assert!(none.is_empty(), "a text nobody wrote finds nothing");

        let t = Instant::now();
        let n = sql_only(&dir.path().join(format!("scale-{}.db", RUNS - 1)));
        sql_t.push(ms(t));
        assert!(n >= open_rows, "the SQL reads every active order");

        let t = Instant::now();
        let orders = ws.store().active_orders().expect("active orders");
        active_t.push(ms(t));
        let t = Instant::now();
        let built = sellerdesk_core::view::order_rows(&orders, &|_| None, Utc::now(), &|_| {
            chrono::Duration::zero()
        });
        build_t.push(ms(t));
        assert_eq!(built.len(), open_rows, "the same rows");
    }
    println!("{open_rows} open rows; the search finds {hits}");
    let what = format!("{total} orders, {ACCOUNTS} accounts");
    figures::figure(
        &format!("{what}: initial sync (all accounts, one SQLite file)"),
        "ms",
        &initial,
        None,
    );
    figures::figure(
        &format!("{what}: incremental sync, 1 change"),
        "ms",
        &incremental,
        None,
    );
    figures::figure(
        &format!("{what}: order_rows(), {open_rows} open rows"),
        "ms",
        &rows_t,
        None,
    );
    figures::figure(
        &format!(
            "{what}: order_page(0, {FIRST_ROWS}) after an order was written (index of every active order rebuilt)"
        ),
        "ms",
        &first_t,
        None,
    );
    figures::figure(
        &format!("{what}: order_page(middle, {PAGE}), scrolling (index kept)"),
        "ms",
        &page_t,
        None,
    );
    figures::figure(
        &format!("{what}: search find_orders(active, \"#4242\"), {hits} hits"),
        "ms",
        &search_t,
        None,
    );
    figures::figure(
        &format!("{what}: search find_orders(active, a text with no hit)"),
        "ms",
        &miss_t,
        None,
    );
    figures::figure(
        &format!("{what}: active orders SQL alone (bodies read, not decoded)"),
        "ms",
        &sql_t,
        None,
    );
    figures::figure(
        &format!("{what}: active_orders() (SQL + JSON decode)"),
        "ms",
        &active_t,
        None,
    );
    figures::figure(
        &format!("{what}: rows built from decoded orders (no profile)"),
        "ms",
        &build_t,
        None,
    );
}

/// The active list's query on its own connection: reads every body, decodes none.
fn sql_only(db: &Path) -> usize {
    let conn = rusqlite::Connection::open(db).expect("the database");
    let mut plan = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT account_id, body_json FROM orders
             WHERE status NOT IN ('completed', 'canceled') ORDER BY due_at_ms, id",
        )
        .expect("a plan");
    let steps: Vec<String> = plan
        .query_map([], |r| r.get::<_, String>(3))
        .expect("plan rows")
        .map(|r| r.expect("a plan row"))
        .collect();
    println!("  plan of the active list: {}", steps.join("; "));
    let mut plan = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT account_id, body_json FROM orders
             WHERE status IN ('accepted', 'in_progress')
               AND (id LIKE '%x%' OR title LIKE '%x%' OR buyer LIKE '%x%')
             ORDER BY due_at_ms, id",
        )
        .expect("a plan");
    let steps: Vec<String> = plan
        .query_map([], |r| r.get::<_, String>(3))
        .expect("plan rows")
        .map(|r| r.expect("a plan row"))
        .collect();
    println!("  plan of a search: {}", steps.join("; "));
    let mut stmt = conn
        .prepare(
            "SELECT account_id, body_json FROM orders
             WHERE status NOT IN ('completed', 'canceled') ORDER BY due_at_ms, id",
        )
        .expect("the query");
    let mut rows = stmt.query([]).expect("rows");
    let mut n = 0;
    while let Some(row) = rows.next().expect("a row") {
        let body: String = row.get(1).expect("a body");
        n += usize::from(!body.is_empty());
    }
    n
}
