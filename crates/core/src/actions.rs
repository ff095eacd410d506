//! The seller's actions as the window asks for them: checked and turned into wire
//! actions before they reach the outbox, and named for the order's outbox list.

use chrono::{DateTime, Utc};
use sellerdesk_api::{MAX_MESSAGE_CHARS, OrderAction, RequestKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::detail::kind_label;
use crate::error::{AppError, ErrorCode};

/// An id the window names (an account, an order, a request, an upload): a short
/// printable string, checked once when it is decoded, so nothing further down needs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, TS)]
#[ts(type = "string")]
pub struct Id(String);

impl Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        let text = String::deserialize(d)?;
        Id::try_from(text).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Id {
    type Error = AppError;
    fn try_from(id: String) -> Result<Id, AppError> {
        let ok = !id.is_empty() && id.len() <= 128 && id.chars().all(|c| c.is_ascii_graphic());
        if ok {
            Ok(Id(id))
        } else {
            Err(AppError::new(ErrorCode::InvalidInput, "invalid id"))
        }
    }
}

impl TryFrom<&str> for Id {
    type Error = AppError;
    fn try_from(id: &str) -> Result<Id, AppError> {
        Id::try_from(id.to_string())
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// The requests a seller may open from the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OpenKind {
    ChangeOrderTime,
    AdditionalWork,
    Cancel,
}

/// A seller action on an order, as the window and the notification buttons ask for it:
/// one typed value, one validation ([`SellerAction::to_wire`]), then the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum SellerAction {
    /// Accept a new order.
    Accept,
    /// Decline a new order.
    Decline,
    /// Accept the buyer's pending request.
    AcceptRequest { request_id: Id },
    /// Decline the buyer's pending request.
    DeclineRequest { request_id: Id },
    /// Answer the buyer's progress-update request.
    ProvideProgress { request_id: Id, text: String },
    /// Open a request of the seller's own.
    OpenRequest {
        request_kind: OpenKind,
        /// The request's message (required to ask to cancel).
        #[serde(default)]
        text: String,
        /// For a change of order time: the proposed due date, ms since the epoch.
        #[serde(default)]
        #[ts(optional, type = "number")]
        proposed_due_ms: Option<i64>,
        /// For additional work: its price in minor units (cents).
        #[serde(default)]
        #[ts(optional, type = "number")]
        price_minor: Option<i64>,
    },
    /// Cancel the order alone, where the marketplace allows it; `text` is the reason.
    Cancel { text: String },
    /// Send a message in the order's chat.
    SendMessage { text: String },
    /// Reply once to the buyer's review.
    ReplyToReview { text: String },
    /// Ask the marketplace's support to step in; `text` is the reason.
    OpenDispute { text: String },
}

/// Longest review reply accepted from the window.
const MAX_REPLY_CHARS: usize = 2_000;

impl SellerAction {
    /// The wire action, or a clear error for anything the marketplace would refuse on
    /// its face (empty or overlong words, a missing date or price).
    pub fn to_wire(&self) -> Result<OrderAction, AppError> {
        Ok(match self {
            SellerAction::Accept => OrderAction::Accept,
            SellerAction::Decline => OrderAction::Decline,
            SellerAction::AcceptRequest { request_id } => OrderAction::AcceptRequest {
                request_id: request_id.to_string(),
            },
            SellerAction::DeclineRequest { request_id } => OrderAction::DeclineRequest {
                request_id: request_id.to_string(),
            },
            SellerAction::ReplyToReview { text } => OrderAction::ReplyToReview {
                text: words(text, MAX_REPLY_CHARS, || {
                    format!("a reply needs 1 to {MAX_REPLY_CHARS} characters")
                })?,
            },
            SellerAction::ProvideProgress { request_id, text } => OrderAction::ProvideProgress {
                request_id: request_id.to_string(),
                text: words(text, MAX_MESSAGE_CHARS, || {
                    format!("a progress update needs 1 to {MAX_MESSAGE_CHARS} characters")
                })?,
            },
            SellerAction::OpenRequest {
                request_kind,
                text,
                proposed_due_ms,
                price_minor,
            } => open_request(*request_kind, text, *proposed_due_ms, *price_minor)?,
            SellerAction::Cancel { text } => OrderAction::Cancel {
                reason: words(text, MAX_MESSAGE_CHARS, || {
                    format!("tell the buyer why you cancel (1 to {MAX_MESSAGE_CHARS} characters)")
                })?,
            },
            SellerAction::OpenDispute { text } => OrderAction::OpenDispute {
                reason: words(text, MAX_MESSAGE_CHARS, || {
                    format!("tell support what went wrong (1 to {MAX_MESSAGE_CHARS} characters)")
                })?,
            },
            SellerAction::SendMessage { text } => OrderAction::SendMessage {
                text: words(text, MAX_MESSAGE_CHARS, || {
                    format!("a message needs 1 to {MAX_MESSAGE_CHARS} characters")
                })?,
            },
        })
    }
}

/// The seller's words, trimmed, if they are 1 to `max` characters; else `why`.
fn words(text: &str, max: usize, why: impl FnOnce() -> String) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(AppError::new(ErrorCode::InvalidInput, why()));
    }
    Ok(text.to_string())
}

