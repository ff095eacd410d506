//! End-to-end: the real `sellerdesk` binary in a real window (Xvfb + tauri-driver +
//! WebKitWebDriver), checked through the DOM the user sees.

use std::path::PathBuf;
use std::time::Duration;

use sellerdesk_tests::display::{Guarded, SessionBus, Xvfb, start_tauri_driver};
use sellerdesk_tests::webdriver::Session;
use sellerdesk_tests::{app_binary, free_port};

/// One window at a time: WebKit is heavy on a 2-core machine.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Window {
    session: Session,
    data_dir: tempfile::TempDir,
    _driver: Guarded,
    _bus: SessionBus,
    _xvfb: Xvfb,
}

impl Window {
    /// Launches the app with its data in `data_dir` and extra environment.
    async fn launch(data_dir: tempfile::TempDir, env: &[(&str, &str)]) -> Window {
        let xvfb = Xvfb::start();
        let (port, native) = (free_port(), free_port());
        let data = data_dir.path().to_string_lossy().to_string();
        // A private session bus: the app can reach neither the user's keychain nor their
        // notification daemon (its tokens stay in memory, its alerts in the window).
        let bus = SessionBus::start();
        let mut all_env = vec![
            ("SELLERDESK_DATA_DIR", data.as_str()),
            ("DBUS_SESSION_BUS_ADDRESS", bus.address.as_str()),
        ];
        all_env.extend_from_slice(env);
        let driver = start_tauri_driver(&xvfb.display, port, native, &all_env);
        let session = Session::start(port, &app_binary())
            .await
            .expect("a WebDriver session on the app");
        Window {
            session,
            data_dir,
            _driver: driver,
            _bus: bus,
            _xvfb: xvfb,
        }
    }

    /// Text and data-state of the sync status line.
    async fn sync_line(&self) -> anyhow::Result<Option<(String, String)>> {
        let Some(el) = self
            .session
            .find_all("[data-testid=sync-status]")
            .await?
            .pop()
        else {
            return Ok(None);
        };
        let state = self
            .session
            .attribute(&el, "data-state")
            .await?
            .unwrap_or_default();
        Ok(Some((state, self.session.text(&el).await?)))
    }

    /// A window on a demo simulator of the test's own (so the test can look at the
    /// marketplace's side), with a fresh data folder.
    async fn launch_on_demo_sim() -> (sellerdesk_sim::RunningSim, Window) {
        let sim = sellerdesk_sim::spawn(
            sellerdesk_sim::SimConfig::demo(chrono::Utc::now()),
            ([127, 0, 0, 1], 0).into(),
        )
        .await
        .expect("simulator");
        let url = sim.base_url();
        let w = Window::launch(
            tempfile::tempdir().unwrap(),
            &[
                ("SELLERDESK_API_URL", &url),
                ("SELLERDESK_API_TOKEN", sim.token()),
            ],
        )
        .await;
        (sim, w)
    }

    fn display(&self) -> &str {
        &self._xvfb.display
    }

    fn artifact(&self, name: &str) -> PathBuf {
        self.data_dir.path().join(name)
    }

