//! sellerdesk desktop shell: opens the window and wires it to the core. Everything the
//! app does lives in `sellerdesk-core`; this crate only starts things and forwards. It is
//! a library too, so tests drive the registered commands through Tauri's mock runtime.

pub mod commands;
pub mod guard;
mod logging;
mod notifier;
pub mod startup;
pub mod tray;

pub use sellerdesk_core::{grants as granted, instance};

use tauri::{Manager, Runtime};

/// Every event the shell emits to the window, with its payload's Rust type; the window's
/// `EventPayloads` is generated from it (tests/ipc_bindings.rs, which also fails on an
/// emitted event missing here).
pub const EVENTS: &[(&str, &str)] = &[
    ("changes", "ChangeBatch"),
    ("sync-status", "SyncStatus"),
    ("upload-progress", "UploadProgress"),
    ("needs-response", "usize"),
    ("alerts", "Vec<Alert>"),
    ("open-order", "OrderKey"),
];

/// Registers every IPC command: the list `build.rs` puts in the app manifest and the
/// capability grants one by one (`tests/capabilities.rs` checks the three agree).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::list_orders,
        commands::order_rows_of,
        commands::find_orders,
        commands::sync_status,
        commands::sync_now,
        commands::order_detail,
        commands::earnings,
        commands::order_action,
        commands::dismiss_action,
        commands::save_invoice,
        commands::save_invoice_as,
        commands::export_month_invoices,
        commands::export_csv,
        commands::load_draft,
        commands::save_draft,
        commands::discard_draft,
        commands::pick_delivery_files,
        commands::attach_paths,
        commands::list_accounts,
        commands::alert_settings,
        commands::save_alert_settings,
        commands::business_profile,
        commands::save_business_profile,
        commands::needs_response_count,
        commands::alerts_inbox,
        commands::add_account,
        commands::remove_account,
        commands::submit_delivery,
        commands::list_uploads,
        commands::pause_upload,
        commands::resume_upload,
        commands::cancel_upload,
        commands::start_at_login,
        commands::set_start_at_login
    ])
}

/// Runs the app. `api_token` is `SELLERDESK_API_TOKEN`, already out of the environment.
pub fn run(api_token: Option<String>) -> anyhow::Result<()> {
    guard::log_panics();
    let context = tauri::generate_context!("../tauri.conf.json");
    let identifier = context.config().identifier.clone();
    let data_dir = startup::data_dir(&identifier)?;
    let single_instance = tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance::dbus_id(&identifier, &data_dir))
        .callback(|app, _args, _cwd| {
            guard::callback("second instance", || startup::focus_main(app));
        })
        .build();
    let grants = granted::GrantedFiles::persisted(data_dir.join(granted::GRANTS_FILE));
    let builder = tauri::Builder::default()
        // First, as its docs ask: a second process on this data folder focuses this one.
        .plugin(single_instance)
        .plugin(tauri_plugin_dialog::init())
        // Size and position, saved at exit and when the window is closed to the tray.
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_filename(data_dir.join("window-state.json").to_string_lossy())
                .with_state_flags(tray::WINDOW_STATE)
                .build(),
        )
        // Off until the seller turns it on in Settings (`set_start_at_login`).
        .plugin(tauri_plugin_autostart::Builder::new().build())
        .manage(grants)
        // Files dropped on the window are the seller's to attach (the window gets the same
        // drop as `tauri://drag-drop` and asks the core to attach them).
        .on_window_event(|window, event| {
            guard::callback("window event", || {
                tray::on_window_event(window, event);
                if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) =
                    event
                {
                    window
                        .state::<granted::GrantedFiles>()
                        .grant(paths.iter().cloned());
                }
            });
        })
        .setup(move |app| {
            match instance::lock_waiting(&data_dir, std::time::Duration::from_secs(3)) {
                instance::Lock::Taken(lock) => {
                    app.manage(lock);
                }
                instance::Lock::HeldByAnother => {
                    // The plugin found no first instance to hand over to (no session bus,
                    // another session): refuse rather than share the database.
                    eprintln!(
                        "sellerdesk is already running on {}; not starting a second one",
                        data_dir.display()
                    );
                    app.cleanup_before_exit();
                    std::process::exit(0);
                }
                instance::Lock::Unavailable(e) => {
                    eprintln!("cannot lock {}: {e}; starting anyway", data_dir.display());
                }
            }
            let state = guard::command("start-up", || startup::start(app, &data_dir, api_token))
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "start-up failed");
                    startup::AppState::failed(e, data_dir.join("exports"))
                });
            app.manage(state);
            if let Err(e) = tray::install(app.handle()) {
                tracing::warn!(error = %e, "no tray icon; closing the window quits");
            }
            Ok(())
        });
    with_commands(builder).run(context)?;
    Ok(())
}
