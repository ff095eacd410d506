//! sellerdesk desktop shell: opens the window and adapts it to the app. Everything the
//! app does lives in `sellerdesk-app` and `sellerdesk-core`; this crate registers the
//! commands, the plugins, the tray and the window as the app's surface. It is a library
//! too, so tests drive the registered commands through Tauri's mock runtime.

pub mod commands;
pub mod tray;
pub mod window;

use std::sync::Arc;

use sellerdesk_app::{Session, guard};
use sellerdesk_core::instance;
use tauri::{DragDropEvent, Manager, Runtime};

/// Registers every IPC command: the list `build.rs` puts in the app manifest and the
/// capability grants one by one (`tests/capabilities.rs` checks the three agree).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    use commands::*;
    builder.invoke_handler(tauri::generate_handler![
        app_info,
        order_page,
        find_orders,
        sync_status,
        sync_now,
        order_detail,
        earnings,
        order_action,
        dismiss_action,
        save_invoice,
        save_invoice_as,
        export_month_invoices,
        export_csv,
        export_folder,
        choose_export_folder,
        show_in_folder,
        load_draft,
        save_draft,
        discard_draft,
        pick_delivery_files,
        attach_paths,
        list_accounts,
        alert_settings,
        save_alert_settings,
        business_profile,
        save_business_profile,
        needs_response_count,
        alerts_inbox,
        add_account,
        marketplaces,
        test_connection,
        remove_account,
        submit_delivery,
        list_uploads,
        pause_upload,
        resume_upload,
        cancel_upload,
        start_at_login,
        set_start_at_login
    ])
}

/// Runs the app. `api_token` is `SELLERDESK_API_TOKEN`, already out of the environment.
pub fn run(api_token: Option<String>) -> anyhow::Result<()> {
    guard::log_panics();
    let context = tauri::generate_context!("../tauri.conf.json");
    let identifier = context.config().identifier.clone();
    let data_dir = sellerdesk_app::env::data_dir(&identifier)?;
    let single_instance = tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance::dbus_id(&identifier, &data_dir))
        .callback(|app, _args, _cwd| {
            guard::callback("second instance", || window::focus_main(app));
        })
        .build();
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
        // Files dropped on the window are the seller's to attach (the window gets the same
        // drop as `tauri://drag-drop` and asks the core to attach them).
        .on_window_event(|window, event| {
            guard::callback("window event", || {
                tray::on_window_event(window, event);
                if let tauri::WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event
                    && let Some(session) = window.try_state::<Session>()
                {
                    session.granted.grant(paths.iter().cloned());
                }
            });
        })
        .setup(move |app| {
            match sellerdesk_app::background::lock_data_dir(&data_dir) {
                Ok(lock) => app.manage(lock),
                // The plugin found no first instance to hand over to (no session bus,
                // another session): refuse rather than share the database.
                Err(_) => {
                    app.cleanup_before_exit();
                    std::process::exit(0);
                }
            };
            let rt = tauri::async_runtime::handle().inner().clone();
            let surface = Arc::new(window::WindowSurface {
                app: app.handle().clone(),
            });
            app.manage(sellerdesk_app::start(&rt, &data_dir, api_token, surface));
            if let Err(e) = tray::install(app.handle()) {
                tracing::warn!(error = %e, "no tray icon; closing the window quits");
            }
            Ok(())
        });
    with_commands(builder).run(context)?;
    Ok(())
}
