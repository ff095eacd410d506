//! The app under test in its own window: a private Xvfb display and session bus,
//! tauri-driver, a WebDriver session, and screenshots kept for CI.
#![allow(dead_code)] // each E2E binary uses its own subset

use std::path::PathBuf;

use sellerdesk_tests::display::{Guarded, SessionBus, Xvfb, start_tauri_driver};
use sellerdesk_tests::file_manager::FakeFileManager;
use sellerdesk_tests::notifications::FakeServer;
use sellerdesk_tests::webdriver::Session;
use sellerdesk_tests::{app_binary, free_port};

/// One window at a time: WebKit is heavy on a 2-core machine.
pub static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What the private desktop offers the app besides a display and a session bus; each
/// owns its name on the bus before the app starts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Desktop {
    /// A tray host (a StatusNotifierWatcher): the desktop shows tray icons.
    pub tray_host: bool,
    /// A notification server (`Window::notifications`) recording what the app shows.
    pub notifications: bool,
    /// A file manager (`Window::file_manager`) recording what "Show in folder" asks.
    pub file_manager: bool,
}

pub struct Window {
    pub session: Session,
    pub data_dir: tempfile::TempDir,
    _driver: Guarded,
    /// The desktop's notification server, when the desktop has one (see `Desktop`).
    pub notifications: Option<FakeServer>,
    /// The desktop's file manager, when the desktop has one (see `Desktop`).
    pub file_manager: Option<FakeFileManager>,
    /// Holds the tray host's name on the bus while the window lives (see `launch_with_tray_host`).
    _tray_host: Option<zbus::Connection>,
    _bus: SessionBus,
    _xvfb: Xvfb,
}

impl Window {
    /// Launches the app with its data in `data_dir` and extra environment.
    pub async fn launch(data_dir: tempfile::TempDir, env: &[(&str, &str)]) -> Window {
        Window::launch_on_desktop(data_dir, env, Desktop::default()).await
    }

    /// Launches the app on a session bus where a tray host (a StatusNotifierWatcher) owns
    /// its name before the app starts: the desktop shows tray icons.
    pub async fn launch_with_tray_host(
        data_dir: tempfile::TempDir,
        env: &[(&str, &str)],
    ) -> Window {
        let desktop = Desktop {
            tray_host: true,
            ..Desktop::default()
        };
        Window::launch_on_desktop(data_dir, env, desktop).await
    }

    /// Launches the app on a private desktop offering `desktop`.
    pub async fn launch_on_desktop(
        data_dir: tempfile::TempDir,
        env: &[(&str, &str)],
        desktop: Desktop,
    ) -> Window {
        let xvfb = Xvfb::start();
        let (port, native) = (free_port(), free_port());
        let data = data_dir.path().to_string_lossy().to_string();
        // A private session bus: the app can reach neither the user's keychain nor their
        // notification daemon (its tokens stay in memory; its notifications go to the
        // test's own server when the desktop offers one).
        let bus = SessionBus::start();
        let notifications = match desktop.notifications {
            false => None,
            true => Some(FakeServer::start_at(&bus.address).await),
        };
        let file_manager = match desktop.file_manager {
            false => None,
            true => Some(FakeFileManager::start_at(&bus.address).await),
        };
        let tray_host = match desktop.tray_host {
            false => None,
            true => Some(
                zbus::connection::Builder::address(bus.address.as_str())
                    .name("org.kde.StatusNotifierWatcher")
                    .build()
                    .await
                    .expect("a tray host on the private bus"),
            ),
        };
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
            notifications,
            file_manager,
            _tray_host: tray_host,
            _bus: bus,
            _xvfb: xvfb,
        }
    }

    /// Text and data-state of the sync status line.
    pub async fn sync_line(&self) -> anyhow::Result<Option<(String, String)>> {
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
    pub async fn launch_on_demo_sim() -> (sellerdesk_sim::RunningSim, Window) {
        let sim = sellerdesk_sim::spawn(
            sellerdesk_sim::SimConfig::demo(chrono::Utc::now()),
            ([127, 0, 0, 1], 0).into(),
        )
        .await
        .expect("simulator");
        let w = Window::launch_on(&sim).await;
        (sim, w)
    }

    /// A window on `sim`, with a fresh data folder.
    pub async fn launch_on(sim: &sellerdesk_sim::RunningSim) -> Window {
        let url = sim.base_url();
        Window::launch(
            tempfile::tempdir().unwrap(),
            &[
                ("SELLERDESK_API_URL", &url),
                ("SELLERDESK_API_TOKEN", sim.token()),
            ],
        )
        .await
    }

    /// Waits for the order in the list (up to 60 s: the first sync) and opens its detail.
    pub async fn open_order(&self, id: &str) {
        let title = format!("[data-order-id='{id}'] [data-testid=order-title]");
        let row = self
            .session
            .wait_first(&title, std::time::Duration::from_secs(60))
            .await
            .unwrap_or_else(|e| panic!("order {id} is listed: {e}"));
        self.session.click(&row).await.unwrap();
    }

    pub fn display(&self) -> &str {
        &self._xvfb.display
    }

    /// The private session bus the app is on.
    pub fn bus_address(&self) -> &str {
        &self._bus.address
    }

    pub fn artifact(&self, name: &str) -> PathBuf {
        self.data_dir.path().join(name)
    }

    /// Saves a screenshot in the test's temp dir, and copies it to `SELLERDESK_E2E_ARTIFACTS`
    /// when set (CI keeps them there).
    pub async fn screenshot(&self, name: &str) {
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