fn open_request(
    kind: OpenKind,
    text: &str,
    proposed_due_ms: Option<i64>,
    price_minor: Option<i64>,
) -> Result<OrderAction, AppError> {
    let invalid = |m: &str| AppError::new(ErrorCode::InvalidInput, m.to_string());
    let message = text.trim();
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(invalid("a request message needs at most 5000 characters"));
    }
    let kind = match kind {
        OpenKind::ChangeOrderTime => RequestKind::ChangeOrderTime,
        OpenKind::AdditionalWork => RequestKind::AdditionalWork,
        OpenKind::Cancel => RequestKind::Cancel,
    };
    let proposed_due_at = match (kind, proposed_due_ms) {
        (RequestKind::ChangeOrderTime, Some(ms)) => {
            let at = DateTime::<Utc>::from_timestamp_millis(ms)
                .ok_or_else(|| invalid("the proposed due date is out of range"))?;
            sellerdesk_api::limits::check_instant("the proposed due date", at)
                .map_err(|e| invalid(&e.to_string()))?;
            Some(at)
        }
        (RequestKind::ChangeOrderTime, None) => {
            return Err(invalid("propose the new due date"));
        }
        _ => None,
    };
    let price_minor = match (kind, price_minor) {
        (RequestKind::AdditionalWork, Some(p)) if p > 0 && p <= 100_000_000 => Some(p),
        (RequestKind::AdditionalWork, _) => {
            return Err(invalid("give the extra work a price above zero"));
        }
        _ => None,
    };
    if kind == RequestKind::Cancel && message.is_empty() {
        return Err(invalid("tell the buyer why you ask to cancel"));
    }
    Ok(OrderAction::OpenRequest {
        kind,
        message: message.to_string(),
        proposed_due_at,
        price_minor,
        form: Default::default(),
    })
}

/// What an outbox item does, for the window to tell them apart without reading labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutboxKind {
    Accept,
    Decline,
    AcceptRequest,
    DeclineRequest,
    ReplyToReview,
    ProvideProgress,
    OpenRequest,
    Cancel,
    SendMessage,
    Deliver,
    OpenDispute,
}

/// The kind of a wire action.
pub fn outbox_kind(action: &OrderAction) -> OutboxKind {
    match action {
        OrderAction::Accept => OutboxKind::Accept,
        OrderAction::Decline => OutboxKind::Decline,
        OrderAction::AcceptRequest { .. } => OutboxKind::AcceptRequest,
        OrderAction::DeclineRequest { .. } => OutboxKind::DeclineRequest,
        OrderAction::ReplyToReview { .. } => OutboxKind::ReplyToReview,
        OrderAction::ProvideProgress { .. } => OutboxKind::ProvideProgress,
        OrderAction::OpenRequest { .. } => OutboxKind::OpenRequest,
        OrderAction::Cancel { .. } => OutboxKind::Cancel,
        OrderAction::SendMessage { .. } => OutboxKind::SendMessage,
        OrderAction::Deliver(_) => OutboxKind::Deliver,
        OrderAction::OpenDispute { .. } => OutboxKind::OpenDispute,
    }
}

/// The seller's words in an action, if it carries any.
pub fn action_text(action: &OrderAction) -> Option<String> {
    match action {
        OrderAction::SendMessage { text }
        | OrderAction::ReplyToReview { text }
        | OrderAction::ProvideProgress { text, .. } => Some(text.clone()),
        OrderAction::OpenRequest { message, .. } => Some(message.clone()),
        OrderAction::Cancel { reason } | OrderAction::OpenDispute { reason } => {
            Some(reason.clone())
        }
        _ => None,
    }
}

