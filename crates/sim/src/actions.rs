//! Seller actions on orders, applied with the same rules the app shows: accept or
//! decline a new order, accept or decline the buyer's pending request, deliver, open a
//! request or a dispute. Each action is
//! keyed by the client's idempotency key so a retried push changes nothing twice.

use crate::uploads::UploadInfo;
use chrono::{DateTime, Utc};
use sellerdesk_api::{
    MAX_MESSAGE_CHARS, Order, OrderAction, OrderRequest, OrderStatus, Party, Profile, RequestKind,
    RequestState,
};
use sellerdesk_rules::marketplace::cancel_through_support;
use sellerdesk_rules::requests::open;
use sellerdesk_rules::{
    Event, NewRequest, apply_additional_work, apply_contract_update, apply_extension,
    can_reply_to_review, can_respond, can_seller_cancel, request_more_time, transition,
};

/// Why the marketplace refuses an action now (answered 409 with the reason).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// `text` trimmed, if it has 1 to `MAX_MESSAGE_CHARS` characters.
pub(crate) fn chat_text<'a>(text: &'a str, what: &str) -> Result<&'a str, Refused> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_MESSAGE_CHARS {
        return Err(Refused(format!(
            "{what} needs 1 to {MAX_MESSAGE_CHARS} characters"
        )));
    }
    Ok(text)
}

/// Where the order's request `request_id` is, or why there is none.
fn request_index(order: &Order, request_id: &str) -> Result<usize, Refused> {
    order
        .requests
        .iter()
        .position(|r| r.id == request_id)
        .ok_or_else(|| Refused(format!("order {} has no request {request_id}", order.id)))
}

/// Adds a message from the seller to the order's chat.
fn post_as_seller(order: &mut Order, text: String, now: DateTime<Utc>) {
    crate::life::post(order, Party::Seller, text, now);
}

/// The order after `action`, or why it is refused. Pure: `uploads` looks up the tus
/// uploads a delivery's files name.
pub fn apply(
    order: &Order,
    action: &OrderAction,
    profile: &Profile,
    now: DateTime<Utc>,
    uploads: &dyn Fn(&str) -> Option<UploadInfo>,
) -> Result<Order, Refused> {
    let refused = |e: &dyn std::fmt::Display| Refused(e.to_string());
    match action {
        OrderAction::Deliver(delivery) => {
            crate::delivery::deliver(order, delivery, profile, now, uploads)
        }
        OrderAction::Accept | OrderAction::Decline => {
            let event = if *action == OrderAction::Accept {
                Event::Accept
            } else {
                Event::Decline
            };
            let status = transition(order.status, event).map_err(|e| refused(&e))?;
            Ok(Order {
                status,
                ..order.clone()
            })
        }
        OrderAction::SendMessage { text } => {
            let text = chat_text(text, "a message")?;
            let mut changed = order.clone();
            post_as_seller(&mut changed, text.to_string(), now);
            Ok(changed)
        }
        OrderAction::OpenRequest {
            kind,
            message,
            proposed_due_at,
            price_minor,
            form,
        } => {
            let message = message.trim();
            if message.chars().count() > MAX_MESSAGE_CHARS {
                return Err(Refused(format!(
                    "a request message needs at most {MAX_MESSAGE_CHARS} characters"
                )));
            }
            let id = format!("{}-R{}", order.id, order.requests.len() + 1);
            let pending_delivery = order.status == OrderStatus::Delivered;
            let opened = match (kind, proposed_due_at) {
                (RequestKind::ChangeOrderTime, Some(due)) if form.is_empty() => request_more_time(
                    order,
                    &order.requests,
                    pending_delivery,
                    id,
                    *due,
                    now,
                    profile,
                )
                .map(|r| OrderRequest {
                    message: message.to_string(),
                    ..r
                }),
                _ => open(
                    order,
                    &order.requests,
                    pending_delivery,
                    NewRequest {
                        id,
                        kind: *kind,
                        opened_by: Party::Seller,
                        opened_at: now,
                        message: message.to_string(),
                        proposed_due_at: *proposed_due_at,
                        price_minor: *price_minor,
                        form: form.clone(),
                    },
                    profile,
                ),
            }
            .map_err(|e| refused(&e))?;
            let mut changed = order.clone();
            changed.requests.push(opened);
            Ok(changed)
        }
        OrderAction::ProvideProgress { request_id, text } => {
            let text = chat_text(text, "a progress update")?;
            let index = request_index(order, request_id)?;
            let request = &order.requests[index];
            if request.kind != RequestKind::ProgressUpdate {
                return Err(Refused(format!(
                    "request {request_id} does not ask for a progress update"
                )));
            }
            can_respond(request, Party::Seller, profile, now).map_err(|e| refused(&e))?;
            let mut changed = order.clone();
            changed.requests[index].state = RequestState::Accepted;
            changed.requests[index].resolved_at = Some(now);
            post_as_seller(&mut changed, format!("Progress update: {text}"), now);
            Ok(changed)
        }
        OrderAction::Cancel { reason } => {
            let reason = chat_text(reason, "the reason for canceling")?;
            can_seller_cancel(order, profile, now).map_err(|e| refused(&e))?;
            let mut changed = order.clone();
            if let (true, Ok(disputed)) = (
                cancel_through_support(profile),
                transition(order.status, Event::Dispute),
            ) {
                // IZEA: the customer experience team joins the chat and cancels; the
                // order waits for them as disputed (see crate::disputes).
                changed.status = disputed;
                post_as_seller(&mut changed, format!("Cancel Order: {reason}"), now);
                return Ok(changed);
            }
            changed.status = transition(order.status, Event::Cancel).map_err(|e| refused(&e))?;
            post_as_seller(&mut changed, format!("Order canceled: {reason}"), now);
            Ok(changed)
        }
        OrderAction::ReplyToReview { text } => {
            let text = text.trim();
            if text.is_empty() {
                return Err(Refused("a reply needs some text".to_string()));
            }
            can_reply_to_review(order.review.as_ref()).map_err(|e| refused(&e))?;
            let mut changed = order.clone();
            if let Some(review) = changed.review.as_mut() {
                review.reply = Some(text.to_string());
            }
            Ok(changed)
        }
        OrderAction::AcceptRequest { request_id } | OrderAction::DeclineRequest { request_id } => {
            let accept = matches!(action, OrderAction::AcceptRequest { .. });
            answer_request(order, request_id, Party::Seller, accept, profile, now)
        }
        OrderAction::OpenDispute { reason } => {
            let reason = chat_text(reason, "the reason for the dispute")?;
            crate::disputes::open(order, Party::Seller, reason, profile, now)
        }
    }
}

