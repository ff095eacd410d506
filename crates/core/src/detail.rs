//! The order detail the window shows: itemized breakdown, forecast net earnings and
//! when they become available, revisions left, the review window, open requests with
//! their time left, and which actions the marketplace's rules allow now (with the
//! reason when not). Pure: a function of (order, profile, server now).

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, OrderRequest, Party, Profile, RequestKind, RequestState};
use sellerdesk_rules::requests::can_respond;
use sellerdesk_rules::{
    Action, Bucket, ExpiryOutcome, LineKind, allowed_actions, auto_complete_at, breakdown,
    expires_at, expiry_outcome, forecast, revisions_left,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::countdown::{Countdown, countdown};
use crate::error::{AppError, ErrorCode};
use crate::view::{OrderRow, money_label};

pub use crate::actions::{
    Id, OpenKind, OutboxKind, SellerAction, action_text, outbox_kind, outbox_label,
};

/// A line of the breakdown: the base package or an extra.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LineView {
    Base,
    Extra,
}

/// Where an order's net stands: pending (not complete), clearing, available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BucketView {
    Pending,
    Clearing,
    Available,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BreakdownLine {
    pub kind: LineView,
    pub title: String,
    pub amount_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForecastView {
    pub bucket: BucketView,
    pub net_label: String,
    /// Expected completion, ms since the epoch.
    pub expected_completion: i64,
    /// Expected withdrawal date (completion + clearance), ms since the epoch.
    pub available_at: i64,
    pub clearance_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
    pub id: String,
    pub kind: RequestKind,
    pub kind_label: String,
    pub opened_by: Party,
    pub state: RequestState,
    pub message: String,
    /// When an unanswered request expires, ms since the epoch.
    pub expires_at: i64,
    /// Time left to answer, while pending.
    pub time_left: Option<Countdown>,
    /// What happens if nobody answers in time.
    pub on_expiry: String,
    /// The seller may accept or decline it now.
    pub can_respond: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionView {
    /// What the action is, e.g. "deliver", "open_request:cancel".
    pub id: ActionKind,
    pub label: String,
    pub allowed: bool,
    /// Why it is not allowed now.
    pub reason: Option<String>,
}

/// An action the rules know, as the order view lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ActionKind {
    #[serde(rename = "accept")]
    Accept,
    #[serde(rename = "decline")]
    Decline,
    #[serde(rename = "deliver")]
    Deliver,
    #[serde(rename = "deliver_modified")]
    DeliverModified,
    #[serde(rename = "open_request:additional_work")]
    OpenAdditionalWork,
    #[serde(rename = "open_request:change_order_time")]
    OpenChangeOrderTime,
    #[serde(rename = "open_request:progress_update")]
    OpenProgressUpdate,
    #[serde(rename = "open_request:cancel")]
    OpenCancel,
    #[serde(rename = "respond_to_request")]
    RespondToRequest,
    #[serde(rename = "reply_to_review")]
    ReplyToReview,
    #[serde(rename = "cancel")]
    Cancel,
    #[serde(rename = "request_more_time")]
    RequestMoreTime,
    #[serde(rename = "open_dispute")]
    OpenDispute,
}

impl ActionKind {
    /// One of the "open a request" actions.
    pub fn is_open_request(self) -> bool {
        matches!(
            self,
            ActionKind::OpenAdditionalWork
                | ActionKind::OpenChangeOrderTime
                | ActionKind::OpenProgressUpdate
                | ActionKind::OpenCancel
        )
    }
}

/// Where an outbox item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutboxViewState {
    /// Not applied yet.
    Pending,
    /// Refused; `error` says why.
    Failed,
}

/// A seller action waiting in the outbox, or refused by the marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxView {
    pub seq: i64,
    /// What the action does (the UI never reads the label to tell).
    pub kind: OutboxKind,
    pub label: String,
    pub state: OutboxViewState,
    pub error: Option<String>,
    /// The seller's words (a message, a review reply), kept so a refused one can be
    /// edited and sent again.
    pub text: Option<String>,
}