/// What the outbox shows for an action: "Accept order", "Decline request D-1010-R1".
pub fn outbox_label(action: &OrderAction) -> String {
    match action {
        OrderAction::Accept => "Accept order".to_string(),
        OrderAction::Decline => "Decline order".to_string(),
        OrderAction::AcceptRequest { request_id } => format!("Accept request {request_id}"),
        OrderAction::DeclineRequest { request_id } => format!("Decline request {request_id}"),
        OrderAction::ReplyToReview { .. } => "Reply to the review".to_string(),
        OrderAction::ProvideProgress { request_id, .. } => {
            format!("Progress update for {request_id}")
        }
        OrderAction::OpenRequest { kind, .. } => format!("Open request: {}", kind_label(*kind)),
        OrderAction::Cancel { .. } => "Cancel the order".to_string(),
        OrderAction::OpenDispute { .. } => "Open a dispute".to_string(),
        OrderAction::SendMessage { text } => {
            let short: String = text.chars().take(40).collect();
            if short.len() < text.len() {
                format!("Message \u{201c}{short}…\u{201d}")
            } else {
                format!("Message \u{201c}{short}\u{201d}")
            }
        }
        OrderAction::Deliver(delivery) => {
            let what = if delivery.modified {
                "Deliver modified work"
            } else {
                "Deliver"
            };
            match delivery.files.len() {
                0 => what.to_string(),
                1 => format!("{what} (1 file)"),
                n => format!("{what} ({n} files)"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_json_decodes_into_typed_actions() {
        let cases = [
            (r#"{"kind":"accept"}"#, SellerAction::Accept),
            (
                r#"{"kind":"decline_request","requestId":"D-1010-R1"}"#,
                SellerAction::DeclineRequest {
                    request_id: Id::try_from("D-1010-R1").unwrap(),
                },
            ),
            (
                r#"{"kind":"open_request","requestKind":"change_order_time","text":"","proposedDueMs":1800000000000}"#,
                SellerAction::OpenRequest {
                    request_kind: OpenKind::ChangeOrderTime,
                    text: String::new(),
                    proposed_due_ms: Some(1_800_000_000_000),
                    price_minor: None,
                },
            ),
        ];
        for (json, expected) in cases {
            let action: SellerAction = serde_json::from_str(json).expect(json);
            assert_eq!(action, expected, "{json}");
        }
    }

    #[rstest::rstest]
    #[case::empty_request_id(r#"{"kind":"accept_request","requestId":""}"#)]
    #[case::control_in_id(r#"{"kind":"accept_request","requestId":"a\nb"}"#)]
    #[case::unknown_kind(r#"{"kind":"refund_everything"}"#)]
    #[case::missing_text(r#"{"kind":"send_message"}"#)]
    fn malformed_actions_are_refused_when_decoded(#[case] json: &str) {
        assert!(
            serde_json::from_str::<SellerAction>(json).is_err(),
            "{json} must not decode"
        );
    }

    #[rstest::rstest]
    #[case::blank_message(SellerAction::SendMessage { text: "   ".into() }, "a message needs")]
    #[case::long_reply(SellerAction::ReplyToReview { text: "x".repeat(2_001) }, "a reply needs")]
    #[case::cancel_without_reason(SellerAction::Cancel { text: String::new() }, "why you cancel")]
    #[case::time_without_date(SellerAction::OpenRequest { request_kind: OpenKind::ChangeOrderTime, text: String::new(), proposed_due_ms: None, price_minor: None }, "new due date")]
    #[case::date_in_year_262000(SellerAction::OpenRequest { request_kind: OpenKind::ChangeOrderTime, text: String::new(), proposed_due_ms: Some(8_000_000_000_000_000), price_minor: None }, "outside 2000 to 2200")]
    #[case::free_extra_work(SellerAction::OpenRequest { request_kind: OpenKind::AdditionalWork, text: String::new(), proposed_due_ms: None, price_minor: Some(0) }, "price above zero")]
    fn one_validation_says_what_is_wrong(#[case] action: SellerAction, #[case] why: &str) {
        let err = action.to_wire().expect_err("must be refused");
        assert!(err.message.contains(why), "{err:?} should say {why:?}");
    }

    #[test]
    fn words_are_trimmed_on_the_way_to_the_wire() {
        let wire = SellerAction::SendMessage {
            text: "  hello  ".into(),
        }
        .to_wire()
        .unwrap();
        assert_eq!(
            wire,
            OrderAction::SendMessage {
                text: "hello".into()
            }
        );
    }
}
