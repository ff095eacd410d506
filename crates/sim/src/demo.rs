//! Demo data: 30 realistic orders across every status, due from 3 days overdue to a
//! month ahead, all relative to the simulator's start so countdowns look the same on
//! every run. Deterministic: no randomness.

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Buyer, Extra, Order, OrderStatus};

use OrderStatus::*;

/// (title, buyer display name, username, country, base price in cents, extras,
///  status, due relative to start in minutes, revisions included/used)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [(&'static str, i64)],
    OrderStatus,
    i64,
    (u32, u32),
);

const H: i64 = 60;
const D: i64 = 24 * H;

const ROWS: [Row; 30] = [
    // D-1001 and D-1002 are relied on by the app's end-to-end test: keep them exactly.
    ("Minimalist logo for a coffee roastery", "Zoë Müller", "zoe_m", "DE", 12_000, &[("Source files", 2_500)], InProgress, 2 * D + 4 * H + 30, (3, 0)),
    ("Podcast episode edit (45 min)", "Marcus Reed", "marcusreed", "US", 8_500, &[], InProgress, -(3 * H + 20), (2, 0)),
    ("WordPress plugin conflict fix", "José Álvarez", "jalvarez", "ES", 6_000, &[("Express 24h", 2_000)], InProgress, 18 * H, (1, 0)),
    ("Voice-over for a 60 s explainer", "Aiko Tanaka", "aiko_t", "JP", 15_000, &[("Commercial rights", 5_000)], InProgress, 5 * D + 2 * H, (2, 1)),
    ("Translate landing page EN→PL", "Łukasz Nowak", "lnowak", "PL", 4_500, &[], InProgress, 9 * D, (1, 0)),
    ("SEO audit for an online bakery", "Priya Sharma", "priya.s", "IN", 22_000, &[("Keyword plan", 6_000)], InProgress, 12 * D, (1, 0)),
    ("Book cover design (fantasy)", "Liam O'Connor", "liamoc", "IE", 18_000, &[("Print-ready PDF", 3_000)], InProgress, 20 * D, (3, 1)),
    ("Shopify theme speed optimisation", "Chloé Dubois", "chloe_d", "FR", 30_000, &[], InProgress, -(2 * D + 6 * H), (2, 0)),
    ("Resume rewrite for a data analyst", "Ahmed Hassan", "ahassan", "EG", 7_500, &[], InProgress, 7 * H + 15, (2, 0)),
    ("Instagram carousel templates", "Sofia Rossi", "sofiarossi", "IT", 9_000, &[("Extra 5 slides", 2_000)], Accepted, 3 * D, (2, 0)),
    ("Python script to clean CSV exports", "Noah Williams", "noahw", "CA", 11_000, &[], Accepted, 6 * D + 12 * H, (1, 0)),
    ("Product photo retouching (20 images)", "Emma Johansson", "emmaj", "SE", 6_500, &[], Accepted, 28 * D, (2, 0)),
    ("Mobile app UI mockups (5 screens)", "Chen Wei", "chenwei", "CN", 40_000, &[("Figma file", 5_000)], AwaitingAcceptance, 14 * D, (3, 0)),
    ("Intro jingle for a podcast", "Olivia Brown", "oliviab", "GB", 12_500, &[], AwaitingAcceptance, 10 * D, (2, 0)),
    ("Proofread a 10,000-word thesis", "Mateus Silva", "mateus.s", "BR", 9_500, &[], AwaitingAcceptance, 4 * D, (1, 0)),
    ("Email newsletter template (HTML)", "Hannah Schmidt", "hschmidt", "AT", 8_000, &[], AwaitingAcceptance, 30 * D, (2, 0)),
    ("Brand style guide (12 pages)", "Yusuf Demir", "ydemir", "TR", 25_000, &[], PendingRequirements, 16 * D, (2, 0)),
    ("Transcribe 3 interviews", "Grace Kim", "gracekim", "KR", 5_500, &[], PendingRequirements, 2 * D + 20 * H, (1, 0)),
    ("Logo animation (5 s)", "Lucas Martin", "lucasm", "FR", 9_000, &[], Delivered, -(1 * D), (2, 0)),
    ("Blog post: remote-work tips", "Isabella Garcia", "isagarcia", "MX", 4_000, &[], Delivered, -(2 * H), (1, 0)),
    ("Fix responsive menu on a React site", "Ethan Clarke", "eclarke", "AU", 7_000, &[], Delivered, 1 * D, (2, 1)),
    ("Audio cleanup for a webinar", "Mia Novak", "mianovak", "CZ", 6_000, &[], Delivered, -(3 * D), (1, 0)),
    ("Business card design", "Omar Farouk", "ofarouk", "MA", 3_500, &[("Double-sided", 1_000)], RevisionRequested, 1 * D + 8 * H, (3, 2)),
    ("Spanish subtitles for a short film", "Valentina López", "vlopez", "AR", 13_000, &[], RevisionRequested, 3 * D + 4 * H, (2, 1)),
    ("Landing page copywriting", "Jakob Nielsen", "jnielsen", "DK", 16_000, &[], Disputed, -(2 * D), (2, 2)),
    ("Podcast cover art", "Amara Okafor", "amarao", "NG", 5_000, &[], Completed, -(10 * D), (2, 1)),
    ("Excel dashboard for sales data", "Ravi Patel", "ravip", "IN", 14_000, &[("Macro automation", 4_000)], Completed, -(6 * D), (1, 0)),
    ("Voice message greeting (IVR)", "Sarah Cohen", "scohen", "IL", 3_000, &[], Completed, -(20 * D), (1, 0)),
    ("Mascot illustration", "Kenji Watanabe", "kenjiw", "JP", 20_000, &[], Canceled, 2 * D, (2, 0)),
    ("Website migration to a new host", "Anna Kowalska", "annak", "PL", 17_500, &[], Canceled, -(1 * D), (1, 0)),
];

