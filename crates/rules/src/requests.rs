//! Order requests, from crackerjack's "Order Requests" page: who may open which kind,
//! when one may be opened, when it expires and what an unanswered one does to the order.
//! Fiverr's delivery-time extension, PodcasterPros' "ask the buyer to extend the delivery
//! time" and HostJane's "Request more time" are a seller's change of order time here.
//!
//! assumed: these rules apply on every marketplace (each profile carries its own expiry,
//! 48 h where a seed is silent), since the other seeds describe the same negotiation
//! without its rules.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Extra, Order, OrderStatus, Profile, RequestForm};
use serde::{Deserialize, Serialize};

use crate::error::{Refusal, RuleError};
use crate::status::{Event, is_terminal, transition};

pub use sellerdesk_api::{OrderRequest, Party, RequestKind, RequestState};

pub const REQUEST_KINDS: [RequestKind; 5] = [
    RequestKind::AdditionalWork,
    RequestKind::ChangeOrderTime,
    RequestKind::ProgressUpdate,
    RequestKind::Cancel,
    RequestKind::ContractUpdate,
];

/// crackerjack: "An order request can be opened for orders in the following status:
/// Accepted, In Progress, Revision Requested".
pub const OPEN_IN: [OrderStatus; 3] = [
    OrderStatus::Accepted,
    OrderStatus::InProgress,
    OrderStatus::RevisionRequested,
];

/// crackerjack: "Additional work request (option available only for Pro account)";
/// "Provide a progress update (option available only for Customer account)"; the change
/// of order time and cancel requests are open to both. IZEA's Contract Update is the
/// seller's ("If you need to update your current contract with a buyer"). The
/// marketplace's support opens no request.
pub fn may_open(kind: RequestKind, by: Party) -> bool {
    if by == Party::Support {
        return false;
    }
    match kind {
        RequestKind::AdditionalWork | RequestKind::ContractUpdate => by == Party::Seller,
        RequestKind::ProgressUpdate => by == Party::Buyer,
        RequestKind::ChangeOrderTime | RequestKind::Cancel => true,
    }
}

/// Whether `by` may open a request of `kind` on `order` now.
///
/// crackerjack: "An order request cannot be opened if: There is a pending delivery.
/// There is a pending order request." A request counts as pending while its state is
/// `Pending`; apply [`resolve_expired`] first so that a lapsed one no longer blocks.
pub fn can_open(
    order: &Order,
    open_requests: &[OrderRequest],
    pending_delivery: bool,
    kind: RequestKind,
    by: Party,
) -> Result<(), Refusal> {
    if !OPEN_IN.contains(&order.status) {
        return Err(Refusal::RequestNotOpenInStatus {
            status: order.status,
        });
    }
    if !may_open(kind, by) {
        return Err(Refusal::PartyMayNotOpen { kind, by });
    }
    if pending_delivery {
        return Err(Refusal::PendingDelivery);
    }
    if let Some(pending) = open_requests
        .iter()
        .find(|r| r.state == RequestState::Pending)
    {
        return Err(Refusal::PendingRequest {
            id: pending.id.clone(),
            kind: pending.kind,
        });
    }
    Ok(())
}

/// What the opener fills in. crackerjack: "each type of request has its own form fields".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRequest {
    pub id: String,
    pub kind: RequestKind,
    pub opened_by: Party,
    pub opened_at: DateTime<Utc>,
    pub message: String,
    /// Required for a change of order time.
    pub proposed_due_at: Option<DateTime<Utc>>,
    /// Required, and positive, for additional work.
    pub price_minor: Option<i64>,
    /// A change of start date; a contract update's revisions and price change.
    pub form: RequestForm,
}

