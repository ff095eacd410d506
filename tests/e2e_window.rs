//! End-to-end: the real `sellerdesk` binary in a real window (Xvfb + tauri-driver +
//! WebKitWebDriver), checked through the DOM the user sees: the order list, the detail,
//! sync states, invoices and accounts.

#[path = "e2e/window.rs"]
mod window;

use std::path::PathBuf;
use std::time::Duration;

use window::{Desktop, ONE_WINDOW, Window};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_orders_show_with_live_countdowns() {
    let _one = ONE_WINDOW.lock().await;
    let w = Window::launch(tempfile::tempdir().unwrap(), &[]).await;
    let s = &w.session;

    let rows = s
        .wait_for("the demo order list", Duration::from_secs(60), || async {
            let rows = s.find_all("[data-testid=order-row]").await?;
            Ok((rows.len() >= 25).then_some(rows))
        })
        .await
        .expect("the window lists the five demo marketplaces' active orders");
    assert_eq!(
        rows.len(),
        25,
        "the 30 demo orders shared by five marketplaces, minus 3 completed and 2 canceled"
    );
    let marketplaces = s
        .execute(
            "return new Set([...document.querySelectorAll('[data-testid=order-marketplace]')].map(m => m.textContent)).size",
        )
        .await
        .unwrap();
    assert_eq!(marketplaces, 5, "each row names one of five marketplaces");

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
    let w = Window::launch_on(&sim).await;
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
    w.open_order("D-1001").await;
    let download = s
        .wait_first(
            "[data-order-id='D-1001'] [data-testid=invoice-download]",
            Duration::from_secs(20),
        )
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
    s.choose("[data-testid=account-marketplace]", "hostjane")
        .await
        .unwrap();
    s.fill("[data-testid=account-label]", "HostJane shop")
        .await
        .unwrap();
    s.fill("[data-testid=account-url]", &hostjane.base_url())
        .await
        .unwrap();
    s.fill("[data-testid=account-token]", hostjane.token())
        .await
        .unwrap();
    s.click(&s.find_all("[data-testid=account-test]").await.unwrap()[0])
        .await
        .unwrap();
    let tested = s
        .wait_text(
            "[data-testid=account-test-result][data-ok=true]",
            Duration::from_secs(20),
        )
        .await
        .expect("the connection test passes against the HostJane marketplace");
    assert!(tested.contains("Connected to HostJane"), "{tested}");
    w.screenshot("settings-accounts.png").await;
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

/// The seller's first screen on the built-in demo (five marketplaces): the order list
/// above the fold with at most one toast, a buyer request about to expire among the first
/// three rows, the keyboard's path (↓ to a row, Enter opens it, focus moves into it,
/// Escape closes it and focus is back on its row), and a decline that asks before it
/// costs the seller the order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_screen_puts_what_needs_the_seller_on_top_and_asks_before_it_costs() {
    let _one = ONE_WINDOW.lock().await;
    let w = Window::launch(tempfile::tempdir().unwrap(), &[]).await;
    let s = &w.session;
    s.wait_for(
        "every demo account's active orders",
        Duration::from_secs(90),
        || async {
            let rows = s
                .execute("return document.querySelector('[data-testid=order-list]')?.dataset.total")
                .await?;
            Ok((rows.as_str() == Some("25")).then_some(()))
        },
    )
    .await
    .expect("the five demo marketplaces sync");
    w.screenshot("first-screen.png").await;

    let toasts = s.find_all("[data-testid=toast]").await.unwrap();
    assert!(toasts.len() <= 1, "at most one toast: {}", toasts.len());
    let fold = s
        .execute(
            "const rows = [...document.querySelectorAll('[data-testid=order-row]')].slice(0, 3);
             return { height: window.innerHeight,
                      bottoms: rows.map(r => r.getBoundingClientRect().bottom),
                      first3: rows.map(r => [r.dataset.orderId, r.querySelector('[data-testid=order-countdown]').textContent.trim()]) };",
        )
        .await
        .unwrap();
    let height = fold["height"].as_f64().unwrap();
    let bottoms: Vec<f64> = fold["bottoms"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b.as_f64())
        .collect();
    assert_eq!(bottoms.len(), 3, "{fold}");
    assert!(
        bottoms.iter().all(|b| *b <= height),
        "the first three orders are above the fold of a {height} px window: {fold}"
    );
    // D-1017's progress-update request was opened 47 h ago: it expires within the hour.
    let first3 = fold["first3"].as_array().unwrap();
    assert!(
        first3.iter().any(|r| r[0] == "D-1017"),
        "the request expiring within the hour is in the first 3 rows: {fold}"
    );

    // The keyboard's path: into the list, ↓ to the second row, Enter opens it.
    let active_row = "const row = document.activeElement.closest('[data-testid=order-row]');
             return row ? row.dataset.orderId : document.activeElement.outerHTML.slice(0, 120);";
    s.execute("document.querySelector('[data-testid=order-title]').focus()")
        .await
        .unwrap();
    s.press("\u{E015}").await.unwrap(); // ArrowDown
    let second = s
        .execute("return document.querySelectorAll('[data-testid=order-row]')[1].dataset.orderId")
        .await
        .unwrap();
    assert_eq!(
        s.execute(active_row).await.unwrap(),
        second,
        "↓ moves to the next row"
    );
    s.press("\u{E007}").await.unwrap(); // Enter
    let opened = s
        .wait_first("[data-testid=order-detail]", Duration::from_secs(20))
        .await
        .expect("Enter opens the order");
    let id = s
        .attribute(&opened, "data-order-id")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.as_str(), Some(id.as_str()), "the focused row opened");
    let inside = s
        .execute("return !!document.activeElement.closest('[data-testid=order-detail]')")
        .await
        .unwrap();
    assert_eq!(inside, true, "focus moves into the opened order");
    s.press("\u{E00C}").await.unwrap();
    s.wait_for("the detail closed", Duration::from_secs(10), || async {
        let open = s.find_all("[data-testid=order-detail]").await?;
        Ok(open.is_empty().then_some(()))
    })
    .await
    .expect("Escape closes the order");
    let focused = s.execute(active_row).await.unwrap();
    assert_eq!(
        focused.as_str(),
        Some(id.as_str()),
        "focus returns to the row the order was opened from"
    );

    // Declining a new order asks first; "No" sends nothing.
    w.open_order("D-1003").await;
    let decline = s
        .wait_first(
            "[data-testid=order-detail] [data-action=decline] button:not([disabled])",
            Duration::from_secs(20),
        )
        .await
        .expect("a new order can be declined");
    s.click(&decline).await.unwrap();
    let asked = s
        .wait_text("[data-testid=confirm-dialog]", Duration::from_secs(10))
        .await
        .expect("declining asks for confirmation");
    assert!(asked.to_lowercase().contains("decline"), "{asked}");
    s.click(&s.find_all("[data-testid=confirm-no]").await.unwrap()[0])
        .await
        .unwrap();
    s.wait_for("the dialog gone", Duration::from_secs(10), || async {
        let d = s.find_all("[data-testid=confirm-dialog]").await?;
        Ok(d.is_empty().then_some(()))
    })
    .await
    .expect("No closes the question");
    let status = s
        .execute("return document.querySelector(\"[data-order-id='D-1003']\").dataset.status")
        .await
        .unwrap();
    assert_eq!(
        status.as_str(),
        Some("awaiting_acceptance"),
        "nothing was declined"
    );
    w.session.close().await;
}

