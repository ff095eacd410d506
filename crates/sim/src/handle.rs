//! In-process control of a running simulator: its clock, faults, and orders. The HTTP
//! handlers read the same shared state.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Delivery, Order, OrderAction, OrderStatus, Profile};

use crate::SimConfig;
use crate::book::OrderBook;
use crate::buyer::BuyerStep;
use crate::clock::SimClock;
use crate::demo::demo_orders;
use crate::faults::{Fault, FaultMix, FaultPlan, take_fault};
use crate::life::Life;
use crate::uploads::{UploadInfo, UploadStore};

/// A handle on one simulator's state; cheap to clone, all clones see the same state.
#[derive(Clone)]
pub struct SimHandle {
    shared: Arc<Shared>,
}

struct Shared {
    profile: Profile,
    token: String,
    clock: SimClock,
    book: Mutex<OrderBook>,
    fault: Mutex<Option<FaultPlan>>,
    /// Random faults and the generator's state.
    mix: Mutex<Option<(FaultMix, u64)>>,
    requests: AtomicU64,
    /// Outcome of every action by idempotency key, replayed when a key comes again.
    actions: Mutex<HashMap<String, Performed>>,
    /// Every delivery accepted, by order id, in the order they came.
    deliveries: Mutex<HashMap<String, Vec<Delivery>>>,
    uploads: UploadStore,
    /// What the simulator remembers per order beyond the wire (locked after `book`).
    lives: Mutex<HashMap<String, Life>>,
    /// Whether the seeded buyer acts on its own ([`SimConfig::buyer`]).
    buyer_plays: AtomicBool,
    /// The configured start: no seeded buyer step is planned before it.
    start: DateTime<Utc>,
    /// Nothing is due before this instant; `None`: play the orders at the next read.
    wake: Mutex<Option<DateTime<Utc>>>,
}

/// What one idempotency key did, kept to answer a retry identically.
#[derive(Clone)]
struct Performed {
    order_id: String,
    action: OrderAction,
    outcome: Result<Order, ActionError>,
}

