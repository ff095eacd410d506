//! The marketplace's clock at work on every order, in time order: requests expire,
//! unanswered deliveries complete on their own, HostJane's Final Work deadline passes,
//! support answers disputes, and (when enabled) the seeded buyer acts. Each order is
//! played forward event by event with each event's own timestamp, so advancing the
//! clock 30 days at once gives the same story as living through them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sellerdesk_api::{Order, OrderStatus, Party, Profile};
use sellerdesk_rules::buyer::final_work_due_at;
use sellerdesk_rules::{Event, expires_at, review_ends_at, transition};

use crate::book::OrderBook;
use crate::buyer::{self, BuyerStep};
use crate::life::{Life, post};

/// Something due on an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Due {
    /// A pending request reached its expiry (crackerjack's 48 hours).
    Expiry,
    /// Fiverr: "If your client doesn't accept or reject your order within three days of
    /// the delivery's due date, it will be automatically marked as completed."; HostJane:
    /// "If the Buyer fails to respond in time, the order will be closed as complete";
    /// IZEA's seven days. The window includes the buyer's added review time.
    AutoComplete,
    /// HostJane: "please send the Buyer their Final Work within 24 hours." assumed: when
    /// the 24 hours pass without it, the order is closed as complete all the same (the
    /// buyer already released the funds).
    FinalWorkLapsed,
    /// Support joins or settles a dispute ([`crate::disputes`]).
    Support,
    /// The seeded buyer acts ([`crate::buyer`]).
    Buyer(BuyerStep),
}

/// The earliest thing that will be due on `order`, and when.
pub(crate) fn next_due(
    order: &Order,
    life: &Life,
    profile: &Profile,
    buyer_plays: bool,
    floor: DateTime<Utc>,
) -> Option<(DateTime<Utc>, Due)> {
    let mut candidates: Vec<(DateTime<Utc>, Due)> = Vec::new();
    if let Some(at) = order
        .requests
        .iter()
        .filter(|r| r.state == sellerdesk_api::RequestState::Pending)
        .map(|r| expires_at(r, profile))
        .min()
    {
        candidates.push((at, Due::Expiry));
    }
    if order.status == OrderStatus::Delivered {
        match life.accepted_at {
            Some(accepted) => {
                if let Some(at) = final_work_due_at(accepted, profile) {
                    candidates.push((at, Due::FinalWorkLapsed));
                }
            }
            None => {
                if let Some(at) = review_ends_at(order, profile) {
                    candidates.push((at, Due::AutoComplete));
                }
            }
        }
    }
    if let Some(at) = crate::disputes::next_at(order, life) {
        candidates.push((at, Due::Support));
    }
    if buyer_plays && let Some((at, step)) = buyer::next(order, life, profile, floor) {
        candidates.push((at, Due::Buyer(step)));
    }
    // Ties: the marketplace's own clock first (expiry, completion), then people.
    candidates
        .into_iter()
        .min_by_key(|(at, due)| (*at, rank(due)))
}

fn rank(due: &Due) -> u8 {
    match due {
        Due::Expiry => 0,
        Due::AutoComplete | Due::FinalWorkLapsed => 1,
        Due::Support => 2,
        Due::Buyer(_) => 3,
    }
}

/// The order and record after `due` happened at `at`. Pure. `None` if it no longer
/// applies (then nothing changes).
pub(crate) fn apply_due(
    order: &Order,
    life: &Life,
    due: &Due,
    profile: &Profile,
    at: DateTime<Utc>,
) -> Option<(Order, Life)> {
    match due {
        Due::Expiry => crate::expiry::expire_order(order.clone(), profile, at)
            .map(|changed| (changed, life.clone())),
        Due::AutoComplete | Due::FinalWorkLapsed => {
            let mut changed = order.clone();
            changed.status = transition(order.status, Event::AutoComplete).ok()?;
            changed.completed_at = Some(at);
            let text = if *due == Due::AutoComplete {
                "The review period ended without an answer: the order was completed automatically."
            } else {
                "Order update: the 24 hours for the Final Work have passed; the order is closed as complete."
            };
            post(&mut changed, Party::Support, text, at);
            let mut life = life.clone();
            life.accepted_at = None;
            Some((changed, life))
        }
        Due::Support => crate::disputes::step(order, life, profile, at),
        Due::Buyer(step) => buyer::apply(order, life, step, profile, at).ok(),
    }
}

/// What [`catch_up`] did: how many changes it made, and the earliest instant anything
/// is due next (nothing needs playing before it unless an order changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CaughtUp {
    pub changes: usize,
    pub next_at: Option<DateTime<Utc>>,
}

/// Plays every order forward to `now`; each change is a new entry in the change feed,
/// stamped with its own instant.
pub(crate) fn catch_up(
    book: &mut OrderBook,
    lives: &mut HashMap<String, Life>,
    profile: &Profile,
    buyer_plays: bool,
    floor: DateTime<Utc>,
    now: DateTime<Utc>,
) -> CaughtUp {
    let mut changes = 0;
    let mut next_at: Option<DateTime<Utc>> = None;
    let empty = Life::default();
    let mut due_now = Vec::new();
    for order in book.iter() {
        let life = lives.get(&order.id).unwrap_or(&empty);
        match next_due(order, life, profile, buyer_plays, floor) {
            Some((at, _)) if at <= now => due_now.push(order.id.clone()),
            Some((at, _)) => next_at = Some(next_at.map_or(at, |n| n.min(at))),
            None => {}
        }
    }
    for id in due_now {
        let Some(mut order) = book.get(&id).cloned() else {
            continue;
        };
        let mut life = lives.get(&id).cloned().unwrap_or_default();
        // Each event changes the order or the record; the bound keeps a rule bug from
        // hanging the server.
        for _ in 0..1000 {
            let Some((at, due)) = next_due(&order, &life, profile, buyer_plays, floor) else {
                break;
            };
            if at > now {
                next_at = Some(next_at.map_or(at, |n| n.min(at)));
                break;
            }
            let Some((changed, new_life)) = apply_due(&order, &life, &due, profile, at) else {
                tracing::warn!(order = %order.id, ?due, "a due event no longer applies");
                break;
            };
            if changed != order {
                order = book.upsert(changed, at);
                changes += 1;
            }
            life = new_life;
        }
        lives.insert(id, life);
    }
    CaughtUp { changes, next_at }
}

/// HostJane's Final Work: the seller's delivery after the buyer accepted completes the
/// order, confirmed by an order update ("An order update will appear to confirm you have
/// successfully delivered the Final Work. The Order will then be marked as complete").
/// The clearance counts from `completed_at`, i.e. from now.
pub(crate) fn final_work(order: &Order, life: &Life, at: DateTime<Utc>) -> Option<(Order, Life)> {
    life.accepted_at?;
    if order.status != OrderStatus::Delivered {
        return None;
    }
    let mut changed = order.clone();
    changed.status = OrderStatus::Completed;
    changed.completed_at = Some(at);
    post(
        &mut changed,
        Party::Support,
        "Order update: the Final Work was delivered. The order is complete.",
        at,
    );
    let mut life = life.clone();
    life.accepted_at = None;
    Some((changed, life))
}
