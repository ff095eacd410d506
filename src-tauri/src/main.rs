//! sellerdesk desktop shell: opens the window and wires it to the core. Everything the
//! app does lives in `sellerdesk-core`; this crate only starts things and forwards.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod granted;
mod logging;
mod notifier;
mod startup;
mod uploads;

fn main() {
    let context = tauri::generate_context!("../tauri.conf.json");
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(granted::GrantedFiles::default())
        // Files dropped on the window are the seller's to attach (the window gets the same
        // drop as `tauri://drag-drop` and asks the core to attach them).
        .on_window_event(|window, event| {
            use tauri::Manager;
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                window
                    .state::<granted::GrantedFiles>()
                    .grant(paths.iter().cloned());
            }
        })
        .setup(|app| {
            startup::start(app)?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_orders,
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
            commands::needs_response_count,
            commands::add_account,
            commands::remove_account,
            uploads::submit_delivery,
            uploads::list_uploads,
            uploads::pause_upload,
            uploads::resume_upload,
            uploads::cancel_upload
        ])
        .run(context);
    if let Err(e) = result {
        eprintln!("sellerdesk could not start: {e}");
        std::process::exit(1);
    }
}
