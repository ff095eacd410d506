//! The embedded demo: with no marketplace configured the app runs its own simulators on
//! loopback, each with a seeded buyer playing on its clock, so a newcomer sees real
//! orders, requests and the sync without an account.

use sellerdesk_core::store::{Account, DEMO_ACCOUNT_ID};
use sellerdesk_core::{AppError, ErrorCode};
use sellerdesk_sim::{RunningSim, SimConfig};
use tokio::runtime::Handle;

/// One demo marketplace: its simulator and the account that reaches it.
pub struct DemoMarketplace {
    pub sim: RunningSim,
    pub account: Account,
    pub token: String,
}

/// The demo marketplaces, one per seed profile, so a newcomer sees several accounts and
/// each marketplace's rules: (profile id, account id, label).
pub const DEMO_MARKETPLACES: &[(&str, &str, &str)] = &[
    ("fiverr", DEMO_ACCOUNT_ID, "Demo marketplace"),
    ("podcasterpros", "demo-podcasterpros", "Demo PodcasterPros"),
    ("crackerjack", "demo-crackerjack", "Demo crackerjack"),
    ("izea", "demo-izea", "Demo IZEA"),
    ("hostjane", "demo-hostjane", "Demo HostJane"),
];

/// Which of the 30 demo orders each demo marketplace seeds (in [`DEMO_MARKETPLACES`]'
/// order): six each, every order once, so the list reads like one seller's week across
/// five marketplaces rather than five copies of it. Each share has orders to act on (a
/// new order or a buyer's request) and a finished one.
pub const DEMO_SHARES: [[&str; 6]; 5] = [
    // Fiverr-like: a late delivery, a new order, a cancel request, a progress update
    // expiring within the hour, a completed order with its review.
    ["D-1001", "D-1003", "D-1007", "D-1009", "D-1014", "D-1017"],
    // PodcasterPros: the audio work — late by hours, waiting for requirements, delivered,
    // a revision, a completed order with its review.
    ["D-1002", "D-1008", "D-1013", "D-1019", "D-1024", "D-1030"],
    // crackerjack: translations and voice-overs — the seller's own extra-work offer, a
    // change-of-time request, an expired one, a canceled order.
    ["D-1005", "D-1010", "D-1015", "D-1016", "D-1021", "D-1026"],
    // IZEA: content — due within a day, a revision, a new order, a canceled one.
    ["D-1004", "D-1011", "D-1012", "D-1022", "D-1027", "D-1028"],
    // HostJane: web work — delivered, in dispute, two new orders, a completed order whose
    // review already has the seller's one reply.
    ["D-1006", "D-1018", "D-1020", "D-1023", "D-1025", "D-1029"],
];

/// Starts every demo marketplace, their clocks at the device's now.
pub fn start(rt: &Handle) -> Result<Vec<DemoMarketplace>, AppError> {
    let now = chrono::Utc::now();
    DEMO_MARKETPLACES
        .iter()
        .zip(DEMO_SHARES)
        .map(|(&(profile, id, label), share)| {
            let config = SimConfig::demo(now).with_buyer();
            let config = SimConfig {
                profile_id: profile.to_string(),
                demo_ids: Some(share.iter().map(|id| id.to_string()).collect()),
                ..config
            };
            let sim = rt
                .block_on(sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into()))
                .map_err(|e| {
                    let why = format!("cannot start the embedded demo marketplace: {e}");
                    AppError::new(ErrorCode::Internal, why)
                })?;
            let url = sim.base_url();
            tracing::info!(%url, profile, "embedded demo marketplace started");
            Ok(DemoMarketplace {
                account: Account::new(id, label, &url),
                token: sim.token().to_string(),
                sim,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerdesk_core::view::soonest_deadline;

    #[test]
    fn the_shares_split_the_demo_orders_and_each_has_something_to_answer() {
        let orders = sellerdesk_sim::demo_orders(chrono::Utc::now());
        let mut all: Vec<&str> = DEMO_SHARES.iter().flatten().copied().collect();
        all.sort_unstable();
        let mut ids: Vec<&str> = orders.iter().map(|o| o.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(all, ids, "every demo order in exactly one share");
        for (share, (profile, ..)) in DEMO_SHARES.iter().zip(DEMO_MARKETPLACES) {
            let mine: Vec<_> = orders
                .iter()
                .filter(|o| share.contains(&o.id.as_str()))
                .collect();
            assert!(
                mine.iter().filter(|o| o.status.is_active()).count() >= 4,
                "{profile} shows a list"
            );
            assert!(
                mine.iter().any(|o| soonest_deadline(o).is_some()),
                "{profile} has a deadline running"
            );
        }
    }
}
