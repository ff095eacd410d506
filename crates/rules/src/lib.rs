//! The order rules of the five marketplaces, as their help pages state them
//! (`shared/seeds/`), written as pure functions of (order, marketplace profile, now).
//!
//! Nothing in this crate reads a clock, a file or the network: the caller passes the
//! instant it means by "now" (the device clock corrected by the server offset), so the
//! core, the simulator and the tests all get the same answers for the same inputs.
//!
//! One module per rule family:
//! - [`status`]: the canonical state machine, lateness and each profile's vocabulary;
//! - [`requests`]: order requests (crackerjack), their expiry and delivery-time extensions;
//! - [`review`]: the buyer's review window, revisions, cancelling and review replies;
//! - [`earnings`]: the itemized breakdown, the forecast and per-period totals;
//! - [`actions`]: which actions the seller may take now, each with a reason when not;
//! - [`buyer`]: the buyer's answers to a delivery, the review window, HostJane's Final Work;
//! - [`disputes`]: each marketplace's dispute / support path;
//! - [`marketplace`]: the per-marketplace choices that `Profile` does not carry yet.
//!
//! Every figure that a seed does not state is marked "assumed:" where it is decided.

pub mod actions;
pub mod buyer;
pub mod disputes;
pub mod earnings;
mod error;
pub mod marketplace;
pub mod requests;
pub mod review;
pub mod status;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod invariants;

pub use actions::{Action, ActionRule, allowed_actions};
pub use buyer::{can_answer_delivery, can_request_revision, final_work_due_at, review_ends_at};
pub use disputes::{DisputeRoute, can_open_dispute, dispute_route};
pub use earnings::{
    Breakdown, Bucket, Forecast, Line, LineKind, Period, PeriodTotal, breakdown,
    expected_completion, fee_minor, forecast, totals_by_month, totals_by_week,
};
pub use error::{Refusal, RuleError};
pub use requests::{
    ExpiryEffect, ExpiryOutcome, NewRequest, OrderRequest, Party, RequestKind, RequestState,
    apply_additional_work, apply_contract_update, apply_extension, can_open, can_respond,
    check_form, expires_at, expiry_outcome, request_more_time, resolve_expired, time_left,
};
pub use review::{
    auto_complete_at, can_deliver_modified, can_reply_to_review, can_seller_cancel,
    extend_review_time, review_time_left, revisions_exceeded, revisions_left,
    status_after_modified,
};
pub use status::{DisputeOutcome, Event, Lateness, is_terminal, lateness, transition};
