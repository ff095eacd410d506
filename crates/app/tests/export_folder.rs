//! The export folder a seller chooses: exports land there, it is kept across sessions,
//! "Show in folder" may show only what lies inside it, and a folder that disappeared
//! falls back to the default instead of failing every export.

use std::sync::Arc;

use chrono::Utc;
use sellerdesk_app::Session;
use sellerdesk_core::ErrorCode;
use sellerdesk_core::exports::CsvKind;
use sellerdesk_core::store::{Account, Store};
use sellerdesk_core::{Workspace, system_clock};

#[test]
fn exports_go_to_the_chosen_folder_and_only_its_files_can_be_shown() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = rt
        .block_on(sellerdesk_sim::spawn(
            sellerdesk_sim::SimConfig::demo(Utc::now()),
            ([127, 0, 0, 1], 0).into(),
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");
    let open = || {
        let account = Account::new("demo", "Demo", &sim.base_url());
        let store = Store::open(&db).unwrap();
        let accounts = vec![(account, sim.token().to_string())];
        Arc::new(Workspace::with_store(store, accounts, false, system_clock()).unwrap())
    };
    let ws = open();
    rt.block_on(ws.sync_once());
    let default = dir.path().join("default-exports");
    let session = Session::for_workspace(rt.handle(), ws, default.clone());
    assert_eq!(
        session.export_dir(),
        default,
        "the default until one is chosen"
    );

    let chosen = dir.path().join("Accounting");
    std::fs::create_dir(&chosen).unwrap();
    let kept = session.choose_export_folder(&chosen).unwrap();
    assert_eq!(kept, chosen.canonicalize().unwrap().display().to_string());
    let saved = session
        .export_csv(CsvKind::Orders, "2000-01-01", "2100-12-31")
        .unwrap();
    assert!(
        std::path::Path::new(&saved.path).starts_with(chosen.canonicalize().unwrap()),
        "{} is in the chosen folder",
        saved.path
    );
    session
        .revealable(&saved.path)
        .expect("an export can be shown");

    let outside = dir.path().join("sellerdesk.db");
    let refused = session
        .revealable(&outside.display().to_string())
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed, "{}", refused.message);
    let escape = format!("{}/../sellerdesk.db", chosen.display());
    assert_eq!(
        session.revealable(&escape).unwrap_err().code,
        ErrorCode::NotAllowed
    );
    let missing = session.choose_export_folder(&dir.path().join("nope"));
    assert!(missing.is_err(), "a folder that does not exist is refused");
    drop(session);

    // The next session (same database) remembers the choice...
    let session = Session::for_workspace(rt.handle(), open(), default.clone());
    assert_eq!(session.export_dir(), chosen.canonicalize().unwrap());
    // ...and falls back to the default once the chosen folder is gone.
    std::fs::remove_dir_all(&chosen).unwrap();
    assert_eq!(session.export_dir(), default);
    let saved = session
        .export_csv(CsvKind::Orders, "2000-01-01", "2100-12-31")
        .expect("exports still work");
    assert!(saved.path.starts_with(&*default.display().to_string()));
}
