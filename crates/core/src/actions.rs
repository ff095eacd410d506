//! The seller's actions as the window asks for them: checked and turned into wire
//! actions before they reach the outbox, and named for the order's outbox list.

use chrono::{DateTime, Utc};
use sellerdesk_api::{MAX_MESSAGE_CHARS, OrderAction, RequestKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::detail::kind_label;
use crate::error::{AppError, ErrorCode};

/// A seller action the window asks for (Accept / Decline an order, answer a request,
/// reply to the review).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionRequest {
    /// "accept", "decline", "accept_request", "decline_request", "provide_progress",
    /// "open_request", "cancel", "send_message" or "reply_to_review".
    pub kind: String,
    /// The request answered, for the *_request kinds and "provide_progress".
    pub request_id: Option<String>,
    /// The words: a reply, a message, a progress update, a request's message, the
    /// reason for canceling.
    pub text: Option<String>,
    /// For "open_request": "change_order_time", "additional_work" or "cancel".
    #[serde(default)]
    #[ts(optional)]
    pub request_kind: Option<String>,
    /// For a change of order time: the proposed due date, ms since the epoch.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub proposed_due_ms: Option<i64>,
    /// For additional work: its price in minor units (cents).
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub price_minor: Option<i64>,
}

/// Longest review reply accepted from the window.
const MAX_REPLY_CHARS: usize = 2_000;

impl ActionRequest {
    /// The wire action, or a clear error for anything else.
    pub fn to_order_action(&self) -> Result<OrderAction, AppError> {
        let request_id = || {
            self.request_id
                .clone()
                .filter(|id| !id.is_empty())
                .ok_or_else(|| {
                    AppError::new(ErrorCode::InvalidInput, "answering a request needs its id")
                })
        };
        Ok(match self.kind.as_str() {
            "accept" => OrderAction::Accept,
            "decline" => OrderAction::Decline,
            "accept_request" => OrderAction::AcceptRequest {
                request_id: request_id()?,
            },
            "decline_request" => OrderAction::DeclineRequest {
                request_id: request_id()?,
            },
            "reply_to_review" => {
                let text = self.words(MAX_REPLY_CHARS, || {
                    format!("a reply needs 1 to {MAX_REPLY_CHARS} characters")
                })?;
                OrderAction::ReplyToReview { text }
            }
            "provide_progress" => {
                let text = self.words(MAX_MESSAGE_CHARS, || {
                    format!("a progress update needs 1 to {MAX_MESSAGE_CHARS} characters")
                })?;
                OrderAction::ProvideProgress {
                    request_id: request_id()?,
                    text,
                }
            }
            "open_request" => self.open_request()?,
            "cancel" => {
                let reason = self.words(MAX_MESSAGE_CHARS, || {
                    format!("tell the buyer why you cancel (1 to {MAX_MESSAGE_CHARS} characters)")
                })?;
                OrderAction::Cancel { reason }
            }
            "send_message" => {
                let text = self.words(MAX_MESSAGE_CHARS, || {
                    format!("a message needs 1 to {MAX_MESSAGE_CHARS} characters")
                })?;
                OrderAction::SendMessage { text }
            }
            other => {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    format!("unknown action {other:?}"),
                ));
            }
        })
    }
}

impl ActionRequest {
    /// The seller's words, trimmed, if they are 1 to `max` characters; else `why`.
    fn words(&self, max: usize, why: impl FnOnce() -> String) -> Result<String, AppError> {
        let text = self.text.as_deref().map(str::trim).unwrap_or_default();
        if text.is_empty() || text.chars().count() > max {
            return Err(AppError::new(ErrorCode::InvalidInput, why()));
        }
        Ok(text.to_string())
    }

    fn open_request(&self) -> Result<OrderAction, AppError> {
        let invalid = |m: &str| AppError::new(ErrorCode::InvalidInput, m.to_string());
        let message = self.text.as_deref().map(str::trim).unwrap_or_default();
        if message.chars().count() > MAX_MESSAGE_CHARS {
            return Err(invalid("a request message needs at most 5000 characters"));
        }
        let kind = match self.request_kind.as_deref() {
            Some("change_order_time") => RequestKind::ChangeOrderTime,
            Some("additional_work") => RequestKind::AdditionalWork,
            Some("cancel") => RequestKind::Cancel,
            Some("progress_update") => {
                return Err(invalid("only the buyer can ask for a progress update"));
            }
            _ => return Err(invalid("say which request to open")),
        };
        let proposed_due_at = match (kind, self.proposed_due_ms) {
            (RequestKind::ChangeOrderTime, Some(ms)) => Some(
                DateTime::<Utc>::from_timestamp_millis(ms)
                    .ok_or_else(|| invalid("the proposed due date is out of range"))?,
            ),
            (RequestKind::ChangeOrderTime, None) => {
                return Err(invalid("propose the new due date"));
            }
            _ => None,
        };
        let price_minor = match (kind, self.price_minor) {
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
