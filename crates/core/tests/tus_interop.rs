//! Interop: the core's tus client and upload queue against a third-party tus 1.0 server,
//! tus-node-server (`@tus/server` with its file store, `tests/tus-interop`), on
//! 127.0.0.1. That server has no checksum extension, so this also proves the queue
//! uploads without `Upload-Checksum` when OPTIONS does not offer it.

use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use sellerdesk_api::OrderAction;
use sellerdesk_core::store::{Account, DraftContent, DraftFile, JobState, Store};
use sellerdesk_core::uploads::tus::TusClient;
use sellerdesk_core::uploads::{UploadConfig, UploadQueue};
use sha2::Digest as _;

/// tus-node-server in a child process; killed on drop.
struct NodeTus {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl NodeTus {
    fn start() -> NodeTus {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/tus-interop");
        assert!(
            root.join("node_modules/@tus/server").exists(),
            "tus-node-server is not installed: run `npm ci --prefix tests/tus-interop` (scripts/install.sh does)"
        );
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new("node")
            .arg(root.join("server.mjs"))
            .arg(dir.path())
            // The server exits when this pipe closes (the test ended or died).
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node must be installed (the UI build needs it too)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("LISTENING ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("tus-node-server did not start: {line:?}"));
        NodeTus { child, port, dir }
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The bytes the server stored for an upload URL (the file store names files by id).
    fn stored(&self, url: &str) -> Vec<u8> {
        let id = url.rsplit('/').next().unwrap();
        std::fs::read(self.dir.path().join(id)).unwrap()
    }
}

impl Drop for NodeTus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn source(dir: &Path, name: &str, len: usize) -> (PathBuf, Vec<u8>) {
    let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&bytes)
        .unwrap();
    (path, bytes)
}

#[tokio::test]
async fn the_client_creates_resumes_and_terminates_on_tus_node_server() {
    let server = NodeTus::start();
    let work = tempfile::tempdir().unwrap();
    let (path, bytes) = source(work.path(), "logo.zip", 3 * (1 << 20) + 17);
    let endpoint = format!("{}/v1/uploads", server.base_url());

    let client = TusClient::new(&endpoint, None).unwrap();
    let caps = client.options().await.unwrap();
    assert!(caps.has_extension("creation") && caps.has_extension("termination"));
    assert!(!caps.checks_sha256(), "tus-node-server offers no checksum");

    let url = client
        .create(bytes.len() as u64, &[("filename", "logo.zip")])
        .await
        .unwrap();
    let half = 1 << 20;
    let offset = client
        .patch_file_range(&url, &path, 0, half, None, |_| Ok(()))
        .await
        .unwrap();
    assert_eq!(offset, half);

    // A new client (as after a restart) asks the server where to go on from.
    let again = TusClient::new(&endpoint, None).unwrap();
    let resumed_at = again.offset(&url).await.unwrap();
    assert_eq!(resumed_at, half);
    let end = again
        .patch_file_range(
            &url,
            &path,
            resumed_at,
            bytes.len() as u64 - resumed_at,
            None,
            |_| Ok(()),
        )
        .await
        .unwrap();
    assert_eq!(end, bytes.len() as u64);
    assert!(
        server.stored(url.as_str()) == bytes,
        "stored bytes equal the file"
    );

    again.terminate(&url).await.unwrap();
    assert!(
        again.offset(&url).await.is_err(),
        "a terminated upload is gone"
    );
}

#[tokio::test]
async fn the_upload_queue_delivers_through_tus_node_server() {
    let server = NodeTus::start();
    let work = tempfile::tempdir().unwrap();
    let (a, a_bytes) = source(work.path(), "a.bin", 5 * (1 << 20) + 3);
    let (b, b_bytes) = source(work.path(), "b.txt", 999);
    let store = Arc::new(Store::open(&work.path().join("s.db")).unwrap());
    store
        .save_account(&Account::new("acct", "Interop", &server.base_url()))
        .unwrap();
    let mut config = UploadConfig::new("acct", &server.base_url(), "unused-token", 5 << 30);
    config.chunk_bytes = 2 << 20;
    let queue = UploadQueue::start(store.clone(), config).unwrap();
    let file = |p: &Path, len: usize| DraftFile {
        path: p.display().to_string(),
        name: p.file_name().unwrap().to_string_lossy().into(),
        size: len as u64,
    };
    let content = DraftContent {
        description: "Interop delivery".into(),
        files: vec![file(&a, a_bytes.len()), file(&b, b_bytes.len())],
        ..DraftContent::default()
    };
    queue.submit_delivery("acct", "D-1", &content).unwrap();

    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let jobs = queue.jobs().unwrap();
        if jobs.iter().all(|j| j.state == JobState::Done) {
            break;
        }
        assert!(jobs.iter().all(|j| j.state != JobState::Failed), "{jobs:?}");
        assert!(tokio::time::Instant::now() < deadline, "{jobs:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pending = store.pending_actions("acct").unwrap();
    assert_eq!(pending.len(), 1, "the deliver action is queued once");
    let OrderAction::Deliver(delivery) = &pending[0].action else {
        panic!("{:?}", pending[0].action)
    };
    for (sent, bytes) in delivery.files.iter().zip([&a_bytes, &b_bytes]) {
        assert_eq!(sent.sha256, hex::encode(sha2::Sha256::digest(bytes)));
        assert!(server.stored(&sent.upload_id) == *bytes, "{}", sent.name);
    }
}
