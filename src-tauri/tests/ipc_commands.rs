//! The registered IPC commands, called the way the window calls them (Tauri's mock
//! runtime, origin `tauri://localhost`) over a workspace synced from the simulator: only
//! files the seller picked or dropped get into a draft or a delivery, and a panicking
//! command answers an error instead of taking the app down.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sellerdesk_app::Session;
use sellerdesk_core::store::{Account, DraftContent, DraftFile, Store};
use sellerdesk_core::{AppError, ErrorCode, Workspace, system_clock};
use serde_json::{Value, json};
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

struct Fixture {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    ws: Arc<Workspace>,
    account: String,
    order: String,
    dir: tempfile::TempDir,
    _sim: sellerdesk_sim::RunningSim,
}

/// The app's commands over a workspace with the demo marketplace's orders; `granted`
/// are the files the seller picked.
fn fixture(granted: &[&str]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let sim = tauri::async_runtime::block_on(sellerdesk_sim::spawn(
        sellerdesk_sim::SimConfig::demo(chrono::Utc::now()),
        ([127, 0, 0, 1], 0).into(),
    ))
    .unwrap();
    let store = Store::open(&dir.path().join("sellerdesk.db")).unwrap();
    let account = Account::new("demo", "Demo marketplace", &sim.base_url());
    let token = sim.token().to_string();
    let ws = Arc::new(
        Workspace::with_store(store, vec![(account, token)], true, system_clock()).unwrap(),
    );
    let round = tauri::async_runtime::block_on(ws.sync_once());
    assert!(
        round.error.is_none(),
        "the demo marketplace syncs: {:?}",
        round.error
    );
    let row = ws
        .order_rows()
        .unwrap()
        .into_iter()
        .next()
        .expect("demo orders");
    let rt = tauri::async_runtime::handle().inner().clone();
    let state = Session::for_workspace(&rt, ws.clone(), dir.path().join("exports"));
    state.granted.grant(granted.iter().map(PathBuf::from));
    let app = sellerdesk_shell::with_commands(mock_builder())
        .manage(state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Fixture {
        _app: app,
        window,
        ws,
        account: row.account_id,
        order: row.id,
        dir,
        _sim: sim,
    }
}

/// Calls `cmd` as the window does; `Err` is the command's `AppError`.
fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, AppError> {
    let request = tauri::webview::InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: tauri::test::INVOKE_KEY.to_string(),
    };
    match tauri::test::get_ipc_response(window, request) {
        Ok(body) => Ok(body.deserialize().unwrap()),
        Err(error) => Err(serde_json::from_value(error.clone())
            .unwrap_or_else(|_| panic!("{cmd} must answer an AppError, not {error}"))),
    }
}

fn content_with(path: &Path) -> Value {
    json!({
        "description": "Final files",
        "files": [{ "path": path, "name": "final.zip", "size": 3 }],
        "noFileConfirmed": false,
        "outsidePlatform": false,
        "modified": false,
    })
}

fn load_draft(f: &Fixture) -> Value {
    invoke(
        &f.window,
        "load_draft",
        json!({ "accountId": f.account, "orderId": f.order }),
    )
    .unwrap()
}

#[test]
fn save_draft_refuses_a_file_the_seller_did_not_pick() {
    let f = fixture(&[]);
    let secret = f.dir.path().join("id_ed25519");
    std::fs::write(&secret, "key").unwrap();
    let args = json!({
        "accountId": f.account, "orderId": f.order, "base": null, "content": content_with(&secret),
    });
    let refused =
        invoke(&f.window, "save_draft", args).expect_err("a path never picked must be refused");
    assert_eq!(refused.code, ErrorCode::NotAllowed, "{refused:?}");
    assert!(
        refused.message.contains("id_ed25519"),
        "the error names the file: {refused:?}"
    );
    assert_eq!(load_draft(&f), Value::Null, "nothing may be saved");
}

#[test]
fn save_draft_keeps_a_file_the_seller_picked() {
    let picked = tempfile::NamedTempFile::new().unwrap();
    let path = picked.path().to_str().unwrap();
    let f = fixture(&[path]);
    let args = json!({
        "accountId": f.account, "orderId": f.order, "base": null, "content": content_with(picked.path()),
    });
    invoke(&f.window, "save_draft", args).expect("a picked file is saved");
    let draft = load_draft(&f);
    assert_eq!(
        draft["draft"]["content"]["files"][0]["path"],
        json!(path),
        "{draft}"
    );
}

