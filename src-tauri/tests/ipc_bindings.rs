//! The window's IPC surface is generated, not typed twice: every `#[tauri::command]` in
//! `src/commands.rs` (name, arguments, result, doc) and every event in `EVENTS` becomes a
//! typed function or payload type in `ui/src/lib/bindings/ipc.ts`. This test writes that
//! file with `UPDATE_BINDINGS=1` and fails when the committed one differs — a command or
//! an event changed in Rust without regenerating — or when the shell emits an event that
//! `EVENTS` does not declare.

use std::collections::BTreeSet;
use std::path::Path;

/// Where the events the window gets are declared.
const EVENTS_FILE: &str = "../crates/app/src/surface.rs";

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug)]
struct Command {
    name: String,
    doc: Vec<String>,
    /// (name as the window sends it, TypeScript type)
    args: Vec<(String, String)>,
    returns: String,
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A Rust type of a command signature as its TypeScript type; the names of generated
/// binding types it needs go to `imports`.
fn ts_type(rust: &str, imports: &mut BTreeSet<String>) -> String {
    let rust = rust.trim();
    let inner = |prefix: &str| -> Option<&str> {
        rust.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('>'))
    };
    if let Some(t) = inner("Option<") {
        return format!("{} | null", ts_type(t, imports));
    }
    if let Some(t) = inner("Vec<") {
        let t = ts_type(t, imports);
        return if t.contains(' ') {
            format!("({t})[]")
        } else {
            format!("{t}[]")
        };
    }
    if let Some(t) = inner("Answer<") {
        return ts_type(t, imports);
    }
    match rust {
        "String" | "&str" => "string".into(),
        "bool" => "boolean".into(),
        "()" => "void".into(),
        "i32" | "i64" | "u32" | "u64" | "usize" | "f64" => "number".into(),
        other => {
            assert!(
                other.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "no TypeScript mapping for the Rust type {other:?}"
            );
            imports.insert(other.to_string());
            other.to_string()
        }
    }
}

/// Splits `a: A, b: Option<B<C, D>>` at the top-level commas.
fn split_params(params: &str) -> Vec<String> {
    let (mut out, mut depth, mut cur) = (Vec::new(), 0i32, String::new());
    for c in params.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

fn commands(source: &str, imports: &mut BTreeSet<String>) -> Vec<Command> {
    let mut out = Vec::new();
    let mut doc = Vec::new();
    let lines: Vec<&str> = source.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.trim().to_string());
        } else if line == "#[tauri::command]" {
            // The signature runs until the body's opening brace.
            let mut sig = String::new();
            i += 1;
            while !sig.trim_end().ends_with('{') {
                sig.push_str(lines[i].trim());
                sig.push(' ');
                i += 1;
            }
            out.push(parse_signature(&sig, std::mem::take(&mut doc), imports));
            continue;
        } else if !line.starts_with("#[") {
            doc.clear();
        }
        i += 1;
    }
    out
}

fn parse_signature(sig: &str, doc: Vec<String>, imports: &mut BTreeSet<String>) -> Command {
    let after_fn = sig.split(" fn ").nth(1).expect("a fn signature");
    let name: String = after_fn
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let open = after_fn.find('(').expect("parameters");
    let mut depth = 0;
    let mut close = open;
    for (k, c) in after_fn[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = open + k;
                    break;
                }
            }
            _ => {}
        }
    }
    let args = split_params(&after_fn[open + 1..close])
        .into_iter()
        .filter_map(|param| {
            let (name, ty) = param.split_once(':')?;
            let ty = ty.trim();
            (!injected(ty)).then(|| (camel(name.trim()), ts_type(ty, imports)))
        })
        .collect();
    let rest = &after_fn[close + 1..];
    let returns = match rest.split_once("->") {
        Some((_, ty)) => ts_type(ty.trim().trim_end_matches('{').trim(), imports),
        None => "void".into(),
    };
    Command {
        name,
        doc,
        args,
        returns,
    }
}

