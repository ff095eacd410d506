//! Upload benchmark: 1 GiB through the upload queue to the simulator's tus server vs
//! `curl -X PATCH -T` to the same server in the same run; 1 GiB through the queue to
//! tus-node-server (`@tus/server`, file store) vs tus-js-client to that server; and the
//! client's peak RSS (VmHWM of a child process doing only the upload) for 1 GiB and 5 GB
//! files. Each figure the median (min, max) of five runs, the two clients alternating.
//! The servers' copies are removed after each run.
//! Run: `cargo bench -p sellerdesk-core --bench upload`.

#[path = "common/figures.rs"]
mod figures;
#[path = "common/node_tus.rs"]
mod node_tus;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use sellerdesk_core::store::{Account, DraftContent, DraftFile, JobState, Store};
use sellerdesk_core::uploads::tus::TusClient;
use sellerdesk_core::uploads::{UploadConfig, UploadQueue};
use sellerdesk_sim::SimConfig;

const CHILD_ENV: &str = "SELLERDESK_UPLOAD_BENCH_CHILD";
const GIB: u64 = 1 << 30;
const RUNS: usize = 5;

fn content(path: &Path) -> DraftContent {
    DraftContent {
        description: "bench".into(),
        files: vec![DraftFile {
            path: path.display().to_string(),
            name: path.file_name().unwrap().to_string_lossy().into(),
            size: std::fs::metadata(path).unwrap().len(),
        }],
        ..DraftContent::default()
    }
}

