//! End-to-end: the app in the background. On a desktop with a tray host, a real close
//! request (WM_DELETE_WINDOW, what a window manager's close button sends) hides the main
//! window and the app keeps running; the window's size and position are saved and come
//! back on the next start.

#[path = "e2e/window.rs"]
mod window;

use std::ffi::CString;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use window::{Desktop, ONE_WINDOW, Window};

/// The ids of the mapped (visible) windows titled "sellerdesk…" on `display`.
fn visible_app_windows(display: &str) -> Vec<u64> {
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", "^sellerdesk"])
        .env("DISPLAY", display)
        .output()
        .expect("xdotool (scripts/install.sh installs it)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// Sends WM_DELETE_WINDOW to `window`, as a window manager does when its close button is
/// pressed (Xvfb runs none).
fn request_close(display: &str, window: u64) {
    use x11_dl::xlib;
    let x = xlib::Xlib::open().expect("libX11");
    let name = CString::new(display).unwrap();
    // SAFETY: plain Xlib calls on a display opened and closed here; the event is zeroed
    // and then filled as a ClientMessage.
    unsafe {
        let dpy = (x.XOpenDisplay)(name.as_ptr());
        assert!(!dpy.is_null(), "cannot open display {display}");
        let protocols = (x.XInternAtom)(dpy, c"WM_PROTOCOLS".as_ptr(), xlib::False);
        let delete = (x.XInternAtom)(dpy, c"WM_DELETE_WINDOW".as_ptr(), xlib::False);
        let mut event: xlib::XEvent = std::mem::zeroed();
        event.client_message.type_ = xlib::ClientMessage;
        event.client_message.window = window;
        event.client_message.message_type = protocols;
        event.client_message.format = 32;
        event.client_message.data.set_long(0, delete as i64);
        event
            .client_message
            .data
            .set_long(1, xlib::CurrentTime as i64);
        (x.XSendEvent)(dpy, window, xlib::False, xlib::NoEventMask, &mut event);
        (x.XFlush)(dpy);
        (x.XCloseDisplay)(dpy);
    }
}

/// Waits until no process holds the data folder's instance lock (the app has exited).
async fn wait_unlocked(data_dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let lock = std::fs::File::open(data_dir.join("sellerdesk.lock")).expect("the instance lock");
    while lock.try_lock().is_err() {
        assert!(
            Instant::now() < deadline,
            "the app must exit when its WebDriver session ends"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = lock.unlock();
}

/// Closes the one visible app window as a window manager does and waits until it is
/// hidden (the app stays in the tray).
async fn close_to_tray(w: &Window, what: &str) {
    let shown = visible_app_windows(w.display());
    assert_eq!(
        shown.len(),
        1,
        "{what}: one visible window before closing: {shown:?}"
    );
    request_close(w.display(), shown[0]);
    w.session
        .wait_for(what, Duration::from_secs(10), || async {
            Ok(visible_app_windows(w.display()).is_empty().then_some(()))
        })
        .await
        .unwrap_or_else(|e| panic!("{what}: closing the window hides it to the tray: {e}"));
}

async fn wait_rows(w: &Window) {
    w.session
        .wait_for("the demo order list", Duration::from_secs(60), || async {
            let rows = w.session.find_all("[data-testid=order-row]").await?;
            Ok((!rows.is_empty()).then_some(()))
        })
        .await
        .expect("the window lists the demo orders");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_window_with_a_tray_hides_it_keeps_the_app_running_and_remembers_its_place() {
    let _one = ONE_WINDOW.lock().await;
    let data = tempfile::tempdir().unwrap();
    let data_path = data.path().to_string_lossy().to_string();
    let env = [("SELLERDESK_DATA_DIR", data_path.as_str())];

    let placed = {
        let w = Window::launch_with_tray_host(tempfile::tempdir().unwrap(), &env).await;
        wait_rows(&w).await;
        w.session
            .set_window_rect(40, 30, 900, 650)
            .await
            .expect("the window moves");
        let placed = w.session.window_rect().await.unwrap();
        assert_eq!(
            (placed.2, placed.3),
            (900, 650),
            "the window took the new size"
        );
        close_to_tray(&w, "closing the window with a tray host hides it").await;
        let title = w
            .session
            .execute("return document.title")
            .await
            .expect("the app and its page still answer after the window was closed");
        assert!(
            title.as_str().unwrap_or_default().starts_with("sellerdesk"),
            "{title}"
        );
        let state = std::fs::read_to_string(data.path().join("window-state.json"))
            .expect("the window's place is saved when it is closed to the tray");
        assert!(state.contains("\"main\""), "{state}");
        w.session.close().await;
        placed
    };
    wait_unlocked(data.path()).await;

    let w = Window::launch(tempfile::tempdir().unwrap(), &env).await;
    wait_rows(&w).await;
    assert_eq!(
        w.session.window_rect().await.unwrap(),
        placed,
        "the next start puts the window where and as large as it was"
    );
    assert_eq!(
        visible_app_windows(w.display()).len(),
        1,
        "a window closed to the tray comes back shown on the next start"
    );
}

/// With the window closed to the tray, four alerts due at once arrive as three
/// notifications and one summary; a notification's Accept still reaches the marketplace
/// (the app runs its alerts and outbox without a window) and then shows the order with
/// its outcome; the summary's click shows the window; launching the app again brings the
/// running instance's window back instead of a second app.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_window_still_answers_notifications_and_a_second_launch_shows_it() {
    let _one = ONE_WINDOW.lock().await;
    // Four new orders due at once: three get a notification each, one is summed up.
    let new_orders = ["D-1003", "D-1012", "D-1020", "D-1029"];
    let config = sellerdesk_sim::SimConfig {
        demo_ids: Some(
            ["D-1001"]
                .iter()
                .chain(&new_orders)
                .map(|s| s.to_string())
                .collect(),
        ),
        ..sellerdesk_sim::SimConfig::demo(chrono::Utc::now())
    };
    let sim = sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator");
    let url = sim.base_url();
    let env = [
        ("SELLERDESK_API_URL", url.as_str()),
        ("SELLERDESK_API_TOKEN", sim.token()),
    ];
    let desktop = Desktop {
        tray_host: true,
        notifications: true,
        ..Desktop::default()
    };
    let w = Window::launch_on_desktop(tempfile::tempdir().unwrap(), &env, desktop).await;
    wait_rows(&w).await;
    close_to_tray(&w, "the window hidden").await;

    let server = w.notifications.as_ref().unwrap();
    let shown = w
        .session
        .wait_for(
            "three notifications and a summary",
            Duration::from_secs(60),
            || async { Ok((server.shown().len() >= 4).then(|| server.shown())) },
        )
        .await
        .expect("the alert loop notifies the new orders");
    let (summary, own): (Vec<_>, Vec<_>) = shown
        .into_iter()
        .partition(|n| n.summary.ends_with("more alert needs you"));
    assert_eq!(
        (own.len(), summary.len()),
        (3, 1),
        "three of their own, one summary: {own:?} {summary:?}"
    );
    assert!(own.iter().all(|n| n.actions.iter().any(|a| a == "accept")));
    let first = &own[0];
    let answered = sim
        .handle()
        .orders()
        .into_iter()
        .find(|o| o.title == first.body)
        .expect("the notification names a demo order")
        .id;
    assert!(new_orders.contains(&answered.as_str()));
    assert!(
        visible_app_windows(w.display()).is_empty(),
        "still hidden when answering"
    );
    server.press(first.id, "accept").await;
    w.session
        .wait_for(
            "the marketplace to see the order accepted",
            Duration::from_secs(60),
            || async {
                let order = sim.handle().order(&answered).expect("the order");
                Ok(
                    (order.status != sellerdesk_api::OrderStatus::AwaitingAcceptance)
                        .then_some(order.status),
                )
            },
        )
        .await
        .expect("Accept on the notification reaches the marketplace with the window hidden");
    // Then the window comes back on that order, where the outcome shows (applied, or the
    // marketplace's refusal).
    let opened = w
        .session
        .wait_first(
            &format!("[data-testid=order-detail][data-order-id='{answered}']"),
            Duration::from_secs(30),
        )
        .await
        .expect("the answered order opens to show the outcome");
    assert!(!opened.is_empty());
    close_to_tray(&w, "the window, shown with the outcome, hidden again").await;

    // The summary's click brings the window back (its inbox lists every alert).
    server.press(summary[0].id, "default").await;
    w.session
        .wait_for(
            "the window shown by the summary",
            Duration::from_secs(30),
            || async { Ok((visible_app_windows(w.display()).len() == 1).then_some(())) },
        )
        .await
        .expect("clicking the summary shows the window");
    close_to_tray(&w, "the window hidden once more").await;

    // A second launch (as from the app menu) on the same desktop and data folder.
    let data = w.data_dir.path().to_string_lossy().to_string();
    let mut second = Command::new(sellerdesk_tests::app_binary())
        .env("DISPLAY", w.display())
        .env("DBUS_SESSION_BUS_ADDRESS", w.bus_address())
        .env("SELLERDESK_DATA_DIR", &data)
        .envs(env)
        .spawn()
        .expect("a second launch");
    w.session
        .wait_for(
            "the first instance's window shown again",
            Duration::from_secs(30),
            || async { Ok((visible_app_windows(w.display()).len() == 1).then_some(())) },
        )
        .await
        .expect("a second launch shows the running app's window");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("the second launch must hand over to the first and exit");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        status.success(),
        "the second launch exits cleanly: {status}"
    );
    assert_eq!(
        visible_app_windows(w.display()).len(),
        1,
        "one window: the first instance's"
    );
    w.session.close().await;
    sim.shutdown().await;
}