/// `by` accepts or declines the other party's pending request; an accepted one takes
/// effect (a new due date, an extra, a contract update, the cancellation). Pure.
pub(crate) fn answer_request(
    order: &Order,
    request_id: &str,
    by: Party,
    accept: bool,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<Order, Refused> {
    let refused = |e: &dyn std::fmt::Display| Refused(e.to_string());
    let index = request_index(order, request_id)?;
    let request = &order.requests[index];
    can_respond(request, by, profile, now).map_err(|e| refused(&e))?;
    let mut answered = request.clone();
    answered.resolved_at = Some(now);
    answered.state = if accept {
        RequestState::Accepted
    } else {
        RequestState::Declined
    };
    let mut changed = order.clone();
    changed.requests[index] = answered.clone();
    if !accept {
        return Ok(changed);
    }
    match answered.kind {
        RequestKind::ChangeOrderTime => {
            apply_extension(&changed, &answered).map_err(|e| refused(&e))
        }
        RequestKind::AdditionalWork => {
            apply_additional_work(&changed, &answered).map_err(|e| refused(&e))
        }
        RequestKind::ContractUpdate => {
            apply_contract_update(&changed, &answered).map_err(|e| refused(&e))
        }
        RequestKind::Cancel => Ok(Order {
            status: transition(changed.status, Event::Cancel).map_err(|e| refused(&e))?,
            ..changed
        }),
        RequestKind::ProgressUpdate => Ok(changed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use sellerdesk_api::OrderStatus;

    fn demo(id: &str, start: DateTime<Utc>) -> Order {
        crate::demo_orders(start)
            .into_iter()
            .find(|o| o.id == id)
            .unwrap()
    }

    #[test]
    fn accepting_and_declining_new_orders() {
        let start = Utc::now();
        let profile = crate::profile("hostjane").unwrap();
        let new = demo("D-1003", start);
        assert_eq!(new.status, OrderStatus::AwaitingAcceptance);
        assert_eq!(
            apply(&new, &OrderAction::Accept, &profile, start, &|_| None)
                .unwrap()
                .status,
            OrderStatus::Accepted
        );
        // HostJane: "There are no penalties for declining the order."
        assert_eq!(
            apply(&new, &OrderAction::Decline, &profile, start, &|_| None)
                .unwrap()
                .status,
            OrderStatus::Canceled
        );
        let busy = demo("D-1001", start);
        let err = apply(&busy, &OrderAction::Accept, &profile, start, &|_| None).unwrap_err();
        assert!(err.0.contains("cannot accept"), "{err}");
    }

    #[test]
    fn a_seller_cancels_alone_only_where_the_rules_allow() {
        let start = Utc::now();
        let mut late = demo("D-1001", start);
        late.due_at = start - Duration::hours(3);
        let cancel = OrderAction::Cancel {
            reason: "The buyer stopped answering.".into(),
        };
        let izea = crate::profile("izea").unwrap();
        let canceled = apply(&late, &cancel, &izea, start, &|_| None).unwrap();
        // izea: "A member of the customer experience team will be alerted and will join
        // your chat as soon as possible." — not an instant refund.
        assert_eq!(canceled.status, OrderStatus::Disputed);
        assert!(
            canceled
                .messages
                .last()
                .is_some_and(|m| m.text == "Cancel Order: The buyer stopped answering.")
        );
        let on_time = demo("D-1001", start);
        let err = apply(&on_time, &cancel, &izea, start, &|_| None).unwrap_err();
        assert!(err.0.contains("past due"), "{err}");
        let fiverr = crate::profile("fiverr").unwrap();
        let err = apply(&late, &cancel, &fiverr, start, &|_| None).unwrap_err();
        assert!(err.0.contains("request"), "{err}");
        let blank = OrderAction::Cancel { reason: " ".into() };
        assert!(apply(&late, &blank, &izea, start, &|_| None).is_err());
    }

    #[test]
    fn a_chat_message_is_appended_from_the_seller() {
        let start = Utc::now();
        let profile = crate::profile("fiverr").unwrap();
        let order = demo("D-1001", start);
        let before = order.messages.len();
        let send = OrderAction::SendMessage {
            text: "  Draft attached tomorrow  ".into(),
        };
        let changed = apply(&order, &send, &profile, start, &|_| None).unwrap();
        assert_eq!(changed.messages.len(), before + 1);
        let sent = changed.messages.last().unwrap();
        assert_eq!(sent.from, Party::Seller);
        assert_eq!(sent.text, "Draft attached tomorrow");
        assert_eq!(sent.id, format!("D-1001-M{}", before + 1));
        for text in ["   ", &"x".repeat(MAX_MESSAGE_CHARS + 1)] {
            let err = apply(
                &order,
                &OrderAction::SendMessage { text: text.into() },
                &profile,
                start,
                &|_| None,
            )
            .unwrap_err();
            assert!(err.0.contains("1 to 5000 characters"), "{err}");
        }
    }

    #[test]
    fn a_review_is_answered_once() {
        let start = Utc::now();
        let profile = crate::profile("hostjane").unwrap();
        let reviewed = demo("D-1009", start);
        let reply = OrderAction::ReplyToReview {
            text: "Thanks for the kind words!".into(),
        };
        let answered = apply(&reviewed, &reply, &profile, start, &|_| None).unwrap();
        assert_eq!(
            answered.review.as_ref().unwrap().reply.as_deref(),
            Some("Thanks for the kind words!")
        );
        // HostJane: "Take care responding to reviews, you can only do so once."
        assert!(
            apply(&answered, &reply, &profile, start, &|_| None).is_err(),
            "a second reply is refused"
        );
        assert!(
            apply(&demo("D-1001", start), &reply, &profile, start, &|_| None).is_err(),
            "no review, no reply"
        );
        let blank = OrderAction::ReplyToReview { text: "  ".into() };
        assert!(
            apply(&reviewed, &blank, &profile, start, &|_| None).is_err(),
            "an empty reply is refused"
        );
    }

    #[test]
    fn answering_the_buyers_requests() {
        let start = Utc::now();
        let profile = crate::profile("crackerjack").unwrap();
        let d1010 = demo("D-1010", start);
        let accept = OrderAction::AcceptRequest {
            request_id: "D-1010-R1".into(),
        };
        let moved = apply(&d1010, &accept, &profile, start, &|_| None).unwrap();
        assert_eq!(
            moved.due_at,
            d1010.due_at - Duration::days(2),
            "an accepted time change moves the due date"
        );
        assert_eq!(moved.requests[0].state, RequestState::Accepted);
        let decline = OrderAction::DeclineRequest {
            request_id: "D-1007-R1".into(),
        };
        let kept = apply(&demo("D-1007", start), &decline, &profile, start, &|_| None).unwrap();
        assert_eq!(
            kept.status,
            OrderStatus::InProgress,
            "a declined cancel request keeps the order"
        );
        // crackerjack: the seller cannot answer its own request.
        let own = OrderAction::AcceptRequest {
            request_id: "D-1005-R1".into(),
        };
        assert!(apply(&demo("D-1005", start), &own, &profile, start, &|_| None).is_err());
        // Past its 48 hours a request can no longer be answered.
        let late = apply(
            &d1010,
            &accept,
            &profile,
            start + Duration::hours(9),
            &|_| None,
        );
        assert!(late.is_err(), "D-1010's request expired 8 h after start");
    }
}
