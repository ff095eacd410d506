//! What the app accepts from a marketplace, decided once, next to the wire types.
//!
//! Decoding only proves a value has the right shape; a well-typed value can still be
//! absurd (a price of `i64::MAX`, a due date in the year 262000, a review window of
//! `u32::MAX` days) and make a sum or a `DateTime + Duration` overflow later. Every
//! [`Order`] and [`Profile`] is checked here right after decoding; whatever passes can be
//! added, summed and shown without overflow anywhere else:
//!
//! - every instant lies in [`MIN_INSTANT_YEAR`, `MAX_INSTANT_YEAR`), so adding any
//!   duration below [`MAX_SPAN_DAYS`] stays far inside chrono's range;
//! - every amount lies in `0..=MAX_AMOUNT_MINOR` and an order's gross too, so even a
//!   million orders sum without overflow;
//! - every count and text is bounded, so the list, the PDF and the database stay small.
//!
//! The checks never panic, whatever the value.

use chrono::{DateTime, Datelike, Duration, Utc};

use crate::{Buyer, Extra, Message, Order, OrderRequest, Profile, Review};

/// Earliest year of any instant on an order.
pub const MIN_INSTANT_YEAR: i32 = 2000;
/// Instants must be before the start of this year.
pub const MAX_INSTANT_YEAR: i32 = 2200;
/// Largest amount (a price, an extra, a request's price, an order's gross), in minor
/// units: 10 billion in a two-decimal currency.
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000;
/// Longest duration any rule adds to an instant (review window, clearance, extension,
/// request expiry), in days.
pub const MAX_SPAN_DAYS: u32 = 3_650;
/// Longest request expiry, in hours (a year).
pub const MAX_REQUEST_EXPIRY_HOURS: u32 = 24 * 366;
/// Largest fee: the whole price.
pub const MAX_FEE_BPS: u32 = 10_000;
/// Largest file a marketplace may accept per delivery file (1 TiB).
pub const MAX_FILE_BYTES: u64 = 1 << 40;
/// Most revisions an order may include or have used.
pub const MAX_REVISIONS: u32 = 10_000;
/// Ids (orders, requests, messages): 1 to this many bytes, no control characters.
pub const MAX_ID_BYTES: usize = 128;
/// A title, a name, a label.
pub const MAX_TITLE_CHARS: usize = 1_000;
/// A chat message, a review, a request's message, a note from the buyer or support.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Extras on one order.
pub const MAX_EXTRAS: usize = 500;
/// Requests ever opened on one order.
pub const MAX_REQUESTS: usize = 1_000;
/// Messages in one order's chat.
pub const MAX_MESSAGES: usize = 20_000;
/// Labels and notes of a profile.
pub const MAX_PROFILE_ENTRIES: usize = 100;
/// Largest difference between the device clock and the marketplace's `Date` that is
/// believed; beyond it the server's clock is ignored (and logged), not stored.
pub const MAX_CLOCK_SKEW: Duration = Duration::days(7);

/// Why a decoded value was refused: which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field, self.reason)
    }
}

impl std::error::Error for Invalid {}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        reason: reason.into(),
    }
}

/// `at + span`, or `None` when the result leaves chrono's range.
pub fn add(at: DateTime<Utc>, span: Duration) -> Option<DateTime<Utc>> {
    at.checked_add_signed(span)
}

/// `days` as a duration, capped at [`MAX_SPAN_DAYS`] (a validated profile never is).
pub fn days(days: u32) -> Duration {
    Duration::days(i64::from(days.min(MAX_SPAN_DAYS)))
}

/// `hours` as a duration, capped at [`MAX_SPAN_DAYS`] (a validated profile never is).
pub fn hours(hours: u32) -> Duration {
    Duration::hours(i64::from(hours.min(MAX_SPAN_DAYS * 24)))
}

/// Checks an instant lies in the accepted years.
pub fn check_instant(field: &str, at: DateTime<Utc>) -> Result<(), Invalid> {
    let year = at.year();
    if (MIN_INSTANT_YEAR..MAX_INSTANT_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("is in the year {year}, outside {MIN_INSTANT_YEAR} to {MAX_INSTANT_YEAR}"),
        ))
    }
}