/// An exported CSV is shown in the desktop's file manager through the opener plugin
/// (`org.freedesktop.FileManager1.ShowItems` with the file's URI), from the export folder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exported_file_is_shown_in_the_file_manager() {
    let _one = ONE_WINDOW.lock().await;
    let exports = tempfile::tempdir().unwrap();
    let exports_path = exports.path().to_string_lossy().to_string();
    let desktop = Desktop {
        file_manager: true,
        ..Desktop::default()
    };
    let env = [("SELLERDESK_EXPORT_DIR", exports_path.as_str())];
    let w = Window::launch_on_desktop(tempfile::tempdir().unwrap(), &env, desktop).await;
    let s = &w.session;
    s.wait_text("[data-testid=order-title]", Duration::from_secs(60))
        .await
        .expect("the demo list");
    s.click(&s.find_all("[data-testid=tab-earnings]").await.unwrap()[0])
        .await
        .unwrap();
    let export = s
        .wait_first("[data-testid=export-csv]", Duration::from_secs(30))
        .await
        .expect("the exports panel");
    s.click(&export).await.unwrap();
    let result = s
        .wait_first("[data-testid=export-result]", Duration::from_secs(30))
        .await
        .expect("the CSV is exported");
    let path = s.attribute(&result, "data-path").await.unwrap().unwrap();
    assert!(
        path.starts_with(&exports_path),
        "{path} in the export folder"
    );
    let show = s
        .wait_first(
            "[data-testid=export-result] [data-testid=show-in-folder]",
            Duration::from_secs(10),
        )
        .await
        .unwrap();
    s.click(&show).await.unwrap();
    let file_manager = w.file_manager.as_ref().unwrap();
    let asked = s
        .wait_for(
            "the file manager to be asked",
            Duration::from_secs(20),
            || async { Ok(file_manager.shown().pop()) },
        )
        .await
        .expect("Show in folder asks the desktop's file manager");
    let canonical = std::fs::canonicalize(&path).unwrap();
    assert_eq!(
        asked,
        [format!("file://{}", canonical.display()).replace(' ', "%20")],
        "the exported file itself is shown"
    );
    w.session.close().await;
}

