//! The 30 deterministic demo orders: a freelancer's plausible week, every status
//! represented, due dates from 3 days overdue to a month ahead of the start time.
//! D-1001 and D-1002 are fixed: the app's end-to-end test relies on them.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Buyer, Extra, Message, Order, OrderStatus, Party};

use OrderStatus::{
    Accepted, AwaitingAcceptance as Awaiting, Canceled, Completed, Delivered, Disputed, InProgress,
    PendingRequirements as Pending, RevisionRequested as Revision,
};

/// (username, display name, ISO 3166 country)
const BUYERS: [(&str, &str, &str); 14] = [
    ("zoe_m", "Zoë Müller", "DE"),
    ("jalvarez", "José Álvarez", "ES"),
    ("lukasz_n", "Łukasz Nowak", "PL"),
    ("priya_k", "Priya Kapoor", "IN"),
    ("tomharris", "Tom Harris", "US"),
    ("amelie_d", "Amélie Dubois", "FR"),
    ("chenwei88", "Chen Wei", "SG"),
    ("sarah_oc", "Sarah O'Connor", "IE"),
    ("kwame_a", "Kwame Asante", "GH"),
    ("mika_v", "Mika Virtanen", "FI"),
    ("bjorn_s", "Björn Svensson", "SE"),
    ("ngoc_anh", "Trần Ngọc Anh", "VN"),
    ("d_roberts", "Danielle Roberts", "CA"),
    ("oliverb", "Oliver Brown", "GB"),
];

/// Minutes: `m(days, hours, minutes)`.
const fn m(days: i64, hours: i64, minutes: i64) -> i64 {
    (days * 24 + hours) * 60 + minutes
}

/// One demo order. Times are minutes relative to the start; delivery and completion
/// times are derived from `created` and the status.
struct Row {
    title: &'static str,
    buyer: usize,
    status: OrderStatus,
    base: i64,
    extras: &'static [(&'static str, i64)],
    revisions: (u32, u32),
    /// (created, due)
    when: (i64, i64),
}

const fn row(
    title: &'static str,
    buyer: usize,
    status: OrderStatus,
    base: i64,
    extras: &'static [(&'static str, i64)],
    revisions: (u32, u32),
    when: (i64, i64),
) -> Row {
    Row {
        title,
        buyer,
        status,
        base,
        extras,
        revisions,
        when,
    }
}

#[rustfmt::skip]
const ROWS: [Row; 30] = [
    row("Minimalist logo for a coffee roastery", 0, InProgress, 12_000, &[("Source files", 2_500)], (3, 0), (m(-3, 0, 0), m(2, 4, 30))),
    row("Podcast episode edit (45 min)", 1, InProgress, 8_500, &[], (2, 0), (m(-4, 0, 0), m(0, -3, -20))),
    row("Fix WordPress white screen after plugin update", 4, Awaiting, 6_000, &[], (1, 0), (m(0, -2, 0), m(5, 0, 0))),
    row("Voice-over for a 60-second explainer video", 7, InProgress, 15_000, &[("Commercial use rights", 5_000)], (2, 1), (m(-5, 0, 0), m(1, 0, 0))),
    row("Translate product pages English to German (2,000 words)", 10, Accepted, 16_000, &[], (2, 0), (m(-1, 0, 0), m(7, 0, 0))),
    row("SEO audit for a Shopify store", 3, Delivered, 22_000, &[("Competitor keyword report", 4_000)], (1, 0), (m(-5, 0, 0), m(1, 0, 0))),
    row("Brand style guide (12 pages)", 5, InProgress, 45_000, &[("Extra fast delivery", 10_000)], (3, 1), (m(-3, 0, 0), m(4, 6, 0))),
    row("Podcast intro and outro music mix", 8, Pending, 7_000, &[], (2, 0), (m(0, -6, 0), m(10, 0, 0))),
    row("Speed up a WooCommerce checkout", 13, Completed, 9_500, &[], (1, 0), (m(-12, 0, 0), m(-2, 0, 0))),
    row("Spanish subtitles for a YouTube video", 1, InProgress, 5_500, &[], (2, 0), (m(-2, 0, 0), m(12, 0, 0))),
    row("Landing page copy for a SaaS launch", 12, Revision, 18_000, &[("Two headline variants", 3_000)], (2, 1), (m(-6, 0, 0), m(2, 0, 0))),
    row("Illustrated book cover", 9, Awaiting, 35_000, &[("Print-ready PDF", 3_000)], (3, 0), (m(0, -1, 0), m(14, 0, 0))),
    row("Audiobook chapter mastering (ACX)", 6, Delivered, 11_000, &[], (1, 0), (m(-4, 0, 0), m(3, 0, 0))),
    row("Migrate WordPress site to a new host", 2, InProgress, 12_500, &[("Database cleanup", 3_000)], (1, 0), (m(-10, 0, 0), m(-3, 0, 0))),
    row("Keyword research (50 keywords)", 11, Canceled, 7_500, &[], (1, 0), (m(-9, 0, 0), m(-1, 0, 0))),
    row("Explainer video script", 4, Accepted, 9_000, &[], (2, 0), (m(0, -20, 0), m(6, 0, 0))),
    row("Instagram carousel templates (10)", 5, InProgress, 6_500, &[], (3, 0), (m(-1, 0, 0), m(8, 0, 0))),
    row("Polish to English contract translation", 2, Disputed, 14_000, &[], (1, 1), (m(-15, 0, 0), m(-2, -12, 0))),
    row("Remove background noise from interview audio", 0, Delivered, 4_500, &[("Extra fast delivery", 2_000)], (2, 0), (m(-6, 0, 0), m(0, 18, 0))),
    row("Fix mobile menu on a WordPress theme", 13, Awaiting, 4_000, &[], (1, 0), (m(0, -3, 0), m(21, 0, 0))),
    row("French voice-over for an e-learning module", 5, InProgress, 20_000, &[], (2, 0), (m(-4, 0, 0), m(5, 0, 0))),
    row("Technical SEO fixes (Core Web Vitals)", 3, Pending, 30_000, &[("Monthly report", 5_000), ("Extra fast delivery", 7_500)], (1, 0), (m(-1, 0, 0), m(9, 0, 0))),
    row("Business card design", 10, Completed, 3_500, &[], (3, 2), (m(-8, 0, 0), m(-1, 0, 0))),
    row("Podcast show notes and transcript", 8, Revision, 5_000, &[], (2, 2), (m(-7, 0, 0), m(1, 12, 0))),
    row("Custom WordPress plugin: booking form", 12, InProgress, 60_000, &[("Admin dashboard", 15_000)], (3, 0), (m(-5, 0, 0), m(30, 0, 0))),
    row("Japanese to English app strings translation", 6, Accepted, 8_000, &[], (1, 0), (m(-2, 0, 0), m(11, 0, 0))),
    row("YouTube thumbnail pack (5)", 7, Delivered, 5_000, &[], (2, 1), (m(-3, 0, 0), m(2, 0, 0))),
    row("Logo animation (5 seconds)", 11, Canceled, 9_500, &[], (2, 0), (m(-2, 0, 0), m(4, 0, 0))),
    row("Local SEO setup: Google Business Profile", 9, Awaiting, 8_000, &[], (1, 0), (m(0, -1, 0), m(18, 0, 0))),
    row("Newsletter template in Mailchimp", 1, Completed, 7_000, &[("Source files", 1_500)], (2, 1), (m(-14, 0, 0), m(-3, 0, 0))),
];