#[test]
fn submit_delivery_refuses_a_draft_naming_a_file_the_seller_did_not_pick() {
    let f = fixture(&[]);
    // A draft written past the command (an older build, a bug): the delivery must still
    // not upload its file.
    let secret = f.dir.path().join("id_ed25519");
    std::fs::write(&secret, "key").unwrap();
    let content = DraftContent {
        description: "Final files".into(),
        files: vec![DraftFile {
            path: secret.to_str().unwrap().into(),
            name: "id_ed25519".into(),
            size: 3,
        }],
        ..DraftContent::default()
    };
    f.ws.save_draft(&f.account, &f.order, None, &content)
        .unwrap();
    let args = json!({ "accountId": f.account, "orderId": f.order });
    let refused =
        invoke(&f.window, "submit_delivery", args).expect_err("no upload of a file never picked");
    assert_eq!(refused.code, ErrorCode::NotAllowed, "{refused:?}");
    assert!(
        refused.message.contains("id_ed25519"),
        "refused for the file: {refused:?}"
    );
    let detail = f.ws.order_detail(&f.account, &f.order).unwrap();
    assert!(
        detail.delivery.is_none(),
        "no delivery may have been recorded"
    );
    assert_ne!(load_draft(&f), Value::Null, "the draft is kept to fix");
}

#[tauri::command]
fn panicking_command() -> Result<(), AppError> {
    sellerdesk_app::guard::command("panicking_command", || panic!("a bug in a command"))
}

#[tauri::command]
async fn panicking_async_command() -> Result<(), AppError> {
    sellerdesk_app::guard::command_async("panicking_async_command", async {
        panic!("a bug in an async command")
    })
    .await
}

#[tauri::command]
fn still_alive() -> Result<&'static str, AppError> {
    Ok("alive")
}

#[test]
fn a_panicking_command_answers_an_internal_error_and_the_app_goes_on() {
    let app = mock_builder()
        .invoke_handler(tauri::generate_handler![
            panicking_command,
            panicking_async_command,
            still_alive
        ])
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    for cmd in ["panicking_command", "panicking_async_command"] {
        let error = invoke(&window, cmd, json!({})).expect_err("a panic is an error");
        assert_eq!(error.code, ErrorCode::Internal);
        assert_eq!(
            error.message,
            format!("unexpected error in {cmd}, see the log")
        );
    }
    assert_eq!(
        invoke(&window, "still_alive", json!({})).unwrap(),
        json!("alive"),
        "the app must still answer after a command panicked"
    );
}

/// The app's real context: its CSP, and the ACL built from the capability and the app
/// manifest (build.rs).
fn real_context() -> tauri::Context<MockRuntime> {
    tauri::generate_context!("../tauri.conf.json", test = true)
}

#[test]
fn the_capability_lets_the_main_window_call_every_command_and_no_other_window() {
    let f = fixture(&[]);
    let dir = tempfile::tempdir().unwrap();
    let rt = tauri::async_runtime::handle().inner().clone();
    let state = Session::for_workspace(&rt, f.ws.clone(), dir.path().into());
    let app = sellerdesk_shell::with_commands(mock_builder())
        .manage(state)
        .build(real_context())
        .unwrap();
    let main = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let other = WebviewWindowBuilder::new(&app, "other", Default::default())
        .build()
        .unwrap();
    let commands = [
        "app_info",
        "order_page",
        "sync_status",
        "sync_now",
        "order_detail",
        "earnings",
        "order_action",
        "dismiss_action",
        "save_invoice",
        "save_invoice_as",
        "export_month_invoices",
        "export_csv",
        "load_draft",
        "save_draft",
        "discard_draft",
        "pick_delivery_files",
        "attach_paths",
        "list_accounts",
        "alert_settings",
        "save_alert_settings",
        "needs_response_count",
        "add_account",
        "remove_account",
        "submit_delivery",
        "list_uploads",
        "pause_upload",
        "resume_upload",
        "cancel_upload",
    ];
    for cmd in commands {
        // Arguments are left out: a granted command then fails on them, after the ACL.
        let answer = raw_invoke(&main, cmd, json!({}));
        if let Err(error) = &answer {
            assert!(
                !error.to_string().contains("not allowed"),
                "the main window must be allowed {cmd}: {error}"
            );
        }
        let denied = raw_invoke(&other, cmd, json!({})).expect_err("another window is refused");
        assert!(
            denied.to_string().contains("not allowed"),
            "a window the capability does not name must not call {cmd}: {denied}"
        );
    }
}

fn raw_invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<(), Value> {
    let request = tauri::webview::InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: tauri::test::INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(window, request).map(|_| ())
}
