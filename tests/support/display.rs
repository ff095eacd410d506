//! A private X display (Xvfb) and the tauri-driver process, both killed on drop.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the child when dropped, so a failing test leaves no process behind.
pub struct Guarded(pub Child);

impl Drop for Guarded {
    /// SIGTERM first, so Xvfb removes its lock file and socket; SIGKILL if it lingers.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether display `n` is held by a live X server (its lock file names a running pid).
/// A lock or socket left by a killed server does not count: Xvfb replaces stale ones.
fn display_in_use(n: u32) -> bool {
    std::fs::read_to_string(format!("/tmp/.X{n}-lock"))
        .ok()
        .and_then(|pid| pid.trim().parse::<u32>().ok())
        .is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists())
}

pub struct Xvfb {
    pub display: String,
    _child: Guarded,
}

impl Xvfb {
    /// Starts Xvfb on the first free display number from :90.
    pub fn start() -> Xvfb {
        for n in 90..190 {
            if display_in_use(n) {
                continue;
            }
            let display = format!(":{n}");
            let child = Command::new("Xvfb")
                .args([&display, "-screen", "0", "1280x900x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb must be installed (apt package xvfb)");
            let mut child = Guarded(child);
            let pid = child.0.id().to_string();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                let locked_by_us = std::fs::read_to_string(format!("/tmp/.X{n}-lock"))
                    .is_ok_and(|p| p.trim() == pid);
                if locked_by_us && Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                    // The lock is written just before the socket listens.
                    std::thread::sleep(Duration::from_millis(100));
                    return Xvfb {
                        display,
                        _child: child,
                    };
                }
                if let Ok(Some(_)) = child.0.try_wait() {
                    break; // lost a race for this display number; try the next
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("could not start Xvfb on any display :90..:189");
    }
}

/// tauri-driver listening on `port`, driving WebKitWebDriver on `native_port`.
pub fn start_tauri_driver(
    display: &str,
    port: u16,
    native_port: u16,
    env: &[(&str, &str)],
) -> Guarded {
    let mut cmd = Command::new(crate::tauri_driver());
    cmd.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &native_port.to_string(),
    ])
    .env("DISPLAY", display)
    .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
    .env("LIBGL_ALWAYS_SOFTWARE", "1")
    .env_remove("WAYLAND_DISPLAY")
    .stdout(Stdio::null())
    .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Guarded(cmd.spawn().expect("cannot start tauri-driver"))
}

/// Types `path` into the system file dialog titled `title` on `display` and confirms it,
/// as a seller would (Ctrl+L opens the location field of GTK's file chooser), and checks the
/// dialog closed on it.
/// Waits up to `timeout` for the dialog to appear.
pub fn choose_in_file_dialog(
    display: &str,
    title: &str,
    path: &Path,
    timeout: Duration,
) -> anyhow::Result<()> {
    let xdotool = |args: &[&str]| -> anyhow::Result<String> {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", display)
            .output()
            .map_err(|e| anyhow::anyhow!("xdotool must be installed (apt package xdotool): {e}"))?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let deadline = Instant::now() + timeout;
    let window = loop {
        let found = xdotool(&["search", "--onlyvisible", "--name", title])?;
        if let Some(id) = found.lines().last().filter(|l| !l.is_empty()) {
            break id.to_string();
        }
        if Instant::now() > deadline {
            anyhow::bail!("no file dialog titled {title:?} appeared within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let text = path.to_string_lossy().to_string();
    // Typing can lose keys while GTK opens its location entry on a busy machine: try
    // again until the dialog is gone (it closes only on a path it accepts).
    for _attempt in 0..4 {
        // No window manager under Xvfb: give the dialog the keyboard focus ourselves.
        xdotool(&["windowfocus", "--sync", &window])?;
        std::thread::sleep(Duration::from_millis(300));
        // Real (XTEST) key events to the focused dialog: GTK ignores synthetic ones.
        // Ctrl+L opens the location entry; Ctrl+A replaces whatever a lost try left.
        xdotool(&["key", "ctrl+l"])?;
        std::thread::sleep(Duration::from_millis(300));
        xdotool(&["key", "ctrl+a"])?;
        xdotool(&["type", "--delay", "25", &text])?;
        std::thread::sleep(Duration::from_millis(500));
        xdotool(&["key", "Return"])?;
        let closing = Instant::now() + Duration::from_secs(3);
        while Instant::now() < closing {
            let open = xdotool(&["search", "--onlyvisible", "--name", title])?;
            if !open.lines().any(|l| l == window) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        if Instant::now() > deadline {
            break;
        }
    }
    anyhow::bail!("the file dialog {title:?} did not take {text} within {timeout:?}")
}

/// A private D-Bus session bus for one window: the app under test reaches neither the
/// user's keychain nor their notification daemon, and GTK still has a bus to talk to.
pub struct SessionBus {
    pub address: String,
    _child: Guarded,
}

impl SessionBus {
    pub fn start() -> SessionBus {
        use std::io::BufRead;
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon must be installed (apt package dbus)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("dbus-daemon prints its address");
        let address = line.trim().to_string();
        assert!(
            address.starts_with("unix:"),
            "dbus-daemon gave no address: {address:?}"
        );
        SessionBus {
            address,
            _child: Guarded(child),
        }
    }
}
