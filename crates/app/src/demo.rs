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

/// Starts every demo marketplace, their clocks at the device's now.
pub fn start(rt: &Handle) -> Result<Vec<DemoMarketplace>, AppError> {
    let now = chrono::Utc::now();
    DEMO_MARKETPLACES
        .iter()
        .map(|&(profile, id, label)| {
            let config = SimConfig::demo(now).with_buyer();
            let config = SimConfig {
                profile_id: profile.to_string(),
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
