//! The upload bench's third-party peer: tus-node-server (`@tus/server` with its file
//! store, `tests/tus-interop/server.mjs`) in a child process on 127.0.0.1, and the
//! reference client, tus-js-client (`tests/tus-interop/upload.mjs`), uploading to it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/tus-interop")
}

/// tus-node-server storing uploads in `dir`; killed on drop.
pub struct NodeTus {
    child: Child,
    pub port: u16,
}

impl NodeTus {
    pub fn start(dir: &Path) -> NodeTus {
        let root = interop_dir();
        assert!(
            root.join("node_modules/@tus/server").exists()
                && root.join("node_modules/tus-js-client").exists(),
            "tus-node-server or tus-js-client is not installed: run `npm ci --prefix tests/tus-interop`"
        );
        std::fs::create_dir_all(dir).expect("the node server's directory");
        let mut child = Command::new("node")
            .arg(root.join("server.mjs"))
            .arg(dir)
            // The server exits when this pipe closes.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node must be installed");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its stdout"))
            .read_line(&mut line)
            .expect("its first line");
        let port = line
            .trim()
            .strip_prefix("LISTENING ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("tus-node-server did not start: {line:?}"));
        NodeTus { child, port }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for NodeTus {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Uploads `file` with tus-js-client to `endpoint`: the time it measured (start() →
/// onSuccess, without Node's start-up) and the upload URL. Panics if it failed.
pub fn tus_js_client(endpoint: &str, file: &Path) -> (Duration, String) {
    let out = Command::new("node")
        .arg(interop_dir().join("upload.mjs"))
        .arg(endpoint)
        .arg(file)
        .stderr(Stdio::inherit())
        .output()
        .expect("node must be installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "tus-js-client failed: {text}");
    let mut words = text
        .lines()
        .find_map(|l| l.strip_prefix("UPLOADED "))
        .unwrap_or_else(|| panic!("tus-js-client printed no result: {text}"))
        .split_whitespace();
    let ms: f64 = words.next().and_then(|m| m.parse().ok()).expect("its time");
    let url = words.next().expect("its upload URL").to_string();
    (Duration::from_secs_f64(ms / 1e3), url)
}
