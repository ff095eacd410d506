//! Test support for end-to-end tests through the real window: a private Xvfb display,
//! tauri-driver in front of WebKitWebDriver, and a small W3C WebDriver client.

pub mod display;
pub mod file_manager;
pub mod notifications;
pub mod webdriver;

use std::path::PathBuf;

/// The `sellerdesk` binary built next to this test (`cargo build -p sellerdesk` first),
/// or `SELLERDESK_BIN`.
pub fn app_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("SELLERDESK_BIN") {
        return PathBuf::from(bin);
    }
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/<test>-<hash> → target/<profile>/sellerdesk
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("test binary lives in target/<profile>/deps");
    let bin = profile_dir.join("sellerdesk");
    assert!(
        bin.exists(),
        "{} is missing: build the app first with `cargo build -p sellerdesk` (the README test command does)",
        bin.display()
    );
    bin
}

/// `tauri-driver` from `TAURI_DRIVER`, the PATH, or `~/.cargo/bin`.
pub fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let in_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("tauri-driver"))
            .find(|p| p.exists())
    });
    let home_bin =
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"));
    let found = in_path.or(home_bin.filter(|p| p.exists()));
    found.expect("tauri-driver not found: `cargo install tauri-driver --locked` (the README setup command does)")
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}