/// What Tauri injects, not the window's arguments: `State<…>`, an `AppHandle`, or an
/// alias of a `State` declared in src/commands.rs (`type S<'a> = State<'a, Session>;`).
fn injected(ty: &str) -> bool {
    static ALIASES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let aliases = ALIASES.get_or_init(|| {
        read("src/commands.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("type "))
            .filter(|l| l.contains("= State<"))
            .filter_map(|l| l.split('<').next().map(|a| format!("{}<", a.trim())))
            .collect()
    });
    ty.starts_with("State<")
        || ty.contains("AppHandle")
        || aliases.iter().any(|a| ty.starts_with(a))
}

/// `EVENTS` in the app's surface: (event name, payload type).
fn events(lib: &str) -> Vec<(String, String)> {
    let start = lib
        .find("pub const EVENTS")
        .expect("EVENTS in crates/app/src/surface.rs");
    let body = &lib[start..lib[start..].find("];").unwrap() + start];
    body.lines()
        .filter_map(|l| {
            let l = l.trim().strip_prefix("(\"")?;
            let (name, rest) = l.split_once('"')?;
            let ty = rest.split('"').nth(1)?;
            Some((name.to_string(), ty.to_string()))
        })
        .collect()
}

fn generate() -> String {
    let mut imports = BTreeSet::new();
    let cmds = commands(&read("src/commands.rs"), &mut imports);
    let evs = events(&read(EVENTS_FILE));
    let mut event_types = BTreeSet::new();
    let evs: Vec<(String, String)> = evs
        .into_iter()
        .map(|(n, t)| (n, ts_type(&t, &mut event_types)))
        .collect();
    imports.extend(event_types);
    let mut out = String::from(
        "// Generated from src-tauri/src/commands.rs and EVENTS in crates/app/src/surface.rs by\n// src-tauri/tests/ipc_bindings.rs: do not edit. Regenerate with\n// `UPDATE_BINDINGS=1 cargo test -p sellerdesk --test ipc_bindings`.\n",
    );
    let names: Vec<&str> = imports.iter().map(String::as_str).collect();
    out.push_str(&format!(
        "import type {{ {} }} from \"./index\";\n\n",
        names.join(", ")
    ));
    out.push_str("/** How the window calls one command (the platform seam passes its own). */\nexport type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n");
    out.push_str("/** Every command of the shell, typed, over `call`. */\nexport function ipcCommands(call: Call) {\n  return {\n");
    for c in &cmds {
        if !c.doc.is_empty() {
            out.push_str(&format!("    /** {} */\n", c.doc.join(" ")));
        }
        let params: Vec<String> = c.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        let args = if c.args.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = c.args.iter().map(|(n, _)| n.as_str()).collect();
            format!(", {{ {} }}", names.join(", "))
        };
        out.push_str(&format!(
            "    {}: ({}): Promise<{}> => call<{}>(\"{}\"{}),\n",
            camel(&c.name),
            params.join(", "),
            c.returns,
            c.returns,
            c.name,
            args
        ));
    }
    out.push_str("  };\n}\n\n/** Every event the shell emits, with its payload. */\nexport type EventPayloads = {\n");
    for (name, ty) in &evs {
        out.push_str(&format!("  \"{name}\": {ty};\n"));
    }
    out.push_str("};\n");
    out
}

#[test]
fn the_ipc_bindings_match_the_shells_commands_and_events() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings/ipc.ts");
    let generated = generate();
    if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/lib/bindings/ipc.ts is out of date with src-tauri/src/commands.rs or EVENTS: run `UPDATE_BINDINGS=1 cargo test -p sellerdesk --test ipc_bindings` and commit it"
    );
}

#[test]
fn every_emitted_event_is_declared() {
    let declared: BTreeSet<String> = events(&read(EVENTS_FILE))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let mut emitted = BTreeSet::new();
    for file in ["src/window.rs", "src/commands.rs", "src/lib.rs"] {
        let text = read(file);
        for piece in text.split("emit(\"").skip(1) {
            emitted.insert(piece.split('"').next().unwrap().to_string());
        }
    }
    assert!(!emitted.is_empty(), "the shell emits events");
    let undeclared: Vec<_> = emitted.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "events emitted but not in EVENTS (so the window has no type for them): {undeclared:?}"
    );
}

#[test]
fn signatures_parse_as_the_window_calls_them() {
    let mut imports = BTreeSet::new();
    let cmd = parse_signature(
        "pub fn order_detail(state: State<'_, AppState>, account_id: Id, order_id: Option<Vec<Id>>) -> Answer<OrderDetail> {",
        vec![],
        &mut imports,
    );
    assert_eq!(cmd.name, "order_detail");
    assert_eq!(
        cmd.args,
        vec![
            ("accountId".to_string(), "Id".to_string()),
            ("orderId".to_string(), "Id[] | null".to_string())
        ]
    );
    assert_eq!(cmd.returns, "OrderDetail");
    assert_eq!(
        imports,
        BTreeSet::from(["Id".to_string(), "OrderDetail".to_string()])
    );
}

#[test]
fn state_aliases_of_commands_rs_are_injected_not_arguments() {
    let mut imports = BTreeSet::new();
    let cmd = parse_signature(
        "pub fn attach_paths(s: S<'_>, paths: Vec<String>) -> Answer<()> {",
        vec![],
        &mut imports,
    );
    assert_eq!(
        cmd.args,
        vec![("paths".to_string(), "string[]".to_string())]
    );
}
