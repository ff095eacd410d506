//! Soak: the app's background sync loop runs against the simulator with faults on (500s,
//! connection drops mid-body, 429 bursts) and the marketplace's clock moving 7 minutes per
//! step, while the seller keeps accepting and declining new orders and the marketplace
//! keeps changing others. Afterwards no action was lost or applied twice, the app's state
//! equals the marketplace's, and memory stayed flat.
//!
//! The test suite runs it for `SOAK_SECS` (default 60 s); the 30-minute run is
//! `SOAK_SECS=1800 cargo test --release -p sellerdesk-core --test soak -- --nocapture`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use sellerdesk_api::{OrderAction, OrderStatus};
use sellerdesk_core::store::{Account, OutboxState, Store};
use sellerdesk_core::sync::{SyncState, SyncStatus};
use sellerdesk_core::sync_loop::spawn_sync_loop;
use sellerdesk_core::{EventSink, Workspace, system_clock};
use sellerdesk_sim::{Fault, FaultMix, SimConfig};

/// Orders recycled as new ones once answered, so the data set stays the same size.
const SLOTS: usize = 40;

#[derive(Default)]
struct Counting {
    changed: AtomicUsize,
    statuses: AtomicUsize,
    failed_rounds: AtomicUsize,
}

impl EventSink for Counting {
    fn changes(&self, batch: &sellerdesk_core::desk::ChangeBatch) {
        let orders = batch
            .changes
            .iter()
            .filter(|c| c.what == sellerdesk_core::desk::ChangeKind::Order)
            .count();
        self.changed.fetch_add(orders, Ordering::Relaxed);
    }
    fn sync_status(&self, status: &SyncStatus) {
        self.statuses.fetch_add(1, Ordering::Relaxed);
        if matches!(status.state, SyncState::Failed | SyncState::Offline) {
            self.failed_rounds.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Resident memory of this process (the app's core and the simulator), in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sync_loop_survives_faults_and_a_moving_clock_without_losing_an_action() {
    let secs: u64 = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let template = sellerdesk_sim::demo_orders(sim.handle().now())
        .into_iter()
        .find(|o| o.status == OrderStatus::AwaitingAcceptance)
        .unwrap();
    let fresh = |slot: usize, generation: usize| {
        let mut order = template.clone();
        order.id = format!("S-{slot:02}");
        order.title = format!("Soak order {slot} #{generation}");
        order.created_at = sim.handle().now();
        order.due_at = sim.handle().now() + chrono::Duration::days(3);
        order
    };
    for slot in 0..SLOTS {
        sim.handle().upsert_order(fresh(slot, 0));
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = Arc::new(
        Workspace::with_store(
            Store::open(&dir.path().join("soak.db")).unwrap(),
            vec![(
                Account::new("acct", "Soak", &sim.base_url()),
                sim.token().to_string(),
            )],
            false,
            system_clock(),
        )
        .unwrap(),
    );
    let sink = Arc::new(Counting::default());
    let sync = spawn_sync_loop(ws.clone(), sink.clone(), Duration::from_millis(100));
    sim.handle().set_fault_mix(FaultMix {
        rates: vec![
            (Fault::ServerError, 100),
            (Fault::DropConnection, 50),
            (
                Fault::RateLimited {
                    retry_after_secs: 1,
                },
                50,
            ),
        ],
        seed: 7,
    });

    let started = Instant::now();
    let mut generation = vec![0usize; SLOTS];
    let mut sent: HashMap<String, usize> = HashMap::new(); // order id → actions sent
    let mut enqueued = 0usize;
    let mut samples: Vec<(u64, u64)> = Vec::new(); // (seconds, RSS KiB)
    let mut step = 0usize;
    while started.elapsed() < Duration::from_secs(secs) {
        step += 1;
        sim.handle().advance_clock(chrono::Duration::minutes(7));
        // The marketplace changes an order the seller does not touch.
        if let Some(mut other) = sim.handle().order("D-1001") {
            other.revisions_used = (other.revisions_used + 1) % 3;
            sim.handle().upsert_order(other);
        }
        for (slot, generation) in generation.iter_mut().enumerate() {
            let id = format!("S-{slot:02}");
            let open = ws.store().open_actions_of("acct", &id).unwrap();
            if open.iter().any(|a| a.state == OutboxState::Pending) {
                continue;
            }
            let Some(local) = ws.store().order("acct", &id).unwrap() else {
                continue;
            };
            let server = sim.handle().order(&id).unwrap();
            if local.status == OrderStatus::AwaitingAcceptance
                && server.status == OrderStatus::AwaitingAcceptance
                && local.seq == server.seq
            {
                let action = if (step + slot).is_multiple_of(3) {
                    OrderAction::Decline
                } else {
                    OrderAction::Accept
                };
                ws.enqueue_action("acct", &id, &action).unwrap();
                *sent.entry(id).or_default() += 1;
                enqueued += 1;
                sync.sync_now();
            } else if server.status != OrderStatus::AwaitingAcceptance
                && local.status == server.status
            {
                // Answered and synced: the slot becomes a new order.
                *generation += 1;
                sim.handle().upsert_order(fresh(slot, *generation));
            }
        }
        // The seller presses "Sync now" now and then rather than wait out a long backoff.
        if step.is_multiple_of(10) {
            sync.sync_now();
        }
        let elapsed = started.elapsed().as_secs();
        if samples.last().is_none_or(|(s, _)| elapsed >= s + 5) {
            samples.push((elapsed, rss_kib()));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Calm the marketplace and let the outbox drain.
    sim.handle().clear_faults();
    let drain = Instant::now();
    while !ws.store().pending_actions("acct").unwrap().is_empty() {
        assert!(
            drain.elapsed() < Duration::from_secs(60),
            "the outbox must drain once the faults stop"
        );
        sync.sync_now();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sync.stop();
    assert!(ws.sync_once().await.error.is_none(), "a clean final round");

    let (keys, applied) = sim.handle().action_counts();
    let refused: usize = (0..SLOTS)
        .map(|slot| {
            ws.store()
                .open_actions_of("acct", &format!("S-{slot:02}"))
                .unwrap()
                .iter()
                .filter(|a| a.state == OutboxState::Failed)
                .count()
        })
        .sum();
    assert!(
        enqueued > SLOTS,
        "the seller kept acting ({enqueued} actions)"
    );
    let failed_rounds = sink.failed_rounds.load(Ordering::Relaxed);
    assert!(
        failed_rounds > 3,
        "the faults really hit the sync ({failed_rounds} failed rounds)"
    );
    assert_eq!(
        keys, enqueued,
        "every action reached the marketplace, each under one key"
    );
    assert_eq!(
        applied + refused,
        enqueued,
        "each action was applied once or refused with a reason: none lost, none doubled"
    );
    for order in sim.handle().orders() {
        let local = ws.store().order("acct", &order.id).unwrap().unwrap();
        assert_eq!(local, order, "{} differs after the soak", order.id);
    }

    // Memory: after warm-up, resident memory grows by less than 32 MiB.
    let warm = samples
        .iter()
        .find(|(s, _)| *s >= secs / 5)
        .or(samples.first())
        .unwrap()
        .1;
    let peak = samples.iter().map(|(_, r)| *r).max().unwrap();
    println!(
        "soak {secs} s: {step} steps, {enqueued} actions ({applied} applied, {refused} refused), \
         {failed_rounds} failed rounds, {} rows changed, {} status events; RSS warm {} MiB, peak {} MiB, samples {:?}",
        sink.changed.load(Ordering::Relaxed),
        sink.statuses.load(Ordering::Relaxed),
        warm / 1024,
        peak / 1024,
        samples
            .iter()
            .map(|(s, r)| format!("{s}s:{}M", r / 1024))
            .collect::<Vec<_>>()
    );
    assert!(
        peak < warm + 32 * 1024,
        "memory must stay flat: {warm} KiB after warm-up, peak {peak} KiB"
    );
    sim.shutdown().await;
}