/// Checks an amount lies in `0..=MAX_AMOUNT_MINOR`.
pub fn check_amount(field: &str, minor: i64) -> Result<(), Invalid> {
    if (0..=MAX_AMOUNT_MINOR).contains(&minor) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("is {minor}, outside 0 to {MAX_AMOUNT_MINOR} minor units"),
        ))
    }
}

/// Checks an id: 1 to [`MAX_ID_BYTES`] bytes, no control characters.
pub fn check_id(field: &str, id: &str) -> Result<(), Invalid> {
    if id.is_empty() || id.len() > MAX_ID_BYTES {
        return Err(invalid(
            field,
            format!("must be 1 to {MAX_ID_BYTES} bytes long"),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(invalid(field, "contains control characters"));
    }
    Ok(())
}

/// Checks a text is at most `max` characters.
pub fn check_text(field: &str, text: &str, max: usize) -> Result<(), Invalid> {
    // Bytes bound characters from above: only count when it can matter.
    if text.len() > max && text.chars().count() > max {
        return Err(invalid(field, format!("is longer than {max} characters")));
    }
    Ok(())
}

fn check_count(field: &str, n: usize, max: usize) -> Result<(), Invalid> {
    if n > max {
        return Err(invalid(field, format!("has {n} entries, more than {max}")));
    }
    Ok(())
}

fn check_at_most(field: &str, n: u64, max: u64) -> Result<(), Invalid> {
    if n > max {
        return Err(invalid(field, format!("is {n}, more than {max}")));
    }
    Ok(())
}

impl Order {
    /// Base package plus extras, or `None` when the sum overflows.
    pub fn checked_gross_minor(&self) -> Option<i64> {
        self.extras
            .iter()
            .try_fold(self.base_price_minor, |sum, e| {
                sum.checked_add(e.price_minor)
            })
    }

    /// Checks every field against the limits above. A valid order's sums, dates plus
    /// durations and texts are safe everywhere in the app.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_id("id", &self.id)?;
        check_text("title", &self.title, MAX_TITLE_CHARS)?;
        check_buyer(&self.buyer)?;
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid(
                "currency",
                format!(
                    "{:?} is not a three-letter ISO 4217 code",
                    preview(&self.currency)
                ),
            ));
        }
        check_amount("base_price_minor", self.base_price_minor)?;
        check_count("extras", self.extras.len(), MAX_EXTRAS)?;
        for (i, extra) in self.extras.iter().enumerate() {
            check_extra(i, extra)?;
        }
        match self.checked_gross_minor() {
            Some(gross) => check_amount("total (base plus extras)", gross)?,
            None => return Err(invalid("total (base plus extras)", "does not fit")),
        }
        check_at_most(
            "revisions_included",
            self.revisions_included.into(),
            MAX_REVISIONS.into(),
        )?;
        check_at_most(
            "revisions_used",
            self.revisions_used.into(),
            MAX_REVISIONS.into(),
        )?;
        check_at_most(
            "review_extension_days",
            self.review_extension_days.into(),
            MAX_SPAN_DAYS.into(),
        )?;
        check_instant("created_at", self.created_at)?;
        check_instant("due_at", self.due_at)?;
        check_instant("updated_at", self.updated_at)?;
        if let Some(at) = self.delivered_at {
            check_instant("delivered_at", at)?;
        }
        if let Some(at) = self.completed_at {
            check_instant("completed_at", at)?;
        }
        check_count("requests", self.requests.len(), MAX_REQUESTS)?;
        for (i, request) in self.requests.iter().enumerate() {
            check_request(i, request)?;
        }
        if let Some(review) = &self.review {
            check_review(review)?;
        }
        check_count("messages", self.messages.len(), MAX_MESSAGES)?;
        for (i, message) in self.messages.iter().enumerate() {
            check_message(i, message)?;
        }
        if i64::try_from(self.seq).is_err() {
            return Err(invalid(
                "seq",
                format!("{} does not fit a database integer", self.seq),
            ));
        }
        Ok(())
    }
}

fn check_buyer(buyer: &Buyer) -> Result<(), Invalid> {
    check_text("buyer.username", &buyer.username, MAX_TITLE_CHARS)?;
    check_text("buyer.display_name", &buyer.display_name, MAX_TITLE_CHARS)?;
    if let Some(country) = &buyer.country {
        check_text("buyer.country", country, MAX_TITLE_CHARS)?;
    }
    Ok(())
}