    /// Saves a screenshot in the test's temp dir, and copies it to `SELLERDESK_E2E_ARTIFACTS`
    /// when set (CI keeps them there).
    async fn screenshot(&self, name: &str) {
        let path = self.artifact(name);
        self.session.screenshot(&path).await.expect("screenshot");
        assert!(
            std::fs::metadata(&path)
                .map(|m| m.len() > 1000)
                .unwrap_or(false),
            "screenshot must be a real PNG"
        );
        if let Some(dir) = std::env::var_os("SELLERDESK_E2E_ARTIFACTS") {
            let dir = PathBuf::from(dir);
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::copy(&path, dir.join(name));
        }
        eprintln!("screenshot: {}", path.display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_orders_show_with_live_countdowns() {
    let _one = ONE_WINDOW.lock().await;
    let w = Window::launch(tempfile::tempdir().unwrap(), &[]).await;
    let s = &w.session;

    let rows = s
        .wait_for("the demo order list", Duration::from_secs(60), || async {
            let rows = s.find_all("[data-testid=order-row]").await?;
            Ok((rows.len() >= 20).then_some(rows))
        })
        .await
        .expect("the window lists the demo marketplace's active orders");
    assert_eq!(
        rows.len(),
        25,
        "30 demo orders minus 3 completed and 2 canceled are active"
    );

    let title = s
        .wait_text(
            "[data-order-id='D-1001'] [data-testid=order-title]",
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(title, "Minimalist logo for a coffee roastery");
    let countdown = s
        .wait_text(
            "[data-order-id='D-1001'] [data-testid=order-countdown]",
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert!(
        countdown.contains("2d 4h left"),
        "D-1001 is due in 2d 4h 30m at start, got {countdown:?}"
    );
    let late = s
        .wait_text(
            "[data-order-id='D-1002'] [data-testid=order-countdown]",
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert!(
        late.contains("late by 3h"),
        "D-1002 was due 3h 20m before start, got {late:?}"
    );

    // The most urgent order (the latest one) comes first.
    let first = s.attribute(&rows[0], "data-order-id").await.unwrap();
    assert_ne!(
        first.as_deref(),
        Some("D-1001"),
        "a late order must sort above one due in 2 days"
    );

    let (state, text) = s
        .wait_for("a successful sync", Duration::from_secs(30), || async {
            Ok(w.sync_line().await?.filter(|(state, _)| state == "ok"))
        })
        .await
        .unwrap();
    assert_eq!(state, "ok", "sync line: {text}");
    w.screenshot("demo-orders.png").await;
    w.session.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_from_a_newer_build_is_refused_with_a_clear_message() {
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("sellerdesk.db")).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let w = Window::launch(dir, &[]).await;
    let text = w
        .session
        .wait_text("[data-testid=startup-error]", Duration::from_secs(60))
        .await
        .expect("a startup error screen instead of a crash");
    assert!(
        text.contains("newer sellerdesk"),
        "message must say why: {text:?}"
    );
    assert!(
        w.session
            .find_all("[data-testid=order-row]")
            .await
            .unwrap()
            .is_empty(),
        "no order list from a refused database"
    );
    let version: i64 = rusqlite::Connection::open(w.data_dir.path().join("sellerdesk.db"))
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 999, "the newer database must be left untouched");
    w.screenshot("newer-schema.png").await;
    w.session.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_marketplace_shows_sync_failed_retrying_then_recovers() {
    let _one = ONE_WINDOW.lock().await;
    let sim = sellerdesk_sim::spawn(
        sellerdesk_sim::SimConfig::demo(chrono::Utc::now()),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .expect("simulator");
    let control = sim.handle();
    control.set_fault(sellerdesk_sim::FaultPlan {
        fault: sellerdesk_sim::Fault::ServerError,
        count: None,
    });
    let url = sim.base_url();
    let w = Window::launch(
        tempfile::tempdir().unwrap(),
        &[
            ("SELLERDESK_API_URL", &url),
            ("SELLERDESK_API_TOKEN", sim.token()),
        ],
    )
    .await;
    let (_, text) = w
        .session
        .wait_for("the failed sync state", Duration::from_secs(60), || async {
            Ok(w.sync_line().await?.filter(|(state, _)| state == "failed"))
        })
        .await
        .expect("a 500 from the marketplace must show a failed state, not crash");
    assert!(
        text.to_lowercase().contains("sync failed"),
        "sync line: {text:?}"
    );
    assert!(
        text.contains("retrying"),
        "the user must see that it retries: {text:?}"
    );
    w.screenshot("sync-failed.png").await;

    control.clear_faults();
    let button = w.session.find_all("[data-testid=sync-now]").await.unwrap();
    w.session
        .click(button.first().expect("a Sync now button"))
        .await
        .unwrap();
    w.session
        .wait_for(
            "recovery after the fault clears",
            Duration::from_secs(30),
            || async { Ok(w.sync_line().await?.filter(|(state, _)| state == "ok")) },
        )
        .await
        .expect("sync recovers once the marketplace answers again");
    let rows = w.session.find_all("[data-testid=order-row]").await.unwrap();
    assert_eq!(rows.len(), 25, "orders appear after recovery");
    w.session.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_detail_shows_its_breakdown_and_forecast() {
    let _one = ONE_WINDOW.lock().await;
    let w = Window::launch(tempfile::tempdir().unwrap(), &[]).await;
    let s = &w.session;
    s.wait_text(
        "[data-order-id='D-1001'] [data-testid=order-title]",
        Duration::from_secs(60),
    )
    .await
    .expect("the demo list");
    let title = s
        .find_all("[data-order-id='D-1001'] [data-testid=order-title]")
        .await
        .unwrap();
    s.click(&title[0]).await.unwrap();

    let panel = "[data-testid=order-detail][data-order-id='D-1001']";
    let lines = s
        .wait_for("the breakdown lines", Duration::from_secs(20), || async {
            let lines = s
                .find_all(&format!("{panel} [data-testid=detail-line]"))
                .await?;
            if lines.len() < 2 {
                return Ok(None);
            }
            let mut texts = Vec::new();
            for l in &lines {
                texts.push(s.text(l).await?);
            }
            Ok(Some(texts))
        })
        .await
        .expect("the order detail opens on a click");
    assert!(
        lines[0].contains("Base package") && lines[0].contains("$120.00"),
        "{lines:?}"
    );
    assert!(
        lines[1].contains("Source files") && lines[1].contains("$25.00"),
        "{lines:?}"
    );
    let text = |css: &'static str| async move {
        s.wait_text(&format!("{panel} {css}"), Duration::from_secs(5))
            .await
            .unwrap()
    };
    // Fiverr-like profile: 20 % of $145.00.
    assert_eq!(text("[data-testid=detail-fee]").await, "-$29.00");
    assert_eq!(text("[data-testid=detail-net]").await, "$116.00");
    let forecast = text("[data-testid=detail-forecast]").await;
    assert!(
        forecast.contains("$116.00") && forecast.contains("14 days"),
        "forecast: {forecast:?}"
    );
    assert!(
        forecast.contains("Pending"),
        "an order in progress is pending: {forecast:?}"
    );
    assert_eq!(text("[data-testid=detail-revisions]").await, "3 of 3");
    let accept = s
        .find_all(&format!("{panel} [data-action=accept]"))
        .await
        .unwrap();
    assert_eq!(
        s.attribute(&accept[0], "data-allowed")
            .await
            .unwrap()
            .as_deref(),
        Some("false"),
        "an order in progress cannot be accepted again"
    );
    w.screenshot("order-detail.png").await;

    let tab = s.find_all("[data-testid=tab-earnings]").await.unwrap();
    s.click(&tab[0]).await.unwrap();
    let pending = s
        .wait_text("[data-testid=earnings-pending]", Duration::from_secs(10))
        .await
        .expect("the earnings view");
    assert!(pending.starts_with('$'), "pending total: {pending:?}");
    let bars = s.find_all("[data-testid=earnings-bar]").await.unwrap();
    assert!(!bars.is_empty(), "at least one week of forecast earnings");
    w.screenshot("earnings.png").await;
    w.session.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_a_new_order_in_the_window_reaches_the_marketplace_once() {
    let _one = ONE_WINDOW.lock().await;
    let (sim, w) = Window::launch_on_demo_sim().await;
    let s = &w.session;
    let row = "[data-order-id='D-1003']";
    s.wait_text(
        &format!("{row} [data-testid=order-title]"),
        Duration::from_secs(60),
    )
    .await
    .expect("the new order D-1003 is listed");
    assert_eq!(
        s.attribute(&s.find_all(row).await.unwrap()[0], "data-status")
            .await
            .unwrap()
            .as_deref(),
        Some("awaiting_acceptance")
    );
    let title = s
        .find_all(&format!("{row} [data-testid=order-title]"))
        .await
        .unwrap();
    s.click(&title[0]).await.unwrap();
    let accept = s
        .wait_for(
            "an enabled Accept button",
            Duration::from_secs(20),
            || async {
                let buttons = s
                    .find_all(
                        "[data-testid=order-detail] [data-action=accept] button:not([disabled])",
                    )
                    .await?;
                Ok(buttons.first().cloned())
            },
        )
        .await
        .expect("a new order can be accepted");
    // The badge counts new orders and open buyer requests; D-1003 is one of them.
    let badge_count = || async {
        let el = s.find_all("[data-testid=needs-response]").await?;
        Ok::<_, anyhow::Error>(match el.first() {
            Some(el) => s
                .attribute(el, "data-count")
                .await?
                .and_then(|c| c.parse::<usize>().ok()),
            None => Some(0),
        })
    };
    let before = s
        .wait_for("the badge", Duration::from_secs(20), || async {
            Ok(badge_count().await?.filter(|n| *n > 0))
        })
        .await
        .expect("the demo has items waiting for an answer");
    s.click(&accept).await.unwrap();

    let handle = sim.handle();
    s.wait_for(
        "the marketplace to apply the accept",
        Duration::from_secs(30),
        || {
            let handle = handle.clone();
            async move {
                Ok((handle.order("D-1003").map(|o| o.status)
                    == Some(sellerdesk_api::OrderStatus::Accepted))
                .then_some(()))
            }
        },
    )
    .await
    .expect("the click reaches the marketplace through the outbox");
    s.wait_for(
        "the row to show the accepted order",
        Duration::from_secs(30),
        || async {
            let rows = s.find_all(row).await?;
            let status = match rows.first() {
                Some(r) => s.attribute(r, "data-status").await?,
                None => None,
            };
            Ok((status.as_deref() == Some("accepted")).then_some(()))
        },
    )
    .await
    .expect("the window shows the order as accepted after sync");
    assert_eq!(
        sim.handle().action_counts(),
        (1, 1),
        "one click, one action applied once"
    );
    s.wait_for(
        "the badge to drop the accepted order",
        Duration::from_secs(30),
        || async { Ok((badge_count().await? == Some(before - 1)).then_some(())) },
    )
    .await
    .expect("the badge follows the answered order");
    w.screenshot("accepted.png").await;
    w.session.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_downloaded_from_the_order_detail_is_a_readable_pdf() {
    let _one = ONE_WINDOW.lock().await;
    let exports = tempfile::tempdir().unwrap();
    let export_dir = exports.path().to_string_lossy().to_string();
    let w = Window::launch(
        tempfile::tempdir().unwrap(),
        &[("SELLERDESK_EXPORT_DIR", &export_dir)],
    )
    .await;
    let s = &w.session;
    let title = "[data-order-id='D-1001'] [data-testid=order-title]";
    s.wait_text(title, Duration::from_secs(60))
        .await
        .expect("the demo list");
    s.click(&s.find_all(title).await.unwrap()[0]).await.unwrap();
    let download = s
        .wait_for("the invoice button", Duration::from_secs(20), || async {
            let b = s
                .find_all("[data-order-id='D-1001'] [data-testid=invoice-download]")
                .await?;
            Ok(b.first().cloned())
        })
        .await
        .expect("the order detail offers the invoice");
    s.click(&download).await.unwrap();
    let saved = s
        .wait_for("the saved invoice", Duration::from_secs(20), || async {
            let el = s.find_all("[data-testid=invoice-saved]").await?;
            match el.first() {
                Some(el) => Ok(s.attribute(el, "data-path").await?),
                None => Ok(None),
            }
        })
        .await
        .expect("the window says where the invoice went");
    let path = PathBuf::from(&saved);
    assert!(
        path.starts_with(exports.path()),
        "saved in the export folder: {saved}"
    );
    let bytes = std::fs::read(&path).expect("the invoice file exists");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(text.status.success(), "pdftotext parses the invoice");
    let text = String::from_utf8(text.stdout).unwrap();
    for want in [
        "SD-DEMO-000001",
        "D-1001",
        "Minimalist logo",
        "116.00",
        "29.00",
        "145.00",
    ] {
        assert!(text.contains(want), "the invoice shows {want:?}:\n{text}");
    }
    w.screenshot("invoice-saved.png").await;
    w.session.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_picked_in_the_system_dialog_is_uploaded_and_delivered_once() {
    let _one = ONE_WINDOW.lock().await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("logo-final.zip");
    let bytes: Vec<u8> = (0..3 * 1024 * 1024 + 123)
        .map(|i| (i % 253) as u8)
        .collect();
    std::fs::write(&file, &bytes).unwrap();
    let (sim, w) = Window::launch_on_demo_sim().await;
    let s = &w.session;
    let title = "[data-order-id='D-1001'] [data-testid=order-title]";
    s.wait_text(title, Duration::from_secs(60))
        .await
        .expect("the demo list");
    s.click(&s.find_all(title).await.unwrap()[0]).await.unwrap();
    let deliver = s
        .wait_for("Deliver now", Duration::from_secs(20), || async {
            let b = s
                .find_all("[data-testid=order-detail] [data-action=deliver] button:not([disabled])")
                .await?;
            Ok(b.first().cloned())
        })
        .await
        .expect("an order in progress can be delivered");
    s.click(&deliver).await.unwrap();
    let pick = s
        .wait_for("the composer", Duration::from_secs(10), || async {
            Ok(s.find_all("[data-testid=delivery-pick]")
                .await?
                .first()
                .cloned())
        })
        .await
        .expect("Deliver now opens the composer");
    s.click(&pick).await.unwrap();
    let display = w.display().to_string();
    let chosen = file.clone();
    tokio::task::spawn_blocking(move || {
        sellerdesk_tests::display::choose_in_file_dialog(
            &display,
            "Files to deliver",
            &chosen,
            Duration::from_secs(20),
        )
    })
    .await
    .unwrap()
    .expect("the system file dialog takes the file");
    let attached = s
        .wait_for("the attached file", Duration::from_secs(20), || async {
            let files = s.find_all("[data-testid=delivery-file]").await?;
            match files.first() {
                Some(f) => Ok(s.attribute(f, "data-path").await?),
                None => Ok(None),
            }
        })
        .await
        .expect("the picked file is listed in the composer");
    assert_eq!(attached, file.display().to_string());
    s.execute(
        "const el = document.querySelector('[data-testid=delivery-description]'); el.value = 'The final logo, three sizes'; el.dispatchEvent(new Event('input', { bubbles: true }));",
    )
    .await
    .unwrap();
    w.screenshot("composer.png").await;
    let send = s
        .wait_for("Deliver enabled", Duration::from_secs(10), || async {
            let b = s
                .find_all("[data-testid=delivery-send]:not([disabled])")
                .await?;
            Ok(b.first().cloned())
        })
        .await
        .expect("a described delivery with a file can be sent");
    s.click(&send).await.unwrap();
    let row = "[data-order-id='D-1001']";
    s.wait_for(
        "the order to show as delivered",
        Duration::from_secs(60),
        || async {
            let rows = s.find_all(row).await?;
            let status = match rows.first() {
                Some(r) => s.attribute(r, "data-status").await?,
                None => None,
            };
            Ok((status.as_deref() == Some("delivered")).then_some(()))
        },
    )
    .await
    .expect("the file is uploaded and the delivery synced");
    let delivered = sim.handle().deliveries("D-1001");
    assert_eq!(delivered.len(), 1, "delivered exactly once");
    let files: Vec<(String, u64)> = delivered[0]
        .files
        .iter()
        .map(|f| (f.name.clone(), f.size))
        .collect();
    assert_eq!(
        files,
        vec![("logo-final.zip".to_string(), bytes.len() as u64)]
    );
    assert_eq!(delivered[0].description, "The final logo, three sizes");
    let upload = sim
        .handle()
        .uploads()
        .into_iter()
        .next()
        .expect("the upload");
    assert_eq!(upload.sha256, {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(&bytes))
    });

    s.click(&s.find_all("[data-testid=tab-uploads]").await.unwrap()[0])
        .await
        .unwrap();
    let state = s
        .wait_for("the uploads tab", Duration::from_secs(10), || async {
            let rows = s.find_all("[data-testid=upload]").await?;
            match rows.first() {
                Some(r) => s.attribute(r, "data-state").await,
                None => Ok(None),
            }
        })
        .await
        .expect("the upload is listed");
    assert_eq!(state, "done");
    w.screenshot("uploads.png").await;
    w.session.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_marketplace_account_added_in_settings_merges_into_the_list() {
    let _one = ONE_WINDOW.lock().await;
    let mut config = sellerdesk_sim::SimConfig::demo(chrono::Utc::now());
    config.profile_id = "hostjane".into();
    config.token = "tok-e2e-hostjane".into();
    let hostjane = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("a second marketplace");
    let w = Window::launch(tempfile::tempdir().unwrap(), &[]).await;
    let s = &w.session;
    s.wait_text("[data-testid=order-title]", Duration::from_secs(60))
        .await
        .expect("the demo list");
    s.click(&s.find_all("[data-testid=tab-settings]").await.unwrap()[0])
        .await
        .unwrap();
    let fill = |css: &'static str, text: String| async move {
        let el = s
            .wait_for(css, Duration::from_secs(10), || async {
                Ok(s.find_all(css).await?.first().cloned())
            })
            .await?;
        s.execute(&format!(
            "const el = document.querySelector('{css}'); el.value = {text:?}; el.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        ))
        .await?;
        anyhow::Ok(el)
    };
    fill("[data-testid=account-label]", "HostJane shop".into())
        .await
        .unwrap();
    fill("[data-testid=account-url]", hostjane.base_url())
        .await
        .unwrap();
    fill("[data-testid=account-token]", hostjane.token().to_string())
        .await
        .unwrap();
    s.click(&s.find_all("[data-testid=account-add]").await.unwrap()[0])
        .await
        .unwrap();
    let notice = s
        .wait_text("[data-testid=accounts-notice]", Duration::from_secs(10))
        .await
        .expect("the account is added");
    assert!(
        notice.contains("HostJane shop") && notice.contains("No keychain"),
        "no keychain in this test: the seller is told the token is kept in memory: {notice}"
    );
    s.click(&s.find_all("[data-testid=tab-orders]").await.unwrap()[0])
        .await
        .unwrap();
    s.wait_for(
        "orders from both marketplaces",
        Duration::from_secs(60),
        || async {
            let rows = s.find_all("[data-testid=order-row]").await?;
            Ok((rows.len() >= 50).then_some(()))
        },
    )
    .await
    .expect("the second account's orders join the list after a sync");
    let text = s
        .execute("return document.querySelector('[data-testid=order-list]').innerText")
        .await
        .unwrap();
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("HostJane") && text.contains("Fiverr-like"),
        "each row names its marketplace"
    );
    w.screenshot("two-accounts.png").await;
    w.session.close().await;
    hostjane.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_message_sent_from_the_order_reaches_the_marketplace_once() {
    let _one = ONE_WINDOW.lock().await;
    let (sim, w) = Window::launch_on_demo_sim().await;
    let s = &w.session;
    let title = "[data-order-id='D-1001'] [data-testid=order-title]";
    s.wait_text(title, Duration::from_secs(60))
        .await
        .expect("the demo list");
    s.click(&s.find_all(title).await.unwrap()[0]).await.unwrap();
    let before = sim.handle().order("D-1001").unwrap().messages.len();
    let shown = s
        .wait_for("the demo conversation", Duration::from_secs(20), || async {
            let m = s.find_all("[data-testid=chat-message]").await?;
            Ok((!m.is_empty()).then_some(m.len()))
        })
        .await
        .expect("the order's chat is shown");
    assert_eq!(shown, before, "every message of the order is shown");
    s.execute(
        "const el = document.querySelector('[data-testid=chat-input]'); el.value = 'The dark version is on its way.'; el.dispatchEvent(new Event('input', { bubbles: true }));",
    )
    .await
    .unwrap();
    let send = s
        .wait_for("Send enabled", Duration::from_secs(10), || async {
            Ok(s.find_all("[data-testid=chat-send]:not([disabled])")
                .await?
                .first()
                .cloned())
        })
        .await
        .unwrap();
    s.click(&send).await.unwrap();
    s.wait_for(
        "the message to be sent and pulled back",
        Duration::from_secs(30),
        || async {
            let sent = s
                .find_all("[data-testid=chat-message][data-from=seller][data-pending=false]")
                .await?;
            let mut found = false;
            for m in &sent {
                found |= s.text(m).await?.contains("The dark version is on its way.");
            }
            Ok(found.then_some(()))
        },
    )
    .await
    .expect("the message shows as sent after sync");
    let on_server: Vec<_> = sim
        .handle()
        .order("D-1001")
        .unwrap()
        .messages
        .into_iter()
        .filter(|m| m.text == "The dark version is on its way.")
        .collect();
    assert_eq!(on_server.len(), 1, "sent exactly once");
    w.screenshot("chat.png").await;
    w.session.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_progress_update_answered_in_the_window_resolves_the_buyers_request() {
    let _one = ONE_WINDOW.lock().await;
    let (sim, w) = Window::launch_on_demo_sim().await;
    let s = &w.session;
    let title = "[data-order-id='D-1017'] [data-testid=order-title]";
    s.wait_text(title, Duration::from_secs(60))
        .await
        .expect("D-1017 is listed");
    s.click(&s.find_all(title).await.unwrap()[0]).await.unwrap();
    s.wait_for("the progress form", Duration::from_secs(20), || async {
        Ok(s.find_all("[data-testid=progress-text]")
            .await?
            .first()
            .cloned())
    })
    .await
    .expect("the buyer's progress-update request can be answered");
    s.execute(
        "const el = document.querySelector('[data-testid=progress-text]'); el.value = 'Six of ten templates are done.'; el.dispatchEvent(new Event('input', { bubbles: true }));",
    )
    .await
    .unwrap();
    let send = s
        .wait_for("Send enabled", Duration::from_secs(10), || async {
            Ok(s.find_all("[data-testid=progress-send]:not([disabled])")
                .await?
                .first()
                .cloned())
        })
        .await
        .unwrap();
    s.click(&send).await.unwrap();
    s.wait_for(
        "the request to show as accepted",
        Duration::from_secs(30),
        || async {
            let r = s.find_all("[data-testid=detail-request]").await?;
            let state = match r.first() {
                Some(r) => s.attribute(r, "data-state").await?,
                None => None,
            };
            Ok((state.as_deref() == Some("accepted")).then_some(()))
        },
    )
    .await
    .expect("the answer reaches the marketplace and comes back");
    let order = sim.handle().order("D-1017").unwrap();
    assert_eq!(
        order.requests[0].state,
        sellerdesk_api::RequestState::Accepted
    );
    assert_eq!(
        order
            .messages
            .iter()
            .filter(|m| m.text.ends_with("Six of ten templates are done."))
            .count(),
        1,
        "posted once in the chat"
    );
    w.screenshot("progress.png").await;
    w.session.close().await;
    sim.shutdown().await;
}