/// The demo orders as of `start`, with seq 1..=30 in id order.
pub fn demo_orders(start: DateTime<Utc>) -> Vec<Order> {
    ROWS.iter()
        .enumerate()
        .map(|(i, row)| {
            let (title, name, user, country, base, extras, status, due_min, (rev_in, rev_used)) = *row;
            let due_at = start + Duration::minutes(due_min);
            let created_at = due_at.min(start) - Duration::days(3 + (i as i64 % 5));
            let delivered_at = matches!(status, Delivered | Completed | RevisionRequested | Disputed)
                .then(|| (due_at - Duration::hours(6)).min(start - Duration::hours(1 + i as i64 % 7)));
            let completed_at = (status == Completed).then(|| delivered_at.unwrap_or(due_at) + Duration::days(3));
            Order {
                id: format!("D-{}", 1001 + i),
                title: title.to_string(),
                buyer: Buyer {
                    username: user.to_string(),
                    display_name: name.to_string(),
                    country: Some(country.to_string()),
                },
                status,
                currency: "USD".to_string(),
                base_price_minor: base,
                extras: extras
                    .iter()
                    .map(|(t, p)| Extra { title: (*t).to_string(), price_minor: *p })
                    .collect(),
                revisions_included: rev_in,
                revisions_used: rev_used,
                created_at,
                due_at,
                delivered_at,
                completed_at,
                updated_at: start,
                seq: i as u64 + 1,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn thirty_orders_across_every_status() {
        let orders = demo_orders(Utc::now());
        assert_eq!(orders.len(), 30);
        let mut by_status: BTreeMap<OrderStatus, usize> = BTreeMap::new();
        for o in &orders {
            *by_status.entry(o.status).or_default() += 1;
        }
        for status in OrderStatus::ALL {
            assert!(by_status.contains_key(&status), "demo data must show {status:?}");
        }
        assert_eq!(orders.iter().filter(|o| o.status.is_active()).count(), 25);
    }

    #[test]
    fn e2e_fixtures_are_stable() {
        let start = Utc::now();
        let orders = demo_orders(start);
        let logo = &orders[0];
        assert_eq!((logo.id.as_str(), logo.title.as_str()), ("D-1001", "Minimalist logo for a coffee roastery"));
        assert_eq!(logo.due_at - start, Duration::minutes(2 * D + 4 * H + 30));
        assert_eq!(logo.gross_minor(), 14_500);
        assert_eq!(orders[1].due_at - start, -Duration::minutes(3 * H + 20));
    }
}
