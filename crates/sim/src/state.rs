//! The simulator's memory: orders with their change sequence, the active fault plan,
//! and the handle tests and the app use to control it in-process.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, OrderStatus, Profile};
use serde::{Deserialize, Serialize};

use crate::clock::SimClock;

/// A misbehaviour the simulator can inject into `/v1/` responses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// 500 with a problem+json body.
    ServerError,
    /// 200, `application/json`, but the body is not JSON.
    Garbage,
    /// Headers and part of the body, then the connection is cut.
    DropConnection,
    /// 429 with `Retry-After`.
    RateLimited { retry_after_secs: u32 },
    /// The normal answer, after a delay.
    Latency { millis: u64 },
}

/// A fault and how many `/v1/` requests it applies to (`None`: until cleared).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultPlan {
    pub fault: Fault,
    #[serde(default)]
    pub count: Option<u32>,
}

pub(crate) struct SimState {
    pub orders: BTreeMap<String, Order>,
    pub next_seq: u64,
}

pub(crate) struct Shared {
    pub clock: SimClock,
    pub profile: Profile,
    pub token: String,
    pub state: Mutex<SimState>,
    pub faults: Mutex<Option<FaultPlan>>,
    pub requests: AtomicU64,
}

impl Shared {
    pub fn state(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes one use of the active fault, if any.
    pub fn take_fault(&self) -> Option<Fault> {
        let mut plan = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        let fault = plan.as_ref()?.fault.clone();
        if let Some(FaultPlan { count: Some(n), .. }) = plan.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                *plan = None;
            }
        }
        Some(fault)
    }

    /// Stores `order` as its newest version: next seq, updated now.
    pub fn put_order(&self, mut order: Order) -> Order {
        let now = self.clock.now();
        let mut state = self.state();
        order.seq = state.next_seq;
        order.updated_at = now;
        state.next_seq += 1;
        state.orders.insert(order.id.clone(), order.clone());
        order
    }
}

/// Controls a running simulator in-process (tests, the app's demo mode).
#[derive(Clone)]
pub struct SimHandle(pub(crate) Arc<Shared>);

impl SimHandle {
    pub fn now(&self) -> DateTime<Utc> {
        self.0.clock.now()
    }

    /// Moves the simulator's clock forward (or back, with a negative duration).
    pub fn advance_clock(&self, by: Duration) -> DateTime<Utc> {
        self.0.clock.advance(by)
    }

    pub fn set_fault(&self, plan: FaultPlan) {
        *self.0.faults.lock().unwrap_or_else(|p| p.into_inner()) = Some(plan);
    }

    pub fn clear_faults(&self) {
        *self.0.faults.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    pub fn profile(&self) -> Profile {
        self.0.profile.clone()
    }

    /// Every order, by id.
    pub fn orders(&self) -> Vec<Order> {
        self.0.state().orders.values().cloned().collect()
    }

    pub fn order(&self, id: &str) -> Option<Order> {
        self.0.state().orders.get(id).cloned()
    }

    /// Inserts or replaces an order as a new change (next seq, updated now).
    pub fn upsert_order(&self, order: Order) -> Order {
        self.0.put_order(order)
    }

    /// Changes an order's status as a new change; None if the order does not exist.
    pub fn set_status(&self, id: &str, status: OrderStatus) -> Option<Order> {
        let mut order = self.order(id)?;
        order.status = status;
        Some(self.0.put_order(order))
    }

    pub fn remove_all_orders(&self) {
        self.0.state().orders.clear();
    }

    /// Requests served under `/v1/` so far.
    pub fn request_count(&self) -> u64 {
        self.0.requests.load(Ordering::Relaxed)
    }
}
