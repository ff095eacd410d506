//! Several marketplace accounts in one workspace, their tokens in a real Secret Service
//! keychain (gnome-keyring on a private D-Bus session): two simulators with different
//! rules are added, synced and merged; the tokens are found again after a restart and
//! never appear in the database; removing an account takes its token and orders away.
//!
//! The test runs itself again under `dbus-run-session` with an unlocked gnome-keyring,
//! so it never touches the user's session bus or keyring.

use std::path::Path;
use std::process::Command;

use chrono::Utc;
use sellerdesk_core::store::Store;
use sellerdesk_core::vault::{TokenHome, Vault};
use sellerdesk_core::{ErrorCode, Workspace, system_clock};
use sellerdesk_sim::SimConfig;

const CHILD_ENV: &str = "SELLERDESK_KEYCHAIN_CHILD";
const TEST: &str = "accounts_live_in_the_keychain_and_merge_in_one_workspace";

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn empty_workspace(db: &Path) -> Workspace {
    Workspace::with_store(Store::open(db).unwrap(), vec![], false, system_clock()).unwrap()
}

#[test]
fn accounts_live_in_the_keychain_and_merge_in_one_workspace() {
    if std::env::var_os(CHILD_ENV).is_some() {
        tokio::runtime::Runtime::new().unwrap().block_on(child());
        return;
    }
    for tool in ["dbus-run-session", "gnome-keyring-daemon"] {
        assert!(
            Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .status()
                .is_ok_and(|s| s.success()),
            "{tool} is missing: scripts/install.sh installs dbus and gnome-keyring"
        );
    }
    let me = std::env::current_exe().unwrap();
    let home = tempfile::tempdir().unwrap();
    let status = Command::new("dbus-run-session")
        .arg("--")
        .arg("sh")
        .arg("-c")
        // An unlocked login keyring in a private HOME, then this test again.
        .arg(
            "printf test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
             && exec \"$0\" --exact \"$1\" --nocapture --test-threads=1",
        )
        .arg(&me)
        .arg(TEST)
        .env(CHILD_ENV, "1")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_RUNTIME_DIR", home.path())
        .status()
        .expect("dbus-run-session runs");
    assert!(status.success(), "the keychain run failed: {status}");
}

async fn child() {
    let fiverr = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let mut hostjane_config = SimConfig::demo(Utc::now());
    hostjane_config.profile_id = "hostjane".into();
    hostjane_config.token = "tok-HOSTJANE-77e1".into();
    let hostjane = sellerdesk_sim::spawn(hostjane_config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let service = format!("sellerdesk-test-{}", std::process::id());
    let vault = Vault::keychain(&service);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");

    let ws = empty_workspace(&db);
    // Addresses: https, or plain http to this computer only.
    for bad in [
        "http://marketplace.example.com",
        "ftp://127.0.0.1/x",
        "not a url",
    ] {
        let err = ws
            .add_account("Bad", bad, "tok", &vault)
            .expect_err("refused");
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad}: {}", err.message);
    }
    let a = ws
        .add_account("Fiverr shop", &fiverr.base_url(), fiverr.token(), &vault)
        .unwrap();
    let b = ws
        .add_account("HostJane", &hostjane.base_url(), hostjane.token(), &vault)
        .unwrap();
    assert_eq!(a.token_home, Some(TokenHome::Keychain), "{a:?}");
    assert_eq!(b.token_home, Some(TokenHome::Keychain), "{b:?}");
    assert!(ws.sync_once().await.error.is_none());
    let rows = ws.order_rows().unwrap();
    let marketplaces: std::collections::BTreeSet<_> =
        rows.iter().map(|r| r.marketplace.as_str()).collect();
    assert_eq!(
        marketplaces.len(),
        2,
        "both marketplaces in one list, each with its badge: {marketplaces:?}"
    );
    assert_eq!(
        rows.iter().filter(|r| r.account_id == a.id).count(),
        25,
        "the first account's active orders"
    );
    drop(ws);

    // Restart: the accounts come back from SQLite, their tokens from the keychain.
    let ws = empty_workspace(&db);
    for account in ws.store().accounts().unwrap() {
        let (token, home) = vault
            .token(&account.id)
            .expect("the token is in the keychain");
        assert_eq!(home, TokenHome::Keychain);
        ws.connect_account(account, &token, home).unwrap();
    }
    assert!(
        ws.sync_once().await.error.is_none(),
        "synced after a restart"
    );
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for token in [fiverr.token(), hostjane.token()] {
            assert!(
                !contains(&bytes, token),
                "a token must never reach the database"
            );
        }
    }

    // Removing an account takes its orders and its keychain entry.
    ws.remove_account(&b.id, &vault).unwrap();
    assert!(vault.token(&b.id).is_none(), "the token left the keychain");
    assert!(
        ws.order_rows()
            .unwrap()
            .iter()
            .all(|r| r.account_id == a.id),
        "its orders are gone"
    );
    assert_eq!(ws.accounts().unwrap().len(), 1);
    ws.remove_account(&a.id, &vault).unwrap();
    assert!(vault.token(&a.id).is_none());
    fiverr.shutdown().await;
    hostjane.shutdown().await;
}

#[tokio::test]
async fn without_a_keychain_the_token_is_kept_in_memory_and_the_seller_told() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ws = empty_workspace(&dir.path().join("s.db"));
    let vault = Vault::memory_only();
    let added = ws
        .add_account("Shop", &sim.base_url(), sim.token(), &vault)
        .unwrap();
    assert!(
        matches!(&added.token_home, Some(TokenHome::MemoryOnly { reason }) if !reason.is_empty()),
        "{added:?}"
    );
    assert!(ws.sync_once().await.error.is_none(), "it still syncs");
    sim.shutdown().await;
}
