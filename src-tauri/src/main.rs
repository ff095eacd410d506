//! The `sellerdesk` binary: takes the API token out of the environment, then runs the
//! shell (`lib.rs`).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // SAFETY: first thing in main, before any thread exists that could read the
    // environment concurrently.
    let api_token =
        unsafe { sellerdesk_app::env::take_env_var(sellerdesk_app::env::API_TOKEN_VAR) };
    if let Err(e) = sellerdesk_shell::run(api_token) {
        eprintln!("sellerdesk could not start: {e}");
        std::process::exit(1);
    }
}