/// Why an action was not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("no order {0:?}")]
    NotFound(String),
    #[error("{0}")]
    Refused(String),
    #[error("idempotency key {0:?} was already used for a different action")]
    KeyReused(String),
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("profile", &self.shared.profile.id)
            .field("now", &self.now())
            .finish_non_exhaustive()
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it: the state
/// stays usable, which is what a test server wants.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SimHandle {
    pub(crate) fn new(config: &SimConfig, profile: Profile) -> std::io::Result<SimHandle> {
        let uploads = UploadStore::new(config.upload_dir.as_deref())?;
        let mut book = OrderBook::default();
        let mut lives = HashMap::new();
        if config.demo_data {
            let seeded = demo_orders(config.start)
                .into_iter()
                .filter(|o| (config.demo_ids.as_ref()).is_none_or(|ids| ids.contains(&o.id)));
            for order in seeded {
                if order.status == OrderStatus::Disputed {
                    // The demo's dispute reaches support when the simulator starts.
                    let case = crate::disputes::case(sellerdesk_api::Party::Buyer, config.start);
                    lives.insert(
                        order.id.clone(),
                        Life {
                            dispute: Some(case),
                            ..Life::default()
                        },
                    );
                }
                book.insert_with_seq(order);
            }
        }
        Ok(SimHandle {
            shared: Arc::new(Shared {
                profile,
                token: config.token.clone(),
                clock: SimClock::new(config.start),
                book: Mutex::new(book),
                fault: Mutex::new(None),
                mix: Mutex::new(None),
                requests: AtomicU64::new(0),
                actions: Mutex::new(HashMap::new()),
                deliveries: Mutex::new(HashMap::new()),
                uploads,
                lives: Mutex::new(lives),
                buyer_plays: AtomicBool::new(config.buyer),
                start: config.start,
                wake: Mutex::new(None),
            }),
        })
    }

    /// The marketplace profile this simulator serves.
    pub fn profile(&self) -> Profile {
        self.shared.profile.clone()
    }

    pub(crate) fn token(&self) -> &str {
        &self.shared.token
    }

    /// The simulator's current time (what its `Date` headers say).
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }

    /// Moves the clock by `by` (negative moves it back) and returns the new time. The
    /// total offset from real time is clamped to ±100 years.
    pub fn advance_clock(&self, by: Duration) -> DateTime<Utc> {
        let now = self.shared.clock.advance(by);
        tracing::debug!(%now, "simulator clock advanced");
        now
    }

    /// Replaces any active fault. A plan with `count: Some(0)` clears faults.
    pub fn set_fault(&self, plan: FaultPlan) {
        tracing::debug!(?plan, "fault set");
        *lock(&self.shared.fault) = Some(plan).filter(|p| p.count != Some(0));
    }

    /// Clears the planned fault and the random mix.
    pub fn clear_faults(&self) {
        *lock(&self.shared.fault) = None;
        *lock(&self.shared.mix) = None;
    }

    /// Injects faults at random rates from now on (see [`FaultMix`]).
    pub fn set_fault_mix(&self, mix: FaultMix) {
        let state = mix.seed.max(1);
        *lock(&self.shared.mix) = Some((mix, state));
    }

    /// The fault planned for the next `/v1/` request, if any; consumes one use. An
    /// upload fault waits for an upload body (`upload_body`) and is not consumed by
    /// other requests.
    pub(crate) fn take_fault(&self, upload_body: bool) -> Option<Fault> {
        take_fault(&mut lock(&self.shared.fault), upload_body).or_else(|| {
            let mut mix = lock(&self.shared.mix);
            let (mix, state) = mix.as_mut()?;
            mix.draw(state)
                .filter(|f| upload_body || !f.needs_upload_body())
        })
    }

    /// Every order, in change (seq) order.
    pub fn orders(&self) -> Vec<Order> {
        self.expire_due();
        lock(&self.shared.book).all()
    }

    pub fn order(&self, id: &str) -> Option<Order> {
        self.expire_due();
        lock(&self.shared.book).get(id).cloned()
    }

    /// Performs a seller action once per idempotency key: a retry with the same key
    /// gets the first outcome again (the stored order or the refusal), changing nothing.
    pub fn perform(
        &self,
        order_id: &str,
        action: &OrderAction,
        key: &str,
    ) -> Result<Order, ActionError> {
        self.expire_due();
        let mut actions = lock(&self.shared.actions);
        if let Some(done) = actions.get(key) {
            if done.order_id != order_id || &done.action != action {
                return Err(ActionError::KeyReused(key.to_string()));
            }
            return done.outcome.clone();
        }
        let now = self.now();
        let mut book = lock(&self.shared.book);
        let outcome = match book.get(order_id) {
            None => Err(ActionError::NotFound(order_id.to_string())),
            Some(order) => {
                let mut lives = lock(&self.shared.lives);
                let life = lives.get(order_id).cloned().unwrap_or_default();
                let uploads = |id: &str| self.shared.uploads.info(id, now).ok();
                seller_step(order, &life, action, &self.shared.profile, now, &uploads)
                    .map(|(changed, life)| {
                        lives.insert(order_id.to_string(), life);
                        *lock(&self.shared.wake) = None;
                        book.upsert(changed, now)
                    })
                    .map_err(|refused| ActionError::Refused(refused.0))
            }
        };
        if let (Ok(_), OrderAction::Deliver(delivery)) = (&outcome, action) {
            lock(&self.shared.deliveries)
                .entry(order_id.to_string())
                .or_default()
                .push(delivery.clone());
        }
        actions.insert(
            key.to_string(),
            Performed {
                order_id: order_id.to_string(),
                action: action.clone(),
                outcome: outcome.clone(),
            },
        );
        outcome
    }

    /// How many distinct idempotency keys reached the simulator, and how many of them
    /// changed an order (each key changes at most one order, once).
    pub fn action_counts(&self) -> (usize, usize) {
        let actions = lock(&self.shared.actions);
        (
            actions.len(),
            actions.values().filter(|p| p.outcome.is_ok()).count(),
        )
    }

    /// Plays every order forward to the simulator's now (see [`crate::lifecycle`]):
    /// request expiry, auto-completion, support, and the seeded buyer if it plays.
    /// Returns how many changes were made.
    pub(crate) fn expire_due(&self) -> usize {
        let now = self.now();
        let mut book = lock(&self.shared.book);
        let mut wake = lock(&self.shared.wake);
        if wake.is_some_and(|at| now < at) {
            return 0;
        }
        let mut lives = lock(&self.shared.lives);
        let done = crate::lifecycle::catch_up(
            &mut book,
            &mut lives,
            &self.shared.profile,
            self.shared.buyer_plays.load(Ordering::Relaxed),
            self.shared.start,
            now,
        );
        *wake = Some(done.next_at.unwrap_or(DateTime::<Utc>::MAX_UTC));
        done.changes
    }

    /// Makes the buyer of `order_id` take `step` now, as a test script would ("buyer
    /// accepts D-1006 now", "buyer goes silent"). Refused like the marketplace would
    /// refuse it; a change bumps the order's seq.
    pub fn buyer(&self, order_id: &str, step: &BuyerStep) -> Result<Order, ActionError> {
        self.expire_due();
        let now = self.now();
        let mut book = lock(&self.shared.book);
        let order = book
            .get(order_id)
            .cloned()
            .ok_or_else(|| ActionError::NotFound(order_id.to_string()))?;
        let mut lives = lock(&self.shared.lives);
        let life = lives.get(order_id).cloned().unwrap_or_default();
        let (changed, life) = crate::buyer::apply(&order, &life, step, &self.shared.profile, now)
            .map_err(|refused| ActionError::Refused(refused.0))?;
        lives.insert(order_id.to_string(), life);
        *lock(&self.shared.wake) = None;
        Ok(if changed == order {
            order
        } else {
            book.upsert(changed, now)
        })
    }

    /// Lets the seeded buyer act on its own from now on, or stops it.
    pub fn set_buyer_plays(&self, plays: bool) {
        self.shared.buyer_plays.store(plays, Ordering::Relaxed);
        *lock(&self.shared.wake) = None;
    }

    /// Whether the seeded buyer acts on its own.
    pub fn buyer_plays(&self) -> bool {
        self.shared.buyer_plays.load(Ordering::Relaxed)
    }

    /// Inserts or replaces the order with `order.id`, stamping the next seq and
    /// `updated_at` = the simulator's now. Returns the order as stored.
    pub fn upsert_order(&self, order: Order) -> Order {
        let now = self.now();
        let stored = lock(&self.shared.book).upsert(order, now);
        *lock(&self.shared.wake) = None;
        stored
    }

    /// Changes an order's status as a marketplace would: becoming `delivered` stamps
    /// `delivered_at`, becoming `completed` stamps `completed_at` (and `delivered_at`
    /// if missing), any other status clears `completed_at`. None if the id is unknown.
    pub fn set_status(&self, id: &str, status: OrderStatus) -> Option<Order> {
        let now = self.now();
        let mut book = lock(&self.shared.book);
        let mut order = book.get(id)?.clone();
        apply_status(&mut order, status, now);
        *lock(&self.shared.wake) = None;
        Some(book.upsert(order, now))
    }

    /// Forgets every order. The seq counter keeps counting, so cursors stay valid.
    pub fn remove_all_orders(&self) {
        lock(&self.shared.book).clear();
    }

    /// How many requests reached a `/v1/` route (authorized or not, faulted or not).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    pub(crate) fn count_request(&self) {
        self.shared.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// The deliveries the simulator accepted for `order_id`, oldest first (a retried
    /// action with the same idempotency key is not counted twice).
    pub fn deliveries(&self, order_id: &str) -> Vec<Delivery> {
        lock(&self.shared.deliveries)
            .get(order_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Bytes received in every upload body (POST and PATCH), counting chunks that were
    /// later discarded (checksum mismatch, overflow): what clients really sent.
    pub fn upload_bytes_received(&self) -> u64 {
        self.shared.uploads.bytes_received()
    }

    /// One live upload: length, offset, metadata, expiry and the SHA-256 of its bytes.
    /// `None` if it never existed, was terminated or expired.
    pub fn upload(&self, id: &str) -> Option<UploadInfo> {
        self.shared.uploads.info(id, self.now()).ok()
    }

    /// Every live upload, by id.
    pub fn uploads(&self) -> Vec<UploadInfo> {
        self.shared.uploads.list(self.now())
    }

    /// The directory holding the uploads' bytes (`{id}.bin` each).
    pub fn upload_dir(&self) -> std::path::PathBuf {
        self.shared.uploads.dir().to_path_buf()
    }

    pub(crate) fn upload_store(&self) -> &UploadStore {
        &self.shared.uploads
    }

    /// One page of the change feed; see [`OrderBook::page`].
    pub(crate) fn page(&self, since: u64, limit: u32) -> sellerdesk_api::OrderPage {
        self.expire_due();
        lock(&self.shared.book).page(since, limit)
    }
}

/// A seller action on the order and the simulator's record of it. HostJane's Final Work
/// (a delivery after the buyer accepted) completes the order; a dispute opens a case
/// for support. Pure.
fn seller_step(
    order: &Order,
    life: &Life,
    action: &OrderAction,
    profile: &Profile,
    now: DateTime<Utc>,
    uploads: &dyn Fn(&str) -> Option<UploadInfo>,
) -> Result<(Order, Life), crate::actions::Refused> {
    if let OrderAction::Deliver(delivery) = action
        && !delivery.modified
        && let Some(done) = crate::lifecycle::final_work(order, life, now)
    {
        return Ok(done);
    }
    let changed = crate::actions::apply(order, action, profile, now, uploads)?;
    let mut life = life.clone();
    match action {
        OrderAction::OpenDispute { .. } => {
            life.dispute = Some(crate::disputes::case(sellerdesk_api::Party::Seller, now));
        }
        OrderAction::Cancel { .. } if changed.status == OrderStatus::Disputed => {
            life.dispute = Some(crate::life::DisputeCase {
                asks_cancel: true,
                ..crate::disputes::case(sellerdesk_api::Party::Seller, now)
            });
        }
        _ => {}
    }
    Ok((changed, life))
}

fn apply_status(order: &mut Order, status: OrderStatus, now: DateTime<Utc>) {
    order.status = status;
    match status {
        OrderStatus::Delivered => order.delivered_at = Some(now),
        OrderStatus::Completed => {
            order.delivered_at.get_or_insert(now);
            order.completed_at = Some(now);
        }
        _ => order.completed_at = None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handle() -> SimHandle {
        let config = SimConfig::demo(Utc::now());
        let profile = crate::profile("fiverr").unwrap();
        SimHandle::new(&config, profile).expect("a temp upload dir")
    }

    #[test]
    fn set_status_stamps_timestamps_like_a_marketplace() {
        let cases = [
            (OrderStatus::Delivered, true, false),
            (OrderStatus::Completed, true, true),
            (OrderStatus::InProgress, false, false),
        ];
        for (status, delivered, completed) in cases {
            let sim = handle();
            let order = sim.set_status("D-1004", status).expect("D-1004 exists");
            assert_eq!(order.status, status);
            assert_eq!(
                order.delivered_at.is_some(),
                delivered,
                "delivered_at after {status:?}"
            );
            assert_eq!(
                order.completed_at.is_some(),
                completed,
                "completed_at after {status:?}"
            );
            assert_eq!(
                order.seq, 31,
                "a change takes the next seq after the 30 demo orders"
            );
        }
    }

    #[test]
    fn unknown_ids_are_reported_not_invented() {
        let sim = handle();
        assert!(sim.set_status("nope", OrderStatus::Canceled).is_none());
        assert_eq!(
            sim.orders().len(),
            30,
            "no order may be created by set_status"
        );
    }

    #[test]
    fn a_zero_count_fault_is_no_fault() {
        let sim = handle();
        sim.set_fault(FaultPlan {
            fault: Fault::ServerError,
            count: Some(0),
        });
        assert_eq!(
            sim.take_fault(false),
            None,
            "count 0 means apply to no request"
        );
    }

    #[test]
    fn removing_orders_keeps_the_seq_counter() {
        let sim = handle();
        sim.remove_all_orders();
        assert!(sim.orders().is_empty());
        let mut order = demo_orders(Utc::now()).remove(0);
        order.seq = 0;
        let stored = sim.upsert_order(order);
        assert_eq!(stored.seq, 31, "seq must keep increasing after removals");
    }
}
