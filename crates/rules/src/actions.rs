//! Which actions the seller may take on an order now. Every action is listed, either
//! allowed or blocked with a reason the seller can read, never both, so the order view
//! can hide or disable what the rules forbid and say why.
//!
//! The actions are the seller's: this is the seller's desk. A pending request that has
//! already reached its expiry at `now` is treated as expired (the server may not have
//! said so yet); if its expiry cancels the order, every action is blocked.

use chrono::{DateTime, Utc};
use sellerdesk_api::{Order, OrderRequest, OrderStatus, Party, Profile, RequestKind, Review};
use serde::{Deserialize, Serialize};

use crate::error::Refusal;
use crate::requests::{can_open, can_respond, resolve_expired};
use crate::review::{can_deliver_modified, can_reply_to_review, can_seller_cancel};
use crate::status::{Event, transition};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Accept,
    Decline,
    Deliver,
    DeliverModified,
    OpenRequest(RequestKind),
    RespondToRequest,
    ReplyToReview,
    Cancel,
    /// HostJane's "Request more time button to extend delivery".
    RequestMoreTime,
    /// Asking the marketplace's support to step in (each seed names it its own way,
    /// see [`crate::disputes::dispute_route`]).
    OpenDispute,
}

impl Action {
    /// Every action, in the order the order view lists them.
    pub const ALL: [Action; 13] = [
        Action::Accept,
        Action::Decline,
        Action::Deliver,
        Action::DeliverModified,
        Action::RequestMoreTime,
        Action::OpenRequest(RequestKind::AdditionalWork),
        Action::OpenRequest(RequestKind::ChangeOrderTime),
        Action::OpenRequest(RequestKind::ProgressUpdate),
        Action::OpenRequest(RequestKind::Cancel),
        Action::RespondToRequest,
        Action::ReplyToReview,
        Action::Cancel,
        Action::OpenDispute,
    ];
}

/// One action and whether the rules allow it now; `reason` is set exactly when it is
/// blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRule {
    pub action: Action,
    pub allowed: bool,
    pub reason: Option<String>,
}

impl ActionRule {
    fn new(action: Action, check: Result<(), Refusal>) -> ActionRule {
        match check {
            Ok(()) => ActionRule {
                action,
                allowed: true,
                reason: None,
            },
            Err(refusal) => ActionRule {
                action,
                allowed: false,
                reason: Some(refusal.to_string()),
            },
        }
    }
}

/// Every action of [`Action::ALL`], in that order, allowed or blocked with its reason.
///
/// `requests` are the order's requests (any state); `review` is the buyer's review, if
/// any. "A pending delivery" (crackerjack) is a delivery awaiting the buyer's answer:
/// the order is delivered.
pub fn allowed_actions(
    order: &Order,
    profile: &Profile,
    requests: &[OrderRequest],
    review: Option<&Review>,
    now: DateTime<Utc>,
) -> Vec<ActionRule> {
    let effects: Vec<_> = requests
        .iter()
        .map(|r| resolve_expired(order, r, profile, now))
        .collect();
    let canceled_by_expiry = effects
        .iter()
        .flatten()
        .find(|e| e.order_status.is_some())
        .map(|e| Refusal::CanceledByExpiry {
            id: e.request_id.clone(),
            expired_at: e.expired_at,
        });
    let live: Vec<OrderRequest> = requests
        .iter()
        .zip(&effects)
        .filter(|(_, effect)| effect.is_none())
        .map(|(r, _)| r.clone())
        .collect();
    let situation = Situation {
        order,
        profile,
        live: &live,
        review,
        now,
    };
    Action::ALL
        .into_iter()
        .map(|action| {
            let check = match &canceled_by_expiry {
                Some(refusal) => Err(refusal.clone()),
                None => situation.check(action),
            };
            ActionRule::new(action, check)
        })
        .collect()
}

/// The inputs every check reads, with lapsed requests already set aside.
struct Situation<'a> {
    order: &'a Order,
    profile: &'a Profile,
    live: &'a [OrderRequest],
    review: Option<&'a Review>,
    now: DateTime<Utc>,
}

impl Situation<'_> {
    fn check(&self, action: Action) -> Result<(), Refusal> {
        let order = self.order;
        let pending_delivery = order.status == OrderStatus::Delivered;
        let edge = |event| {
            transition(order.status, event)
                .map(drop)
                .map_err(Refusal::Transition)
        };
        match action {
            Action::Accept => edge(Event::Accept),
            Action::Decline => edge(Event::Decline),
            Action::Deliver => edge(Event::Deliver),
            Action::DeliverModified => can_deliver_modified(order, self.profile),
            Action::OpenRequest(kind) => {
                can_open(order, self.live, pending_delivery, kind, Party::Seller)
            }
            Action::RequestMoreTime => can_open(
                order,
                self.live,
                pending_delivery,
                RequestKind::ChangeOrderTime,
                Party::Seller,
            ),
            Action::RespondToRequest => self
                .live
                .iter()
                .find(|r| can_respond(r, Party::Seller, self.profile, self.now).is_ok())
                .map(drop)
                .ok_or(Refusal::NoBuyerRequest),
            Action::ReplyToReview => can_reply_to_review(self.review),
            Action::Cancel => can_seller_cancel(order, self.profile, self.now),
            Action::OpenDispute => crate::disputes::can_open_dispute(order),
        }
    }
}

#[cfg(test)]
mod tests;