fn check_extra(i: usize, extra: &Extra) -> Result<(), Invalid> {
    check_text(&format!("extras[{i}].title"), &extra.title, MAX_TITLE_CHARS)?;
    check_amount(&format!("extras[{i}].price_minor"), extra.price_minor)
}

fn check_request(i: usize, r: &OrderRequest) -> Result<(), Invalid> {
    let field = |name: &str| format!("requests[{i}].{name}");
    check_id(&field("id"), &r.id)?;
    check_instant(&field("opened_at"), r.opened_at)?;
    check_instant(&field("expires_at"), r.expires_at)?;
    check_text(&field("message"), &r.message, MAX_TEXT_CHARS)?;
    if let Some(at) = r.proposed_due_at {
        check_instant(&field("proposed_due_at"), at)?;
    }
    if let Some(price) = r.price_minor {
        check_amount(&field("price_minor"), price)?;
    }
    if let Some(at) = r.resolved_at {
        check_instant(&field("resolved_at"), at)?;
    }
    if let Some(at) = r.form.proposed_start_at {
        check_instant(&field("form.proposed_start_at"), at)?;
    }
    if let Some(n) = r.form.revisions_included {
        check_at_most(
            &field("form.revisions_included"),
            n.into(),
            MAX_REVISIONS.into(),
        )?;
    }
    if let Some(change) = r.form.price_change_minor {
        check_amount(&field("form.price_change_minor"), change.saturating_abs())?;
    }
    Ok(())
}

fn check_review(review: &Review) -> Result<(), Invalid> {
    if !(1..=5).contains(&review.rating) {
        return Err(invalid(
            "review.rating",
            format!("is {}, outside 1 to 5", review.rating),
        ));
    }
    check_text("review.text", &review.text, MAX_TEXT_CHARS)?;
    check_instant("review.posted_at", review.posted_at)?;
    if let Some(reply) = &review.reply {
        check_text("review.reply", reply, MAX_TEXT_CHARS)?;
    }
    Ok(())
}

fn check_message(i: usize, m: &Message) -> Result<(), Invalid> {
    check_id(&format!("messages[{i}].id"), &m.id)?;
    check_text(&format!("messages[{i}].text"), &m.text, MAX_TEXT_CHARS)?;
    check_instant(&format!("messages[{i}].sent_at"), m.sent_at)
}

impl Profile {
    /// Checks the marketplace's rules are within what the app can compute with.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_id("id", &self.id)?;
        check_text("name", &self.name, MAX_TITLE_CHARS)?;
        check_at_most("fee_bps", self.fee_bps.into(), MAX_FEE_BPS.into())?;
        check_at_most(
            "review_window_days",
            self.review_window_days.into(),
            MAX_SPAN_DAYS.into(),
        )?;
        check_at_most(
            "clearance_days",
            self.clearance_days.into(),
            MAX_SPAN_DAYS.into(),
        )?;
        if self.request_expiry_hours == 0 {
            return Err(invalid("request_expiry_hours", "is 0"));
        }
        check_at_most(
            "request_expiry_hours",
            self.request_expiry_hours.into(),
            MAX_REQUEST_EXPIRY_HOURS.into(),
        )?;
        if self.max_file_bytes == 0 {
            return Err(invalid("max_file_bytes", "is 0"));
        }
        check_at_most("max_file_bytes", self.max_file_bytes, MAX_FILE_BYTES)?;
        check_count(
            "status_labels",
            self.status_labels.len(),
            MAX_PROFILE_ENTRIES,
        )?;
        for (status, label) in &self.status_labels {
            check_text(
                &format!("status_labels.{}", status.as_str()),
                label,
                MAX_TITLE_CHARS,
            )?;
        }
        check_count("notes", self.notes.len(), MAX_PROFILE_ENTRIES)?;
        for (i, note) in self.notes.iter().enumerate() {
            check_text(&format!("notes[{i}]"), note, MAX_TEXT_CHARS)?;
        }
        Ok(())
    }
}

/// The clock offset to believe: `server - device` when within [`MAX_CLOCK_SKEW`],
/// otherwise `None` (the device's clock is kept).
pub fn believable_offset(server: DateTime<Utc>, device: DateTime<Utc>) -> Option<Duration> {
    let offset = server.signed_duration_since(device);
    (offset.abs() <= MAX_CLOCK_SKEW).then_some(offset)
}

/// The start of a text for error messages (at most 40 characters).
fn preview(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests;