/// One chat message; `pending` while it waits in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub id: String,
    /// The buyer, the seller, or the marketplace's support.
    pub from: Party,
    pub text: String,
    #[ts(type = "number")]
    pub sent_at: i64,
    pub pending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewView {
    pub rating: u8,
    pub text: String,
    pub reply: Option<String>,
    /// The seller may still reply (once).
    pub can_reply: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderDetail {
    pub row: OrderRow,
    pub buyer_username: String,
    pub lines: Vec<BreakdownLine>,
    pub gross_label: String,
    /// "20 %".
    pub fee_percent: String,
    /// Shown negative: "-$29.00".
    pub fee_label: String,
    pub net_label: String,
    /// None for a canceled order: it earns nothing.
    pub forecast: Option<ForecastView>,
    pub revisions_included: u32,
    pub revisions_left: u32,
    /// Time until a delivered order auto-completes if the buyer does nothing.
    pub auto_complete: Option<Countdown>,
    pub requests: Vec<RequestView>,
    pub actions: Vec<ActionView>,
    /// The seller's actions on this order not applied yet, or refused.
    pub outbox: Vec<OutboxView>,
    pub review: Option<ReviewView>,
    /// The order's chat, oldest first, the seller's unsent messages last.
    pub messages: Vec<MessageView>,
    /// The delivery still uploading its files, or stopped by an error.
    pub delivery: Option<crate::uploads::DeliveryView>,
    /// That delivery's files and how far each is.
    pub uploads: Vec<crate::uploads::UploadJobView>,
}

/// Builds the detail of `order` as of the marketplace's `now`.
pub fn order_detail(
    row: OrderRow,
    order: &Order,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<OrderDetail, AppError> {
    let invalid =
        |e: sellerdesk_rules::RuleError| AppError::new(ErrorCode::InvalidInput, e.to_string());
    let bd = breakdown(order, profile).map_err(invalid)?;
    let money = |minor: i64| money_label(minor, &order.currency);
    let forecast = forecast(order, profile, now)
        .map_err(invalid)?
        .map(|f| ForecastView {
            bucket: bucket_name(f.bucket),
            net_label: money(f.net_minor),
            expected_completion: f.expected_completion.timestamp_millis(),
            available_at: f.available_at.timestamp_millis(),
            clearance_days: profile.clearance_days,
        });
    let extension = sellerdesk_api::limits::days(order.review_extension_days);
    let auto_complete =
        auto_complete_at(order, profile, extension).map(|at| countdown(at, now, Duration::zero()));
    Ok(OrderDetail {
        buyer_username: order.buyer.username.clone(),
        lines: bd
            .lines
            .iter()
            .map(|l| BreakdownLine {
                kind: match l.kind {
                    LineKind::Base => LineView::Base,
                    LineKind::Extra => LineView::Extra,
                },
                title: l.title.clone(),
                amount_label: money(l.amount_minor),
            })
            .collect(),
        gross_label: money(bd.gross_minor),
        fee_percent: percent(bd.fee_bps),
        fee_label: money(-bd.fee_minor),
        net_label: money(bd.net_minor),
        forecast,
        revisions_included: order.revisions_included,
        revisions_left: revisions_left(order),
        auto_complete,
        requests: order
            .requests
            .iter()
            .map(|r| request_view(r, profile, now))
            .collect(),
        actions: allowed_actions(order, profile, &order.requests, order.review.as_ref(), now)
            .into_iter()
            .map(|rule| ActionView {
                id: action_id(rule.action),
                // The marketplace's own words for its dispute path.
                label: match rule.action {
                    Action::OpenDispute => {
                        sellerdesk_rules::disputes::dispute_route(profile).action_label
                    }
                    other => action_label(other),
                }
                .to_string(),
                allowed: rule.allowed,
                reason: rule.reason,
            })
            .collect(),
        outbox: Vec::new(),
        messages: order
            .messages
            .iter()
            .map(|m| MessageView {
                id: m.id.clone(),
                from: m.from,
                text: m.text.clone(),
                sent_at: m.sent_at.timestamp_millis(),
                pending: false,
            })
            .collect(),
        delivery: None,
        uploads: Vec::new(),
        review: order.review.as_ref().map(|r| ReviewView {
            rating: r.rating,
            text: r.text.clone(),
            reply: r.reply.clone(),
            can_reply: r.reply.is_none(),
        }),
        row,
    })
}

fn request_view(request: &OrderRequest, profile: &Profile, now: DateTime<Utc>) -> RequestView {
    let expires = expires_at(request, profile);
    RequestView {
        id: request.id.clone(),
        kind: request.kind,
        kind_label: kind_label(request.kind).to_string(),
        opened_by: request.opened_by,
        state: request.state,
        message: request.message.clone(),
        expires_at: expires.timestamp_millis(),
        time_left: (request.state == RequestState::Pending && expires > now)
            .then(|| countdown(expires, now, Duration::zero())),
        on_expiry: on_expiry(request.kind).to_string(),
        can_respond: can_respond(request, Party::Seller, profile, now).is_ok(),
    }
}

/// What happens to a request of `kind` nobody answers (the detail and the notifications).
pub(crate) fn on_expiry(kind: RequestKind) -> &'static str {
    match expiry_outcome(kind) {
        ExpiryOutcome::RequestCanceled => {
            "If unanswered, the request is canceled and the order stays as it is."
        }
        ExpiryOutcome::OrderCanceledFundsReturned => {
            "If unanswered, the order is canceled and the buyer refunded."
        }
    }
}

fn bucket_name(bucket: Bucket) -> BucketView {
    match bucket {
        Bucket::Pending => BucketView::Pending,
        Bucket::Clearing => BucketView::Clearing,
        Bucket::Available => BucketView::Available,
    }
}

/// "20 %", "12.5 %".
fn percent(bps: u32) -> String {
    if bps.is_multiple_of(100) {
        format!("{} %", bps / 100)
    } else {
        format!(
            "{}.{} %",
            bps / 100,
            format!("{:02}", bps % 100).trim_end_matches('0')
        )
    }
}

pub(crate) fn kind_label(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::AdditionalWork => "Additional work",
        RequestKind::ChangeOrderTime => "Change order time",
        RequestKind::ProgressUpdate => "Progress update",
        RequestKind::Cancel => "Cancel the order",
        RequestKind::ContractUpdate => "Contract update",
    }
}