/// Uploads `file` through a fresh queue on `db`; returns the elapsed time.
async fn upload_through_queue(base: &str, token: &str, db: &Path, file: &Path) -> Duration {
    let store = Arc::new(Store::open(db).expect("open the bench database"));
    store
        .save_account(&Account::new("acct", "Bench", base))
        .expect("save the bench account");
    let queue = UploadQueue::start(
        store.clone(),
        UploadConfig::new("acct", base, token, 5 * GIB),
    )
    .expect("start the queue");
    let start = Instant::now();
    queue
        .submit_delivery("acct", "BENCH-1", &content(file))
        .expect("submit");
    loop {
        let jobs = queue.jobs().expect("jobs");
        if let Some(j) = jobs
            .iter()
            .find(|j| j.state != JobState::Uploading && j.state != JobState::Queued)
        {
            assert_eq!(
                j.state,
                JobState::Done,
                "the bench upload failed: {:?}",
                j.last_error
            );
            return start.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn child(spec: &str) {
    let mut p = spec.splitn(4, '|');
    let (base, token, db, file) = (
        p.next().unwrap(),
        p.next().unwrap(),
        PathBuf::from(p.next().unwrap()),
        PathBuf::from(p.next().unwrap()),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let took = rt.block_on(upload_through_queue(base, token, &db, &file));
    println!("{} {}", vm_hwm_kib(), took.as_secs_f64());
}

fn write_real_file(path: &Path, len: u64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut block = vec![0u8; 1 << 20];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..len >> 20 {
        for b in block.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b.copy_from_slice(&x.to_le_bytes()[..b.len()]);
        }
        f.write_all(&block).unwrap();
    }
    f.flush().unwrap();
    f.get_ref().sync_all().unwrap();
}

fn mb_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        return child(&spec);
    }
    // `cargo bench` passes `--bench`; any other filter argument is ignored.
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut config = SimConfig::demo(Utc::now());
    config.upload_dir = Some(dir.path().join("server"));
    let sim = rt
        .block_on(sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into()))
        .unwrap();
    let (base, token) = (sim.base_url(), sim.token().to_string());

    let real = dir.path().join("real-1g.bin");
    write_real_file(&real, GIB);
    println!(
        "upload benchmark (simulator tus server on 127.0.0.1, files in {})",
        dir.path().display()
    );

    let server_dir = dir.path().join("server");
    let mut queue = Vec::new();
    let mut curl = Vec::new();
    for run in 0..RUNS {
        // 1 GiB through the queue (16 MiB PATCHes with sha256 checksums).
        let took = rt.block_on(upload_through_queue(
            &base,
            &token,
            &dir.path().join(format!("q-{run}.db")),
            &real,
        ));
        println!(
            "queue 1 GiB real file: {:>7.1} MB/s ({:.2} s)",
            mb_s(GIB, took),
            took.as_secs_f64()
        );
        queue.push(mb_s(GIB, took));
        empty(&server_dir);
        let took = rt.block_on(curl_upload(&base, &token, &real));
        println!(
            "curl  1 GiB real file: {:>7.1} MB/s ({:.2} s)",
            mb_s(GIB, took),
            took.as_secs_f64()
        );
        curl.push(mb_s(GIB, took));
        empty(&server_dir);
    }
    figures::figure(
        "1 GiB through the upload queue (tus, sha256 per 16 MiB chunk, verified by the server)",
        "MB/s",
        &queue,
        Some(("curl -T", &curl)),
    );
    figures::figure(
        "the same file with curl -T to the same tus server (no checksum)",
        "MB/s",
        &curl,
        None,
    );

    // The same file to tus-node-server: through the queue (that server offers no checksum
    // extension, so the queue sends none) and with tus-js-client.
    let node_dir = dir.path().join("node-server");
    let node = node_tus::NodeTus::start(&node_dir);
    let endpoint = format!("{}/v1/uploads", node.base_url());
    let (mut queue_node, mut js) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let took = rt.block_on(upload_through_queue(
            &node.base_url(),
            "unused",
            &dir.path().join(format!("node-q-{run}.db")),
            &real,
        ));
        println!(
            "queue         → @tus/server 1 GiB: {:>7.1} MB/s ({:.2} s)",
            mb_s(GIB, took),
            took.as_secs_f64()
        );
        queue_node.push(mb_s(GIB, took));
        empty(&node_dir);
        let (took, url) = node_tus::tus_js_client(&endpoint, &real);
        let offset = rt
            .block_on(
                TusClient::new(&endpoint, None)
                    .unwrap()
                    .offset(&reqwest::Url::parse(&url).expect("an upload URL")),
            )
            .expect("the server's offset after tus-js-client");
        assert_eq!(
            offset, GIB,
            "tus-js-client must have uploaded the whole file"
        );
        println!(
            "tus-js-client → @tus/server 1 GiB: {:>7.1} MB/s ({:.2} s)",
            mb_s(GIB, took),
            took.as_secs_f64()
        );
        js.push(mb_s(GIB, took));
        empty(&node_dir);
    }
    drop(node);
    figures::figure(
        "1 GiB through the upload queue to @tus/server (file store; it offers no checksum)",
        "MB/s",
        &queue_node,
        Some(("tus-js-client", &js)),
    );
    figures::figure(
        "the same file with tus-js-client to @tus/server (one PATCH, its default)",
        "MB/s",
        &js,
        None,
    );
    std::fs::remove_file(&real).ok();

    // Peak RSS of a child doing only the upload (sparse files: reading them is faster than
    // a real disk, so their throughput is not a disk figure).
    let exe = std::env::current_exe().unwrap();
    for (label, len) in [("1 GiB", GIB), ("5 GB", 5_000_000_000)] {
        let mut peaks = Vec::new();
        for run in 0..RUNS {
            let file = dir.path().join("sparse.bin");
            std::fs::File::create(&file).unwrap().set_len(len).unwrap();
            let db = dir.path().join(format!("child-{label}-{run}.db"));
            let out = std::process::Command::new(&exe)
                .env(
                    CHILD_ENV,
                    format!("{base}|{token}|{}|{}", db.display(), file.display()),
                )
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "child failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            let mut it = text.split_whitespace();
            let hwm: f64 = it.next().unwrap().parse().unwrap();
            let secs: f64 = it.next().unwrap().parse().unwrap();
            println!(
                "  {label} sparse: VmHWM {:>6.1} MiB, {:>7.1} MB/s ({secs:.2} s)",
                hwm / 1024.0,
                len as f64 / secs / 1e6
            );
            peaks.push(hwm / 1024.0);
            std::fs::remove_file(&file).ok();
            empty(&server_dir);
        }
        figures::figure(
            &format!("peak RSS of a process uploading {label} through the queue"),
            "MiB",
            &peaks,
            None,
        );
    }
    println!(
        "server received {:.2} GiB in all",
        sim.handle().upload_bytes_received() as f64 / GIB as f64
    );
}

/// `curl -X PATCH -T` of `file` on an upload created by POST; checks the server's offset.
async fn curl_upload(base: &str, token: &str, file: &Path) -> Duration {
    let len = std::fs::metadata(file).unwrap().len();
    let client = TusClient::new(&format!("{base}/v1/uploads"), Some(token.to_string())).unwrap();
    let url = client
        .create(len, &[("filename", "curl.bin")])
        .await
        .unwrap();
    let start = Instant::now();
    let status = std::process::Command::new("curl")
        .args(["-sS", "-f", "-o", "/dev/null", "-X", "PATCH", "-T"])
        .arg(file)
        .args([
            "-H",
            "Tus-Resumable: 1.0.0",
            "-H",
            "Upload-Offset: 0",
            "-H",
            "Content-Type: application/offset+octet-stream",
            "-H",
            &format!("Authorization: Bearer {token}"),
            url.as_str(),
        ])
        .status()
        .expect("curl must be installed");
    let took = start.elapsed();
    assert!(status.success(), "curl failed: {status}");
    let offset = client.offset(&url).await.unwrap();
    assert_eq!(offset, len, "curl must have uploaded the whole file");
    took
}

/// Removes the files the server stored (its directory stays), so runs do not fill the disk.
fn empty(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path).ok();
        } else {
            std::fs::remove_file(&path).ok();
        }
    }
}
