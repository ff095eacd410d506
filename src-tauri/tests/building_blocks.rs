//! The shell's building blocks on their own: the panic guard, the list of files the
//! seller granted, and the per-data-folder instance id (the lock's two-process test is
//! `instance_lock.rs`).

use std::path::{Path, PathBuf};

use sellerdesk_app::guard::{callback, command};
use sellerdesk_core::grants::{GRANTS_FILE, GrantedFiles};
use sellerdesk_core::instance::dbus_id;
use sellerdesk_core::{AppError, ErrorCode};

#[test]
fn a_panicking_body_becomes_an_internal_error() {
    let result: Result<(), AppError> = command("list_orders", || panic!("a bug"));
    let error = result.expect_err("a panic must come back as an error");
    assert_eq!(error.code, ErrorCode::Internal);
    assert_eq!(
        error.message,
        "unexpected error in list_orders, see the log"
    );
    assert_eq!(
        command("list_orders", || Ok(7)),
        Ok(7),
        "no panic, same value"
    );
}

#[test]
fn a_panicking_callback_returns_its_default() {
    let value: Option<u8> = callback("window event", || panic!("a bug"));
    assert_eq!(value, None, "the panic must stop at the callback");
}

#[test]
fn only_granted_paths_pass() {
    let granted = GrantedFiles::default();
    granted.grant([PathBuf::from("/home/ana/final.zip")]);
    assert!(granted.is_granted(Path::new("/home/ana/final.zip")));
    assert!(!granted.is_granted(Path::new("/home/ana/.ssh/id_ed25519")));
    assert!(
        !granted.is_granted(Path::new("/home/ana/../ana/final.zip")),
        "no path tricks: only the exact path handed over"
    );
    let refused = granted
        .check(["/home/ana/final.zip", "/home/ana/.ssh/id_ed25519"])
        .expect_err("one file not granted refuses the lot");
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(
        refused.message.contains("/home/ana/.ssh/id_ed25519"),
        "{refused}"
    );
}

#[test]
fn grants_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(GRANTS_FILE);
    GrantedFiles::persisted(file.clone()).grant([PathBuf::from("/home/ana/final.zip")]);
    let again = GrantedFiles::persisted(file);
    assert!(
        again.is_granted(Path::new("/home/ana/final.zip")),
        "a draft's files must still upload after a restart"
    );
    assert!(!again.is_granted(Path::new("/home/ana/other.zip")));
}

#[test]
fn the_dbus_id_is_one_per_data_folder() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let id = dbus_id("app.sellerdesk.desktop", a.path());
    assert_eq!(
        id,
        dbus_id("app.sellerdesk.desktop", &a.path().join(".")),
        "two spellings of one folder must give one id"
    );
    assert_ne!(
        id,
        dbus_id("app.sellerdesk.desktop", b.path()),
        "apps on two folders must not find each other"
    );
    let last = id.rsplit('.').next().unwrap();
    assert!(
        last.starts_with('i') && last[1..].chars().all(|c| c.is_ascii_hexdigit()),
        "a D-Bus name element may not start with a digit: {id}"
    );
}