/// A new pending request, with its expiry set from the profile, or the reason it cannot
/// be opened. Each kind's form is checked by [`check_form`].
pub fn open(
    order: &Order,
    open_requests: &[OrderRequest],
    pending_delivery: bool,
    new: NewRequest,
    profile: &Profile,
) -> Result<OrderRequest, Refusal> {
    can_open(
        order,
        open_requests,
        pending_delivery,
        new.kind,
        new.opened_by,
    )?;
    check_form(order, &new, profile)?;
    Ok(OrderRequest {
        expires_at: sellerdesk_api::limits::add(new.opened_at, expiry(profile))
            .ok_or(Refusal::DateOutOfRange)?,
        id: new.id,
        kind: new.kind,
        opened_by: new.opened_by,
        opened_at: new.opened_at,
        state: RequestState::Pending,
        message: new.message,
        proposed_due_at: new.proposed_due_at,
        price_minor: new.price_minor,
        resolved_at: None,
        form: new.form,
    })
}

/// crackerjack: "each type of request has its own form fields, so pay attention to
/// ensure you fill out the request form correctly."
///
/// - change of order time: "You want to change the order's start and/or end date": a new
///   due date, a new start, or both (the start before the due date);
/// - additional work: a positive price (assumed: the seed names no fields);
/// - contract update (IZEA only): "You can edit the time left to complete the order,
///   amount of revisions and the price of the listing … You can choose to edit as many
///   of the fields as needed": at least one of a due date, a number of revisions and a
///   price change (up or down, leaving a positive price);
/// - progress update and cancel: a message only.
pub fn check_form(order: &Order, new: &NewRequest, profile: &Profile) -> Result<(), Refusal> {
    let kind = new.kind;
    let stray = |field| Err(Refusal::FieldNotInForm { kind, field });
    let form = &new.form;
    let takes_due = matches!(
        kind,
        RequestKind::ChangeOrderTime | RequestKind::ContractUpdate
    );
    if new.proposed_due_at.is_some() && !takes_due {
        return stray("proposed_due_at");
    }
    if new.price_minor.is_some() && kind != RequestKind::AdditionalWork {
        return stray("price_minor");
    }
    if form.proposed_start_at.is_some() && kind != RequestKind::ChangeOrderTime {
        return stray("proposed_start_at");
    }
    if kind != RequestKind::ContractUpdate {
        if form.revisions_included.is_some() {
            return stray("revisions_included");
        }
        if form.price_change_minor.is_some() {
            return stray("price_change_minor");
        }
    }
    match kind {
        RequestKind::ChangeOrderTime => {
            if new.proposed_due_at.is_none() && form.proposed_start_at.is_none() {
                return Err(Refusal::MissingDueDate);
            }
            let due_at = new.proposed_due_at.unwrap_or(order.due_at);
            if let Some(start_at) = form.proposed_start_at.filter(|s| *s >= due_at) {
                return Err(Refusal::StartAfterDue { start_at, due_at });
            }
        }
        RequestKind::AdditionalWork if new.price_minor.is_none_or(|p| p <= 0) => {
            return Err(Refusal::MissingPrice);
        }
        RequestKind::ContractUpdate => {
            if !crate::marketplace::has_contract_updates(profile) {
                return Err(Refusal::NotOnMarketplace {
                    kind,
                    marketplace: profile.name.clone(),
                });
            }
            let change = form.price_change_minor.filter(|c| *c != 0);
            if new.proposed_due_at.is_none()
                && form.revisions_included.is_none()
                && change.is_none()
            {
                return Err(Refusal::NothingToUpdate);
            }
            if let Some(change) = change {
                let price_minor = order.base_price_minor.saturating_add(change);
                if price_minor <= 0 {
                    return Err(Refusal::PriceNotPositive { price_minor });
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The seller asks for more time: HostJane's "Request more time button to extend
/// delivery", Fiverr's delivery-time extension, PodcasterPros' "ask the buyer to extend
/// the delivery time". A change of order time whose new due date must be later.
pub fn request_more_time(
    order: &Order,
    open_requests: &[OrderRequest],
    pending_delivery: bool,
    id: String,
    new_due_at: DateTime<Utc>,
    opened_at: DateTime<Utc>,
    profile: &Profile,
) -> Result<OrderRequest, Refusal> {
    let kind = RequestKind::ChangeOrderTime;
    can_open(order, open_requests, pending_delivery, kind, Party::Seller)?;
    if new_due_at <= order.due_at {
        return Err(Refusal::NotAnExtension {
            due_at: order.due_at,
        });
    }
    let new = NewRequest {
        id,
        kind,
        opened_by: Party::Seller,
        opened_at,
        message: String::new(),
        proposed_due_at: Some(new_due_at),
        price_minor: None,
        form: RequestForm::default(),
    };
    open(order, open_requests, pending_delivery, new, profile)
}

fn expiry(profile: &Profile) -> Duration {
    sellerdesk_api::limits::hours(profile.request_expiry_hours)
}

/// crackerjack: "If the second party does not respond within 48 hours from the moment the
/// request was opened": opened_at plus the profile's expiry. The request is expired from
/// that instant on.
/// Saturates at chrono's last instant instead of overflowing (never for a validated
/// order and profile).
pub fn expires_at(request: &OrderRequest, profile: &Profile) -> DateTime<Utc> {
    sellerdesk_api::limits::add(request.opened_at, expiry(profile))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Time left to answer, never negative.
pub fn time_left(request: &OrderRequest, profile: &Profile, now: DateTime<Utc>) -> Duration {
    (expires_at(request, profile) - now).max(Duration::zero())
}

/// What an unanswered request does when it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryOutcome {
    /// "the request will be automatically canceled, and no changes will be made to the order"
    RequestCanceled,
    /// "the order will be canceled, and the funds will be returned to the customer"
    OrderCanceledFundsReturned,
}

/// crackerjack: "For Change Order Time and Additional work requests: … the request will be
/// automatically canceled, and no changes will be made to the order. For Cancel and
/// Provide a Progress requests: … the order will be canceled, and the funds will be
/// returned to the customer."
/// assumed: an unanswered contract update changes nothing, like a change of order time.
pub fn expiry_outcome(kind: RequestKind) -> ExpiryOutcome {
    match kind {
        RequestKind::ChangeOrderTime
        | RequestKind::AdditionalWork
        | RequestKind::ContractUpdate => ExpiryOutcome::RequestCanceled,
        RequestKind::Cancel | RequestKind::ProgressUpdate => {
            ExpiryOutcome::OrderCanceledFundsReturned
        }
    }
}

/// What to apply when a pending request has gone unanswered past its expiry. The request
/// becomes `Expired`; the order may be canceled and refunded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiryEffect {
    pub request_id: String,
    pub expired_at: DateTime<Utc>,
    pub outcome: ExpiryOutcome,
    /// The order's new status, when it changes (canceled).
    pub order_status: Option<OrderStatus>,
    /// Returned to the buyer: the order's gross, when the order is canceled.
    pub refund_minor: Option<i64>,
}

/// `Some` once a still-pending request has reached its expiry at `now`, else `None`.
/// An order that is already completed or canceled keeps its status.
pub fn resolve_expired(
    order: &Order,
    request: &OrderRequest,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Option<ExpiryEffect> {
    let expired_at = expires_at(request, profile);
    if request.state != RequestState::Pending || now < expired_at {
        return None;
    }
    let outcome = expiry_outcome(request.kind);
    let order_status = match outcome {
        ExpiryOutcome::RequestCanceled => None,
        ExpiryOutcome::OrderCanceledFundsReturned => transition(order.status, Event::Cancel).ok(),
    };
    let refund_minor = order_status.map(|_| paid_minor(order));
    Some(ExpiryEffect {
        request_id: request.id.clone(),
        expired_at,
        outcome,
        order_status,
        refund_minor,
    })
}

/// What the buyer paid, saturating rather than overflowing on absurd amounts.
fn paid_minor(order: &Order) -> i64 {
    order.extras.iter().fold(order.base_price_minor, |sum, e| {
        sum.saturating_add(e.price_minor)
    })
}

/// Whether `by` may answer `request` now: only the other party, only while it is pending
/// and before it expires. crackerjack: "If the other party has sent you a request,
/// respond as soon as possible."
pub fn can_respond(
    request: &OrderRequest,
    by: Party,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if request.state != RequestState::Pending {
        return Err(Refusal::RequestNotPending {
            id: request.id.clone(),
            state: request.state,
        });
    }
    let expired_at = expires_at(request, profile);
    if now >= expired_at {
        return Err(Refusal::RequestExpired {
            id: request.id.clone(),
            expired_at,
        });
    }
    if request.opened_by == by {
        return Err(Refusal::OwnRequest {
            id: request.id.clone(),
            by,
        });
    }
    Ok(())
}

/// The order with its due date moved by an accepted change of order time (an accepted
/// "request more time" or delivery-time extension). A change of the start date alone
/// leaves the due date; the order carries no start of its own on the wire, so the
/// accepted request is the record of the new start.
pub fn apply_extension(order: &Order, request: &OrderRequest) -> Result<Order, RuleError> {
    let refuse = |why| RuleError::RequestNotApplicable {
        id: request.id.clone(),
        why,
    };
    if request.kind != RequestKind::ChangeOrderTime {
        return Err(refuse("it is not a change of order time"));
    }
    if request.state != RequestState::Accepted {
        return Err(refuse("it has not been accepted"));
    }
    if request.proposed_due_at.is_none() && request.form.proposed_start_at.is_none() {
        return Err(refuse("it proposes no date"));
    }
    if is_terminal(order.status) {
        return Err(RuleError::OrderClosed {
            status: order.status,
        });
    }
    Ok(Order {
        due_at: request.proposed_due_at.unwrap_or(order.due_at),
        ..order.clone()
    })
}

/// The order after an accepted contract update (IZEA): the new due date ("time left"),
/// the new number of revisions, and the base price moved up or down. assumed: the price
/// change applies to the base package, so extras stay as they were.
pub fn apply_contract_update(order: &Order, request: &OrderRequest) -> Result<Order, RuleError> {
    let refuse = |why| RuleError::RequestNotApplicable {
        id: request.id.clone(),
        why,
    };
    if request.kind != RequestKind::ContractUpdate {
        return Err(refuse("it is not a contract update"));
    }
    if request.state != RequestState::Accepted {
        return Err(refuse("it has not been accepted"));
    }
    if is_terminal(order.status) {
        return Err(RuleError::OrderClosed {
            status: order.status,
        });
    }
    let mut changed = order.clone();
    if let Some(due_at) = request.proposed_due_at {
        changed.due_at = due_at;
    }
    if let Some(n) = request.form.revisions_included {
        changed.revisions_included = n;
    }
    if let Some(change) = request.form.price_change_minor {
        let price = order.base_price_minor.checked_add(change);
        changed.base_price_minor = price
            .filter(|p| *p > 0)
            .ok_or_else(|| refuse("the price would not stay positive"))?;
    }
    Ok(changed)
}

/// The order with an accepted additional work request added as an extra, so the
/// breakdown and forecast include it. assumed: the extra is titled "Additional work".
pub fn apply_additional_work(order: &Order, request: &OrderRequest) -> Result<Order, RuleError> {
    let refuse = |why| RuleError::RequestNotApplicable {
        id: request.id.clone(),
        why,
    };
    if request.kind != RequestKind::AdditionalWork {
        return Err(refuse("it is not an additional work request"));
    }
    if request.state != RequestState::Accepted {
        return Err(refuse("it has not been accepted"));
    }
    let Some(price_minor) = request.price_minor else {
        return Err(refuse("it names no price"));
    };
    if is_terminal(order.status) {
        return Err(RuleError::OrderClosed {
            status: order.status,
        });
    }
    let mut changed = order.clone();
    changed.extras.push(Extra {
        title: "Additional work".to_string(),
        price_minor,
    });
    Ok(changed)
}

#[cfg(test)]
mod tests;
