//! The API token given in the environment is taken out of it at start, so WebKit's child
//! processes (and anything else the app starts) never inherit it. One test in this
//! binary: it changes the process environment.

use std::process::Command;

#[test]
fn the_env_token_is_read_once_and_not_inherited() {
    const VAR: &str = "SELLERDESK_TEST_TAKEN_TOKEN";
    // SAFETY: the only test of this binary; no other thread reads the environment.
    unsafe { std::env::set_var(VAR, "s3cret") };
    // SAFETY: as above.
    let token = unsafe { sellerdesk_app::env::take_env_var(VAR) };
    assert_eq!(
        token.as_deref(),
        Some("s3cret"),
        "the value reaches the app"
    );
    assert!(
        std::env::var_os(VAR).is_none(),
        "and leaves the environment"
    );
    let child = Command::new("sh")
        .args(["-c", &format!("printf %s \"${{{VAR}-unset}}\"")])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&child.stdout),
        "unset",
        "a child process must not inherit the token"
    );
    assert_eq!(
        sellerdesk_app::env::API_TOKEN_VAR,
        "SELLERDESK_API_TOKEN",
        "main takes the variable the README documents"
    );
}