fn action_id(action: Action) -> ActionKind {
    match action {
        Action::Accept => ActionKind::Accept,
        Action::Decline => ActionKind::Decline,
        Action::Deliver => ActionKind::Deliver,
        Action::DeliverModified => ActionKind::DeliverModified,
        Action::OpenRequest(RequestKind::AdditionalWork) => ActionKind::OpenAdditionalWork,
        Action::OpenRequest(RequestKind::ChangeOrderTime) => ActionKind::OpenChangeOrderTime,
        Action::OpenRequest(RequestKind::ProgressUpdate) => ActionKind::OpenProgressUpdate,
        Action::OpenRequest(RequestKind::Cancel) => ActionKind::OpenCancel,
        // IZEA's Contract Update is not in `Action::ALL` yet (the rules answer it through
        // `can_open`); until it gets a kind of its own (and regenerated bindings) it is
        // the nearest form, a change of the order's time.
        Action::OpenRequest(RequestKind::ContractUpdate) => ActionKind::OpenChangeOrderTime,
        Action::RespondToRequest => ActionKind::RespondToRequest,
        Action::ReplyToReview => ActionKind::ReplyToReview,
        Action::Cancel => ActionKind::Cancel,
        Action::RequestMoreTime => ActionKind::RequestMoreTime,
        Action::OpenDispute => ActionKind::OpenDispute,
    }
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::Accept => "Accept order",
        Action::Decline => "Decline order",
        Action::Deliver => "Deliver now",
        Action::DeliverModified => "Deliver modified work",
        Action::OpenRequest(RequestKind::AdditionalWork) => "Offer additional work",
        Action::OpenRequest(RequestKind::ChangeOrderTime) => "Change order time",
        Action::OpenRequest(RequestKind::ProgressUpdate) => "Ask for a progress update",
        Action::OpenRequest(RequestKind::Cancel) => "Ask to cancel",
        Action::OpenRequest(RequestKind::ContractUpdate) => "Contract update",
        Action::RespondToRequest => "Respond to request",
        Action::ReplyToReview => "Reply to review",
        Action::Cancel => "Cancel order",
        Action::RequestMoreTime => "Request more time",
        Action::OpenDispute => "Open a dispute",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_orders::{order, t0};
    use crate::view::order_rows;
    use sellerdesk_api::{Extra, OrderStatus};

    fn profile() -> Profile {
        Profile {
            id: "hostjane".into(),
            name: "HostJane".into(),
            fee_bps: 2000,
            review_window_days: 3,
            clearance_days: 5,
            request_expiry_hours: 48,
            max_file_bytes: 5 << 30,
            status_labels: Default::default(),
            notes: vec![],
        }
    }

    fn detail_of(o: &Order, now: DateTime<Utc>) -> OrderDetail {
        let profile = profile();
        let row = order_rows(
            &[("a".into(), o.clone())],
            &|_| Some(&profile),
            now,
            &|_| Duration::zero(),
        )
        .pop()
        .unwrap_or_else(|| panic!("{} is active", o.id));
        order_detail(row, o, &profile, now).unwrap()
    }

    #[test]
    fn breakdown_and_forecast_of_an_order_in_progress() {
        let mut o = order("D-1", 1);
        o.base_price_minor = 12_000;
        o.extras = vec![Extra {
            title: "Source files".into(),
            price_minor: 2_500,
        }];
        let d = detail_of(&o, t0());
        let lines: Vec<(&str, &str)> = d
            .lines
            .iter()
            .map(|l| (l.title.as_str(), l.amount_label.as_str()))
            .collect();
        assert_eq!(
            lines,
            [("Order D-1", "$120.00"), ("Source files", "$25.00")]
        );
        assert_eq!(
            (
                d.gross_label.as_str(),
                d.fee_percent.as_str(),
                d.fee_label.as_str(),
                d.net_label.as_str()
            ),
            ("$145.00", "20 %", "-$29.00", "$116.00")
        );
        let f = d.forecast.expect("an active order has a forecast");
        assert_eq!(f.bucket, BucketView::Pending);
        // Not delivered: due in 2 days, then HostJane's 3-day review, then 5 days' clearance.
        assert_eq!(
            f.expected_completion,
            (t0() + Duration::days(5)).timestamp_millis()
        );
        assert_eq!(
            f.available_at,
            (t0() + Duration::days(10)).timestamp_millis()
        );
        assert!(
            d.actions
                .iter()
                .any(|a| a.id == ActionKind::Deliver && a.allowed),
            "in progress: deliver is allowed"
        );
        for a in &d.actions {
            assert_eq!(
                a.allowed,
                a.reason.is_none(),
                "{:?}: blocked exactly when it has a reason",
                a.id
            );
        }
    }

    #[test]
    fn a_pending_request_shows_its_time_left_and_outcome() {
        let mut o = order("D-2", 1);
        o.requests.push(OrderRequest {
            id: "R1".into(),
            kind: RequestKind::Cancel,
            opened_by: Party::Buyer,
            opened_at: t0() - Duration::hours(47),
            expires_at: t0() + Duration::hours(1),
            state: RequestState::Pending,
            message: "cancel?".into(),
            proposed_due_at: None,
            price_minor: None,
            resolved_at: None,
            form: Default::default(),
        });
        let d = detail_of(&o, t0());
        let r = &d.requests[0];
        assert_eq!(
            r.time_left.as_ref().map(|c| c.label.as_str()),
            Some("1h left"),
            "48 h after opening"
        );
        assert!(r.on_expiry.contains("order is canceled"), "{}", r.on_expiry);
        let deliver = d
            .actions
            .iter()
            .find(|a| a.id == ActionKind::OpenChangeOrderTime)
            .unwrap();
        assert!(!deliver.allowed, "no second request while one is pending");
    }

    #[test]
    fn a_delivered_order_counts_down_to_auto_completion() {
        let mut o = order("D-3", 1);
        o.status = OrderStatus::Delivered;
        o.delivered_at = Some(t0() - Duration::days(1));
        let d = detail_of(&o, t0());
        assert_eq!(
            d.auto_complete.map(|c| c.label),
            Some("2d left".to_string()),
            "HostJane: 3 days exactly after delivering"
        );
    }

    #[test]
    fn percent_table() {
        assert_eq!(percent(2000), "20 %");
        assert_eq!(percent(1250), "12.5 %");
        assert_eq!(percent(505), "5.05 %");
    }
}
