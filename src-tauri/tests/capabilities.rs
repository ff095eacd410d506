//! The window may do only what the UI uses: call sellerdesk's own commands, each granted
//! by name, and listen to sellerdesk's own events. Any other Tauri permission (file
//! system, shell, HTTP, opener…) must be a deliberate change here. The page itself is
//! locked down by its CSP, read directive by directive.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every permission beyond the commands the main window is allowed, with why.
const ALLOWED: &[&str] = &[
    "core:event:allow-listen",   // sync-status and orders-changed events
    "core:event:allow-unlisten", // and stop listening when a view goes away
];

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text between `start` and the next `end` in `text`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found"))
        + start.len();
    let len = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not found"));
    &text[from..from + len]
}

/// The commands the app registers: `generate_handler![…]` in src/lib.rs.
fn registered_commands() -> Vec<String> {
    let lib = read("src/lib.rs");
    between(&lib, "generate_handler![", "]")
        .split(',')
        .map(|path| path.trim().rsplit("::").next().unwrap().to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The commands of the app manifest: every `#[tauri::command]` in src/commands.rs (what
/// build.rs reads).
fn manifest_commands() -> Vec<String> {
    let source = read("src/commands.rs");
    let mut lines = source.lines();
    let mut out = Vec::new();
    while let Some(line) = lines.next() {
        if line.trim() == "#[tauri::command]" {
            let signature = lines.next().unwrap();
            let after = signature.split(" fn ").nth(1).unwrap();
            out.push(
                after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out
}

fn capability() -> serde_json::Value {
    serde_json::from_str(&read("capabilities/default.json")).unwrap()
}

fn permissions_of(capability: &serde_json::Value) -> Vec<String> {
    capability["permissions"]
        .as_array()
        .expect("a permissions list")
        .iter()
        .map(|p| {
            p.as_str()
                .or_else(|| p["identifier"].as_str())
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn the_manifest_lists_exactly_the_registered_commands() {
    let registered = registered_commands();
    let manifest = manifest_commands();
    assert_eq!(
        registered.len(),
        39,
        "the app has 39 commands: {registered:?}"
    );
    assert_eq!(
        manifest, registered,
        "build.rs's app manifest must list the commands src/lib.rs registers, in order"
    );
}

#[test]
fn the_capability_grants_each_command_by_name_and_nothing_else() {
    let capability = capability();
    let granted = permissions_of(&capability);
    let unique: BTreeSet<&String> = granted.iter().collect();
    assert_eq!(
        unique.len(),
        granted.len(),
        "no permission twice: {granted:?}"
    );
    let mut expected: BTreeSet<String> = ALLOWED.iter().map(|p| p.to_string()).collect();
    expected.extend(
        registered_commands()
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-"))),
    );
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        expected,
        "the capability must grant every command by name, plus the allowed list, and nothing else"
    );
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(
        capability.get("remote").is_none(),
        "no remote origin may call the app"
    );
}

#[test]
fn there_is_one_capability_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(
        files.len(),
        1,
        "another capability file would grant beyond what these tests read"
    );
}

/// The CSP as directive → sources.
fn csp() -> BTreeMap<String, Vec<String>> {
    let conf: serde_json::Value = serde_json::from_str(&read("../tauri.conf.json")).unwrap();
    let text = conf["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP is set");
    let mut directives = BTreeMap::new();
    for directive in text.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let mut words = directive.split_ascii_whitespace();
        let name = words.next().unwrap().to_ascii_lowercase();
        let sources: Vec<String> = words.map(str::to_string).collect();
        assert!(
            directives.insert(name.clone(), sources).is_none(),
            "{name} given twice: the browser would ignore the second"
        );
    }
    directives
}

#[test]
fn the_page_is_locked_down_by_csp() {
    let csp = csp();
    let sources = |name: &str| {
        csp.get(name)
            .unwrap_or_else(|| panic!("no {name} in {csp:?}"))
    };
    assert_eq!(
        sources("default-src"),
        &["'self'"],
        "only the app's own content"
    );
    assert_eq!(
        sources("script-src"),
        &["'self'"],
        "no inline, eval'd or remote scripts"
    );
    // Tauri's IPC: the `ipc:` scheme, and its http origin on platforms that need it.
    let ipc = ["ipc:", "http://ipc.localhost"];
    assert!(
        sources("connect-src")
            .iter()
            .all(|s| ipc.contains(&s.as_str())),
        "the page may only talk to the app's IPC: {:?}",
        sources("connect-src")
    );
    // What each directive may name: the app itself, inline styles (Svelte's), data: images.
    let allowed: &[(&str, &[&str])] = &[
        ("default-src", &["'self'"]),
        ("script-src", &["'self'"]),
        ("style-src", &["'self'", "'unsafe-inline'"]),
        ("img-src", &["'self'", "data:"]),
        ("connect-src", &ipc),
    ];
    for (name, list) in &csp {
        let Some((_, ok)) = allowed.iter().find(|(n, _)| n == name) else {
            panic!("{name} is not a directive this app sets: review it here");
        };
        for source in list {
            assert!(
                ok.contains(&source.as_str()),
                "{name} may not allow {source}: no remote content, no eval, no wildcard"
            );
        }
    }
    assert!(
        !csp.values()
            .flatten()
            .any(|s| s == "'unsafe-eval'" || s.contains('*')),
        "no eval and no wildcard anywhere"
    );
}