/// The demo orders for a simulator whose clock starts at `start`: ids D-1001…D-1030,
/// seq 1…30 in id order, prices in USD cents. Deterministic: same start, same orders.
pub fn demo_orders(start: DateTime<Utc>) -> Vec<Order> {
    ROWS.iter()
        .zip(1u64..)
        .map(|(row, seq)| {
            let mut order = row.order(start, seq);
            crate::demo_requests::attach(&mut order, start);
            attach_chat(&mut order);
            order
        })
        .collect()
}

/// A few chat messages on the first orders, so the demo's chat is not empty.
fn attach_chat(order: &mut Order) {
    let lines: &[(Party, &str)] = match order.id.as_str() {
        "D-1001" => &[
            (
                Party::Buyer,
                "Hi! Could the logo work on a dark background too? Our cups are black.",
            ),
            (
                Party::Seller,
                "Sure — I'll include a light version for dark backgrounds.",
            ),
            (Party::Buyer, "Perfect, thank you!"),
        ],
        "D-1002" => &[(
            Party::Buyer,
            "No rush, but could you send a first draft before the weekend?",
        )],
        _ => &[],
    };
    let created = order.created_at;
    for (n, (from, text)) in lines.iter().enumerate() {
        // Spread over the first hours of the order, never after its last change.
        let sent_at = (created + Duration::minutes(30 * (n as i64 + 1))).min(order.updated_at);
        order.messages.push(Message {
            id: format!("{}-M{}", order.id, n + 1),
            from: *from,
            text: text.to_string(),
            sent_at,
        });
    }
}

impl Row {
    fn order(&self, start: DateTime<Utc>, seq: u64) -> Order {
        // Saturates rather than panics for a start at the very end of chrono's range.
        let at = |minutes: i64| {
            start
                .checked_add_signed(Duration::minutes(minutes))
                .unwrap_or(start)
        };
        let (created, due) = self.when;
        // Events happen at fixed fractions of the time between creation and start.
        let delivered = created - created * 3 / 5;
        let later = created - created * 4 / 5;
        let delivered_at = matches!(self.status, Delivered | Revision | Completed | Disputed)
            .then(|| at(delivered));
        let completed_at = (self.status == Completed).then(|| at(later));
        let updated = match self.status {
            Awaiting | Pending => created,
            _ => later,
        };
        let (username, display_name, country) = BUYERS[self.buyer % BUYERS.len()];
        Order {
            id: format!("D-{}", 1000 + seq),
            title: self.title.to_string(),
            buyer: Buyer {
                username: username.to_string(),
                display_name: display_name.to_string(),
                country: Some(country.to_string()),
            },
            status: self.status,
            currency: "USD".to_string(),
            base_price_minor: self.base,
            extras: self
                .extras
                .iter()
                .map(|(title, price)| Extra {
                    title: title.to_string(),
                    price_minor: *price,
                })
                .collect(),
            revisions_included: self.revisions.0,
            revisions_used: self.revisions.1,
            created_at: at(created),
            due_at: at(due),
            delivered_at,
            completed_at,
            requests: Vec::new(),
            review: None,
            messages: Vec::new(),
            review_extension_days: 0,
            updated_at: at(updated),
            seq,
        }
    }
}

#[cfg(test)]
#[path = "demo_tests.rs"]
mod tests;
