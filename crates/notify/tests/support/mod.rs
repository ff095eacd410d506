//! Test support: a private D-Bus session bus for the test (the test binary re-runs itself
//! under `dbus-run-session`) and a fake freedesktop notification server on it.

pub use sellerdesk_tests::notifications as fake_server;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child run: the test body runs there, on the private bus.
const CHILD: &str = "SELLERDESK_NOTIFY_PRIVATE_BUS";

/// A session bus with no service directories: nothing on the machine is ever activated
/// (no real notification daemon pops up), so the only server is the test's own.
const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// Whether this process is the child on the private bus, which runs the test's body.
/// In the parent, runs `test` again as a child under `dbus-run-session` (so the whole
/// child process, notify-rust included, sees only the private bus), and fails when it
/// fails; then returns false.
pub fn on_private_bus(test: &str) -> bool {
    if std::env::var_os(CHILD).is_some() {
        assert!(
            std::env::var("DBUS_SESSION_BUS_ADDRESS").is_ok_and(|a| a.contains("/tmp/")),
            "the child must run on the private bus"
        );
        return true;
    }
    if Command::new("dbus-run-session")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!(
            "dbus-run-session is missing: install the packages dbus and dbus-x11 \
             (scripts/install.sh) to run the notification tests on a private session bus"
        );
    }
    let dir = std::env::temp_dir().join(format!("sellerdesk-notify-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("session.conf");
    std::fs::write(&config, BUS_CONFIG).unwrap();
    let mut child = Command::new("dbus-run-session")
        .arg(format!("--config-file={}", config.display()))
        .arg("--")
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child run of {test} hung for 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    println!("{out}");
    eprintln!("{err}");
    assert!(
        status.success(),
        "{test} failed on the private bus ({status})"
    );
    assert!(
        out.contains("1 passed"),
        "the child must have run {test} itself: {out}"
    );
    false
}
