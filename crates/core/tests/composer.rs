//! The delivery composer's checks through the workspace, with the demo marketplace's
//! rules synced: files are checked when attached, drafts are saved over their version.

use chrono::Utc;
use sellerdesk_core::store::{Account, DraftContent, Store};
use sellerdesk_core::{ErrorCode, Workspace, system_clock};
use sellerdesk_sim::SimConfig;

#[tokio::test]
async fn attached_files_are_checked_before_anything_is_queued() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = Workspace::with_store(
        Store::open_in_memory().unwrap(),
        vec![(
            Account::new("demo", "Demo", &sim.base_url()),
            sim.token().to_string(),
        )],
        false,
        system_clock(),
    )
    .unwrap();
    assert!(ws.sync_once().await.error.is_none());
    let dir = tempfile::tempdir().unwrap();

    let small = dir.path().join("logo final.png");
    std::fs::write(&small, vec![7u8; 4096]).unwrap();
    let file = ws.attachable_file("demo", &small).unwrap();
    assert_eq!((file.name.as_str(), file.size), ("logo final.png", 4096));

    // 5 GiB + 1 byte, sparse: refused at once, with the seed's advice.
    let huge = dir.path().join("raw footage.mov");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len((5u64 << 30) + 1)
        .unwrap();
    let err = ws.attachable_file("demo", &huge).unwrap_err();
    assert_eq!(err.code, ErrorCode::TooLarge);
    assert!(
        err.message.contains("raw footage.mov") && err.message.contains("5 GB"),
        "{}",
        err.message
    );
    assert!(err.message.contains("download link"), "{}", err.message);

    for (path, why) in [
        (dir.path().join("missing.zip"), "cannot read"),
        (dir.path().to_path_buf(), "is not a file"),
        (
            std::path::PathBuf::from("relative/logo.png"),
            "not a full path",
        ),
    ] {
        let err = ws.attachable_file("demo", &path).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains(why), "{path:?}: {}", err.message);
    }

    let mut content = DraftContent {
        description: "Here is the logo".into(),
        files: vec![file],
        ..DraftContent::default()
    };
    let saved = ws.save_draft("demo", "D-1001", None, &content).unwrap();
    assert_eq!(saved.draft.version, 1);
    assert_eq!(saved.order_changed, None);
    content.description = "x".repeat(10_001);
    let err = ws
        .save_draft("demo", "D-1001", Some(1), &content)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TooLarge);
    let err = ws
        .save_draft("demo", "D-9999", None, &DraftContent::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(
        ws.draft("demo", "D-1001")
            .unwrap()
            .unwrap()
            .draft
            .content
            .description,
        "Here is the logo",
        "a refused save keeps the saved draft"
    );
    assert!(ws.discard_draft("demo", "D-1001").unwrap());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_draft_written_offline_says_when_the_order_changed_meanwhile() {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = Workspace::with_store(
        Store::open_in_memory().unwrap(),
        vec![(
            Account::new("demo", "Demo", &sim.base_url()),
            sim.token().to_string(),
        )],
        false,
        system_clock(),
    )
    .unwrap();
    assert!(ws.sync_once().await.error.is_none());
    let content = DraftContent {
        description: "Logo, final".into(),
        no_file_confirmed: true,
        ..DraftContent::default()
    };
    for id in ["D-1001", "D-1004"] {
        let saved = ws.save_draft("demo", id, None, &content).unwrap();
        assert_eq!(saved.draft.base_status.as_deref(), Some("in_progress"));
        assert_eq!(saved.order_changed, None, "nothing changed yet");
    }

    // Meanwhile on the marketplace: D-1001 is canceled, D-1004's delivery date moves.
    sim.handle()
        .set_status("D-1001", sellerdesk_api::OrderStatus::Canceled)
        .unwrap();
    let mut later = sim.handle().order("D-1004").unwrap();
    later.due_at += chrono::Duration::days(2);
    sim.handle().upsert_order(later);
    assert!(ws.sync_once().await.error.is_none());

    let canceled = ws.draft("demo", "D-1001").unwrap().unwrap();
    assert_eq!(canceled.draft.content, content, "the draft is kept");
    let said = canceled.order_changed.expect("the seller is told");
    assert!(said.contains("canceled"), "{said}");
    let moved = ws.draft("demo", "D-1004").unwrap().unwrap();
    let said = moved.order_changed.expect("the seller is told");
    assert!(said.contains("moved later"), "{said}");
    // A later save keeps the first baseline: the change is still reported.
    let resaved = ws
        .save_draft("demo", "D-1004", Some(moved.draft.version), &content)
        .unwrap();
    assert!(resaved.order_changed.is_some());
    sim.shutdown().await;
}
