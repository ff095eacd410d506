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

/// A workspace on the database file `db` with one account "demo" ("Ana Seller") at the
/// simulator `sim` — what the export and invoice tests reopen across "restarts".
pub fn seller_workspace(db: &std::path::Path, sim: &sellerdesk_sim::RunningSim) -> Workspace {
    let account = Account::new("demo", "Ana Seller", &sim.base_url());
    Workspace::with_store(
        Store::open(db).unwrap(),
        vec![(account, sim.token().to_string())],
        false,
        system_clock(),
    )
    .unwrap()
}

/// A PDF's text as pdftotext reads it (layout kept).
pub fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: scripts/install.sh does it");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8(out.stdout).unwrap()
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
