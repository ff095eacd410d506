//! Order requests and reviews on the wire: the negotiation that happens on an order
//! after it starts (crackerjack's four request types, Fiverr's and HostJane's delivery
//! time extensions, IZEA's Contract Update), disputes, and the buyer's review with the
//! seller's single reply.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who acts on an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Seller,
    Buyer,
    /// The marketplace's own people in the order's chat: IZEA's "customer experience
    /// team member", HostJane's order updates, a support ticket's answers.
    Support,
}

/// The four request types of crackerjack's Order Assistant, and IZEA's Contract Update.
/// A seller's "request more time" (HostJane) or delivery-time extension (Fiverr) is a
/// `ChangeOrderTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    AdditionalWork,
    ChangeOrderTime,
    ProgressUpdate,
    Cancel,
    /// IZEA: "You can edit the time left to complete the order, amount of revisions and
    /// the price of the listing" (see [`RequestForm`]).
    ContractUpdate,
}

/// The form fields of a request beyond its message, due date and price, each optional
/// (crackerjack: "each type of request has its own form fields").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    /// ChangeOrderTime (crackerjack: "change the order's start and/or end date"): the
    /// proposed new start of the work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_start_at: Option<DateTime<Utc>>,
    /// ContractUpdate: the new number of revisions included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revisions_included: Option<u32>,
    /// ContractUpdate: the price change in minor units, up (positive) or down (negative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_change_minor: Option<i64>,
}

impl RequestForm {
    pub fn is_empty(&self) -> bool {
        *self == RequestForm::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Pending,
    Accepted,
    Declined,
    /// Nobody answered within the marketplace's expiry (48 h).
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRequest {
    pub id: String,
    pub kind: RequestKind,
    pub opened_by: Party,
    pub opened_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub state: RequestState,
    #[serde(default)]
    pub message: String,
    /// ChangeOrderTime: the proposed new due date.
    #[serde(default)]
    pub proposed_due_at: Option<DateTime<Utc>>,
    /// AdditionalWork: the price of the extra work, minor units.
    #[serde(default)]
    pub price_minor: Option<i64>,
    #[serde(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    /// The other form fields (start date; a contract update's revisions and price).
    #[serde(default, skip_serializing_if = "RequestForm::is_empty")]
    pub form: RequestForm,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// 1 to 5.
    pub rating: u8,
    pub text: String,
    pub posted_at: DateTime<Utc>,
    /// The seller's reply; a review can be answered once.
    #[serde(default)]
    pub reply: Option<String>,
}

/// Longest chat message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 5000;

/// One message of the order's chat between buyer and seller (and the marketplace's
/// support when it joins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Unique within the order, e.g. "D-1001-M3".
    pub id: String,
    pub from: Party,
    pub text: String,
    pub sent_at: DateTime<Utc>,
}

/// A seller's action on an order: `POST /v1/orders/{id}/actions` with an
/// `Idempotency-Key` header, so a retried push is applied once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum OrderAction {
    /// Accept a new order.
    Accept,
    /// Decline a new order (no penalty, HostJane).
    Decline,
    /// Accept the buyer's pending request.
    AcceptRequest { request_id: String },
    /// Decline the buyer's pending request.
    DeclineRequest { request_id: String },
    /// Answer the buyer's review; a review can be answered once (HostJane).
    ReplyToReview { text: String },
    /// Deliver the work (an order in progress or late) or, with `modified`, deliver
    /// modified work after the buyer asked for a revision. Every file must have been
    /// uploaded completely through `/v1/uploads` (tus 1.0) first.
    Deliver(Delivery),
    /// Send a message in the order's chat (1 to `MAX_MESSAGE_CHARS` characters).
    SendMessage { text: String },
    /// Open an order request as the seller (crackerjack's Order Assistant): a change of
    /// order time proposes a later due date, additional work a positive price; a cancel
    /// request says why. Not while another request or a delivery is pending.
    OpenRequest {
        kind: RequestKind,
        #[serde(default)]
        message: String,
        #[serde(default)]
        proposed_due_at: Option<DateTime<Utc>>,
        #[serde(default)]
        price_minor: Option<i64>,
        /// A change of start date (crackerjack) or a contract update's fields (IZEA).
        #[serde(default, skip_serializing_if = "RequestForm::is_empty")]
        form: RequestForm,
    },
    /// Ask the marketplace to step in (crackerjack's dispute, IZEA's "Dispute Order",
    /// HostJane's "Problem with order", PodcasterPros' Resolution Center, Fiverr's
    /// Customer Support): the order becomes disputed, `reason` is posted in its chat,
    /// and the marketplace's support answers there.
    OpenDispute { reason: String },
    /// Cancel the order as the seller, where the marketplace allows it without the
    /// buyer's agreement (IZEA: past due, or revisions exceeded); `reason` is posted in
    /// the order's chat.
    Cancel { reason: String },
    /// Answer the buyer's pending progress-update request with the progress made; the
    /// update is posted in the order's chat and the request is resolved.
    ProvideProgress { request_id: String, text: String },
}

/// A delivery: files already uploaded, a description, and the seller's explicit choices
/// when there is no file (Fiverr: "If you don't attach a file, you'll be asked to confirm
/// that you want to deliver without one"; IZEA: "delivered outside the platform").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// What the seller tells the buyer about the work.
    pub description: String,
    /// Uploaded files, in the order the seller attached them.
    #[serde(default)]
    pub files: Vec<DeliveredFile>,
    /// The seller confirmed delivering without any file.
    #[serde(default)]
    pub no_file_confirmed: bool,
    /// The work was sent outside the platform / already sent ("already sent work").
    #[serde(default)]
    pub outside_platform: bool,
    /// Modified work answering a revision request ("Deliver modified work").
    #[serde(default)]
    pub modified: bool,
}

/// One file of a delivery: the tus upload that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveredFile {
    /// The upload's id: the last path segment of its tus `Location` (`/v1/uploads/{id}`).
    pub upload_id: String,
    pub name: String,
    pub size: u64,
    /// Lowercase hex SHA-256 of the whole file, checked by the marketplace.
    pub sha256: String,
}

/// The header carrying an action's idempotency key.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
