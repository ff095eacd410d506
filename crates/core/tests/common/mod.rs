//! Helpers shared by the core's integration tests against the simulator.
#![allow(dead_code)] // each test binary uses its own subset

pub mod http;
pub mod uploads;

use sellerdesk_core::Workspace;
use sellerdesk_core::detail::{OrderDetail, OutboxView};
use sellerdesk_core::store::{Account, Store};
use sellerdesk_core::system_clock;

/// A workspace on an in-memory database with one account "acct" at `base_url`.
pub fn workspace(base_url: &str, token: &str) -> Workspace {
    let account = Account::new("acct", "Test", base_url);
    Workspace::with_store(
        Store::open_in_memory().unwrap(),
        vec![(account, token.to_string())],
        false,
        system_clock(),
    )
    .unwrap()
}

/// The order's refused outbox item, whose error must contain `reason`.
pub fn refused<'a>(detail: &'a OrderDetail, reason: &str) -> &'a OutboxView {
    let item = detail
        .outbox
        .iter()
        .find(|i| i.state == sellerdesk_core::detail::OutboxViewState::Failed)
        .expect("the refused action is shown on the order");
    assert!(
        item.error.as_deref().is_some_and(|e| e.contains(reason)),
        "{item:?} should say {reason:?}"
    );
    item
}
