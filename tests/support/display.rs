//! A private X display (Xvfb) and the tauri-driver process, both killed on drop.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the child when dropped, so a failing test leaves no process behind.
pub struct Guarded(pub Child);

impl Drop for Guarded {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Xvfb {
    pub display: String,
    _child: Guarded,
}

impl Xvfb {
    /// Starts Xvfb on the first free display number from :90.
    pub fn start() -> Xvfb {
        for n in 90..190 {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                || Path::new(&format!("/tmp/.X{n}-lock")).exists()
            {
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
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
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
