//! The two ways a rule says no: [`RuleError`] when the caller asked for something
//! impossible (an illegal transition, a malformed amount), and [`Refusal`] when the rules
//! forbid an action now, with a message a seller can read as the reason.

use chrono::{DateTime, Utc};
use sellerdesk_api::{OrderStatus, Party, RequestKind, RequestState};

use crate::status::Event;

/// The caller asked the rules for something they cannot do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The state machine has no such edge; names both the state and the event.
    #[error("cannot {event} an order that is {}", words(*from))]
    IllegalTransition { from: OrderStatus, event: Event },
    #[error("request {id} cannot be applied to the order: {why}")]
    RequestNotApplicable { id: String, why: &'static str },
    #[error("an order that is {} cannot change any more", words(*status))]
    OrderClosed { status: OrderStatus },
    #[error("{what} of order {order_id} is negative ({amount_minor} minor units)")]
    NegativeAmount {
        order_id: String,
        what: String,
        amount_minor: i64,
    },
    #[error("the amounts of order {order_id} overflow 64-bit minor units")]
    AmountOverflow { order_id: String },
    #[error("the dates of order {order_id} are out of range")]
    DateOutOfRange { order_id: String },
}

/// A rule forbids this now; the message is the reason shown to the seller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "an order request can be opened only while the order is accepted, in progress or revision requested; this one is {}",
        words(*status)
    )]
    RequestNotOpenInStatus { status: OrderStatus },
    #[error("only the {} can open {}", party_words(other(*by)), request_phrase(*kind))]
    PartyMayNotOpen { kind: RequestKind, by: Party },
    #[error("a delivery is waiting for the buyer's answer; no request can be opened until then")]
    PendingDelivery,
    #[error("request {id} ({}) is still waiting for an answer; only one request can be open at a time", kind_words(*kind))]
    PendingRequest { id: String, kind: RequestKind },
    #[error("a change of order time needs a new start and/or end date")]
    MissingDueDate,
    #[error("the new start {start_at} must come before the due date {due_at}")]
    StartAfterDue {
        start_at: DateTime<Utc>,
        due_at: DateTime<Utc>,
    },
    #[error("{} has no {}", marketplace, request_phrase(*kind))]
    NotOnMarketplace {
        kind: RequestKind,
        marketplace: String,
    },
    #[error("{field} is not a field of {}", request_phrase(*kind))]
    FieldNotInForm {
        kind: RequestKind,
        field: &'static str,
    },
    #[error("a contract update needs at least one change: time left, revisions or price")]
    NothingToUpdate,
    #[error("the price would fall to {price_minor} minor units; it must stay above zero")]
    PriceNotPositive { price_minor: i64 },
    #[error("an order that is {} cannot be disputed", words(*status))]
    NotDisputable { status: OrderStatus },
    #[error("only a delivery awaiting the buyer's answer can be accepted or sent back; this order is {}", words(*status))]
    NotAwaitingAnswer { status: OrderStatus },
    #[error("an additional work request needs a positive price")]
    MissingPrice,
    #[error("more time must move the due date later than {due_at}")]
    NotAnExtension { due_at: DateTime<Utc> },
    #[error("request {id} is already {}", state_words(*state))]
    RequestNotPending { id: String, state: RequestState },
    #[error("request {id} expired unanswered at {expired_at}")]
    RequestExpired {
        id: String,
        expired_at: DateTime<Utc>,
    },
    #[error("request {id} was opened by the {}; the other party answers it", party_words(*by))]
    OwnRequest { id: String, by: Party },
    #[error("no request from the buyer is waiting for an answer")]
    NoBuyerRequest,
    #[error(
        "modified work can be delivered only while the buyer reviews a delivery or asked for a revision; this order is {}",
        words(*status)
    )]
    NotAwaitingRevision { status: OrderStatus },
    #[error("all {included} revisions included in the order are used")]
    NoRevisionsLeft { included: u32 },
    #[error("review time can be extended only while a delivery awaits the buyer's answer; this order is {}", words(*status))]
    NotInReview { status: OrderStatus },
    #[error("only the buyer can extend the review time")]
    OnlyBuyerExtendsReview,
    #[error("review time can only be extended by a positive amount")]
    NotPositive,
    #[error("that date is out of the range the app can compute with")]
    DateOutOfRange,
    #[error("the buyer has not left a review yet")]
    NoReview,
    #[error("this review already has your reply; a review can be answered only once")]
    AlreadyReplied,
    #[error("an order that is {} cannot be canceled", words(*status))]
    NotCancelable { status: OrderStatus },
    #[error(
        "you can cancel only once the delivery is past due or the buyer asked for more revisions than the {included} included"
    )]
    CancelNotPastDueOrExceeded { included: u32 },
    #[error("{marketplace} cancels an order only by agreement: open a cancel request instead")]
    CancelByRequestOnly { marketplace: String },
    #[error("the order is being canceled: request {id} expired unanswered at {expired_at}")]
    CanceledByExpiry {
        id: String,
        expired_at: DateTime<Utc>,
    },
    /// The state machine has no such edge; carries the transition's own message.
    #[error("{0}")]
    Transition(RuleError),
}

/// "in progress" for `in_progress`: the status as words inside a sentence.
pub(crate) fn words(status: OrderStatus) -> String {
    status.as_str().replace('_', " ")
}

pub(crate) fn kind_words(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::AdditionalWork => "additional work",
        RequestKind::ChangeOrderTime => "change of order time",
        RequestKind::ProgressUpdate => "progress update",
        RequestKind::Cancel => "cancel",
        RequestKind::ContractUpdate => "contract update",
    }
}

/// "an additional work request": the kind as a noun phrase inside a sentence.
pub(crate) fn request_phrase(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::AdditionalWork => "an additional work request",
        RequestKind::ChangeOrderTime => "a change of order time request",
        RequestKind::ProgressUpdate => "a progress update request",
        RequestKind::Cancel => "a cancel request",
        RequestKind::ContractUpdate => "a contract update",
    }
}

pub(crate) fn party_words(party: Party) -> &'static str {
    match party {
        Party::Seller => "seller",
        Party::Buyer => "buyer",
        Party::Support => "marketplace's support",
    }
}

fn state_words(state: RequestState) -> &'static str {
    match state {
        RequestState::Pending => "pending",
        RequestState::Accepted => "accepted",
        RequestState::Declined => "declined",
        RequestState::Expired => "expired",
    }
}

pub(crate) fn other(party: Party) -> Party {
    match party {
        Party::Seller => Party::Buyer,
        Party::Buyer => Party::Seller,
        Party::Support => Party::Support,
    }
}
