//! A 64 MiB upload goes to disk as it arrives: the process's peak memory grows by far
//! less than the file. Alone in its test binary so no other test moves the peak.

mod common;

use common::tus::OFFSET_STREAM;
use common::{Api, demo_sim};
use futures_util::stream;
use reqwest::{Method, StatusCode};
use sha2::{Digest, Sha256};

const CHUNK: usize = 256 * 1024;
const CHUNKS: usize = 256; // 64 MiB

/// Chunk `i` of the test file, made on demand so the client holds one at a time.
fn chunk(i: usize) -> Vec<u8> {
    (0..CHUNK).map(|j| ((i * 7 + j * 13) % 251) as u8).collect()
}

/// The peak resident memory of this process (VmHWM), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("a VmHWM line");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("VmHWM in kB");
    kib * 1024
}

#[tokio::test]
async fn a_64_mib_upload_is_streamed_to_disk_not_buffered() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let length = (CHUNK * CHUNKS) as u64;
    let path = api.create_upload(length, "").await;
    let before = peak_rss();
    let body = stream::iter((0..CHUNKS).map(|i| Ok::<_, std::io::Error>(chunk(i))));
    let response = Api::send(
        api.tus(Method::PATCH, &path)
            .header("Content-Type", OFFSET_STREAM)
            .header("Upload-Offset", 0)
            .body(reqwest::Body::wrap_stream(body)),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::NO_CONTENT,
        "the whole file is taken"
    );
    let grown = peak_rss().saturating_sub(before);
    assert!(
        grown < 24 << 20,
        "a 64 MiB body must be streamed, not buffered: peak memory grew by {} MiB",
        grown >> 20
    );
    let mut expected = Sha256::new();
    for i in 0..CHUNKS {
        expected.update(chunk(i));
    }
    let expected: String = expected
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let id = path.rsplit('/').next().expect("an id");
    let stored = sim.handle().upload(id).expect("the upload");
    assert_eq!((stored.offset, stored.length), (length, length), "complete");
    assert_eq!(stored.sha256, expected, "the stored file is the one sent");
    assert_eq!(sim.handle().upload_bytes_received(), length, "sent once");
}
