//! The window may do only what the UI uses: listen to sellerdesk's own events. Any other
//! Tauri permission (file system, shell, HTTP, opener…) must be a deliberate change here.

use std::path::Path;

/// Every permission the main window is allowed, with why.
const ALLOWED: &[&str] = &[
    "core:event:allow-listen",   // sync-status and orders-changed events
    "core:event:allow-unlisten", // and stop listening when a view goes away
];

#[test]
fn capabilities_grant_nothing_beyond_the_allowed_list() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("src-tauri/capabilities exists") {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let permissions = json["permissions"].as_array().expect("a permissions list");
        for permission in permissions {
            let name = permission
                .as_str()
                .or_else(|| permission["identifier"].as_str())
                .unwrap_or_default();
            assert!(
                ALLOWED.contains(&name),
                "{} grants {name:?}, which is not on the allowed list",
                path.display()
            );
            seen += 1;
        }
        let remote = json.get("remote");
        assert!(
            remote.is_none(),
            "{}: no remote origin may call the app",
            path.display()
        );
    }
    assert!(seen > 0, "the test must have read the capability files");
}

#[test]
fn the_page_is_locked_down_by_csp() {
    let conf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tauri.conf.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(conf).unwrap()).unwrap();
    let csp = json["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP is set");
    assert!(csp.contains("default-src 'self'"), "CSP: {csp}");
    assert!(
        csp.contains("script-src 'self'"),
        "no inline or remote scripts: {csp}"
    );
    // Tauri's own IPC origin is the one http origin allowed (used on some platforms).
    let others = csp.replace("http://ipc.localhost", "");
    assert!(
        !others.contains("http:") && !others.contains("https:"),
        "no remote content: {csp}"
    );
}