/// A seller with years of orders: the window holds only the rows near the screen (the
/// list comes in pages) and shows far rows when the list is scrolled or End is pressed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_list_shows_far_rows_when_scrolled_or_jumped_to_with_the_keyboard() {
    let _one = ONE_WINDOW.lock().await;
    const N: usize = 1_200;
    let mut config = sellerdesk_sim::SimConfig::demo(chrono::Utc::now());
    config.demo_data = false;
    let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator");
    let template = sellerdesk_sim::demo_orders(sim.handle().now())
        .into_iter()
        .find(|o| o.status == sellerdesk_api::OrderStatus::InProgress)
        .expect("a demo order in progress");
    for i in 0..N {
        let mut order = template.clone();
        order.id = format!("L-{i:05}");
        order.title = format!("Long list order {i}");
        // Due one after the other, hours apart: the list's order is the ids' order.
        order.due_at = sim.handle().now() + chrono::Duration::hours(2 + i as i64);
        sim.handle().upsert_order(order);
    }
    let w = Window::launch_on(&sim).await;
    let s = &w.session;
    s.wait_for("every order listed", Duration::from_secs(60), || async {
        let total = s
            .execute(
                "return document.querySelector('[data-testid=order-list]')?.dataset.total ?? null",
            )
            .await?;
        Ok(total.as_str().filter(|t| *t == N.to_string()).map(|_| ()))
    })
    .await
    .expect("the whole list's size comes with its first page");
    let rendered = || async {
        s.execute("return document.querySelectorAll('[data-testid=order-row]').length")
            .await
            .unwrap()
            .as_u64()
            .unwrap_or(0)
    };
    assert!(
        rendered().await < 200,
        "only the rows near the screen are in the page"
    );

    // Scrolled to row 600: its page is fetched and its rows take their place.
    s.execute(
        "const l = document.querySelector('[data-testid=order-list]');
         window.scrollTo(0, l.getBoundingClientRect().top + window.scrollY + 600 * 62);
         return true",
    )
    .await
    .unwrap();
    s.wait_first("[data-order-id='L-00600']", Duration::from_secs(20))
        .await
        .expect("row 600 shows once scrolled to");
    assert!(rendered().await < 200);

    // Back on top, End on the first row moves the focus to the very last order.
    s.execute("window.scrollTo(0, 0); return true")
        .await
        .unwrap();
    let first = "[data-order-id='L-00000'] [data-testid=order-title]";
    s.wait_first(first, Duration::from_secs(20))
        .await
        .expect("the first row shows again on top");
    s.execute(&format!(
        "document.querySelector(\"{first}\").focus(); return true"
    ))
    .await
    .unwrap();
    s.press("\u{E010}").await.unwrap(); // End
    let last = format!("L-{:05}", N - 1);
    s.wait_for("the last row focused", Duration::from_secs(20), || async {
        let focused = s
            .execute("return document.activeElement?.closest('[data-order-id]')?.dataset.orderId ?? null")
            .await?;
        Ok(focused.as_str().filter(|id| *id == last).map(|_| ()))
    })
    .await
    .expect("End reaches the last order, fetched on the way");
    let posinset = s
        .execute("return document.activeElement.closest('[data-testid=order-row]').getAttribute('aria-posinset')")
        .await
        .unwrap();
    assert_eq!(posinset.as_str(), Some(N.to_string().as_str()));
    w.screenshot("long-list-end.png").await;
    w.session.close().await;
    sim.shutdown().await;
}
