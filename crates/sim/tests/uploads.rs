//! tus 1.0 at `/v1/uploads`: creation, chunks at the confirmed offset, checksums,
//! termination, expiry on the simulator's clock, and bytes kept across a cut.

mod common;

use std::time::Duration as StdDuration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use common::tus::{OFFSET_STREAM, bytes, header, metadata, sha256_checksum, sha256_hex, upload_id};
use common::{Api, demo_sim, expect_problem};
use futures_util::{StreamExt, stream};
use reqwest::{Method, StatusCode};
use sellerdesk_sim::{Fault, FaultPlan, SimConfig};
use sha1::{Digest, Sha1};

fn http_date(response: &reqwest::Response, name: &str) -> DateTime<Utc> {
    let raw = header(response, name);
    DateTime::parse_from_rfc2822(&raw)
        .unwrap_or_else(|e| panic!("{name} {raw:?} must be an HTTP date: {e}"))
        .with_timezone(&Utc)
}

#[tokio::test]
async fn options_lists_what_the_server_supports() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let response = Api::send(
        api.http
            .request(Method::OPTIONS, api.url("/v1/uploads"))
            .bearer_auth(&api.token),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::NO_CONTENT,
        "OPTIONS needs no Tus-Resumable"
    );
    assert_eq!(header(&response, "tus-version"), "1.0.0");
    let extensions = header(&response, "tus-extension");
    for ext in [
        "creation",
        "creation-with-upload",
        "checksum",
        "termination",
        "expiration",
    ] {
        assert!(
            extensions.split(',').any(|e| e == ext),
            "{ext} in {extensions}"
        );
    }
    assert_eq!(header(&response, "tus-max-size"), "5000000000");
    assert_eq!(header(&response, "tus-checksum-algorithm"), "sha1,sha256");
}

#[tokio::test]
async fn an_upload_sent_in_chunks_is_stored_whole() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let data = bytes(300_000);
    let meta = metadata(&[("filename", "final cut.mp4"), ("order_id", "D-1001")]);
    let created = Api::send(
        api.tus(Method::POST, "/v1/uploads")
            .header("Upload-Length", data.len())
            .header("Upload-Metadata", &meta),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        header(&created, "tus-resumable"),
        "1.0.0",
        "answers say Tus-Resumable"
    );
    let expires = http_date(&created, "upload-expires");
    let gap = expires - (sim.handle().now() + Duration::hours(24));
    assert!(
        gap.num_seconds().abs() <= 2,
        "expiry is 24 h on the sim clock: {expires}"
    );
    let path = header(&created, "location");
    assert!(
        path.starts_with("/v1/uploads/"),
        "Location is the upload's path: {path}"
    );
    assert_eq!(api.upload_offset(&path).await, 0, "a new upload is empty");

    // Three chunks: the first with a sha1 checksum, the second with sha256, the last bare.
    let (a, rest) = data.split_at(100_000);
    let (b, c) = rest.split_at(150_000);
    let sha1 = format!("sha1 {}", STANDARD.encode(Sha1::digest(a)));
    let checksums = [Some(sha1), Some(sha256_checksum(b)), None];
    let mut offset = 0u64;
    for (chunk, checksum) in [a, b, c].into_iter().zip(checksums) {
        let mut request = api
            .tus(Method::PATCH, &path)
            .header("Content-Type", OFFSET_STREAM)
            .header("Upload-Offset", offset)
            .body(chunk.to_vec());
        if let Some(checksum) = checksum {
            request = request.header("Upload-Checksum", checksum);
        }
        let response = Api::send(request).await;
        assert_eq!(
            response.status(),
            StatusCode::NO_CONTENT,
            "PATCH at {offset}"
        );
        offset += chunk.len() as u64;
        assert_eq!(header(&response, "upload-offset"), offset.to_string());
        http_date(&response, "upload-expires");
        assert_eq!(
            api.upload_offset(&path).await,
            offset,
            "HEAD agrees after PATCH"
        );
    }
    let head = Api::send(api.tus(Method::HEAD, &path)).await;
    assert_eq!(header(&head, "upload-length"), data.len().to_string());
    assert_eq!(header(&head, "cache-control"), "no-store");
    let stored = sim
        .handle()
        .upload(&upload_id(&path))
        .expect("the upload is listed");
    assert!(stored.is_complete());
    assert_eq!(
        stored.sha256,
        sha256_hex(&data),
        "the stored bytes are the file"
    );
    assert_eq!(stored.metadata["filename"], "final cut.mp4");
    assert_eq!(stored.metadata["order_id"], "D-1001");
    assert_eq!(sim.handle().uploads().len(), 1, "one upload listed");
    assert_eq!(sim.handle().upload_bytes_received(), data.len() as u64);
}

#[tokio::test]
async fn creation_with_upload_takes_the_first_bytes_in_the_post() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let data = bytes(5_000);
    let response = Api::send(
        api.tus(Method::POST, "/v1/uploads")
            .header("Upload-Length", 10_000)
            .header("Content-Type", OFFSET_STREAM)
            .header("Upload-Checksum", sha256_checksum(&data))
            .body(data),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, "upload-offset"), "5000");
    assert_eq!(
        api.upload_offset(&header(&response, "location")).await,
        5_000
    );
}

#[tokio::test]
async fn a_checksum_mismatch_discards_the_chunk() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let data = bytes(64_000);
    let path = api.create_upload(data.len() as u64, "").await;
    let (a, b) = data.split_at(32_000);
    assert_eq!(
        api.patch_upload(&path, 0, a.to_vec()).await.status(),
        StatusCode::NO_CONTENT
    );
    let wrong = Api::send(
        api.tus(Method::PATCH, &path)
            .header("Content-Type", OFFSET_STREAM)
            .header("Upload-Offset", 32_000)
            .header("Upload-Checksum", sha256_checksum(a))
            .body(b.to_vec()),
    )
    .await;
    let problem = expect_problem(wrong, StatusCode::from_u16(460).unwrap(), "mismatch").await;
    assert!(problem.detail.unwrap_or_default().contains("discarded"));
    assert_eq!(
        api.upload_offset(&path).await,
        32_000,
        "a bad chunk must not move the offset"
    );
    assert_eq!(
        sim.handle().upload_bytes_received(),
        64_000,
        "discarded bytes still count as received"
    );
    let right = Api::send(
        api.tus(Method::PATCH, &path)
            .header("Content-Type", OFFSET_STREAM)
            .header("Upload-Offset", 32_000)
            .header("Upload-Checksum", sha256_checksum(b))
            .body(b.to_vec()),
    )
    .await;
    assert_eq!(
        right.status(),
        StatusCode::NO_CONTENT,
        "the resent chunk is taken"
    );
    let stored = sim.handle().upload(&upload_id(&path)).unwrap();
    assert_eq!(
        stored.sha256,
        sha256_hex(&data),
        "nothing of the bad chunk remains"
    );
    let unknown = Api::send(
        api.tus(Method::PATCH, &path)
            .header("Content-Type", OFFSET_STREAM)
            .header("Upload-Offset", 64_000)
            .header("Upload-Checksum", "md5 AAAA")
            .body(Vec::new()),
    )
    .await;
    expect_problem(unknown, StatusCode::BAD_REQUEST, "an unsupported algorithm").await;
}

#[tokio::test]
async fn bad_patches_are_refused_without_moving_the_offset() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let path = api.create_upload(1_000, "").await;
    assert_eq!(
        api.patch_upload(&path, 0, bytes(400)).await.status(),
        StatusCode::NO_CONTENT
    );
    let cases = [
        (
            api.patch_upload(&path, 0, bytes(10)).await,
            StatusCode::CONFLICT,
            "offset behind",
        ),
        (
            api.patch_upload(&path, 500, bytes(10)).await,
            StatusCode::CONFLICT,
            "offset ahead",
        ),
        (
            api.patch_upload(&path, 400, bytes(700)).await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "past Upload-Length",
        ),
        (
            Api::send(
                api.tus(Method::PATCH, &path)
                    .header("Content-Type", "application/octet-stream")
                    .header("Upload-Offset", 400)
                    .body(bytes(10)),
            )
            .await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "wrong content type",
        ),
        (
            Api::send(
                api.tus(Method::PATCH, &path)
                    .header("Content-Type", OFFSET_STREAM)
                    .body(bytes(10)),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "no Upload-Offset",
        ),
    ];
    for (response, status, what) in cases {
        expect_problem(response, status, what).await;
        assert_eq!(
            api.upload_offset(&path).await,
            400,
            "{what} must not move the offset"
        );
    }
    let stored = sim.handle().upload(&upload_id(&path)).unwrap();
    assert_eq!(
        stored.sha256,
        sha256_hex(&bytes(400)),
        "only the good bytes are stored"
    );
}

#[tokio::test]
async fn every_request_but_options_must_speak_tus_1_0_0() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let path = api.create_upload(10, "").await;
    for version in [None, Some("0.2.2")] {
        let mut request = api.http.head(api.url(&path)).bearer_auth(&api.token);
        if let Some(version) = version {
            request = request.header("Tus-Resumable", version);
        }
        let response = Api::send(request).await;
        assert_eq!(
            response.status(),
            StatusCode::PRECONDITION_FAILED,
            "{version:?}"
        );
        assert_eq!(
            header(&response, "tus-version"),
            "1.0.0",
            "412 names the version"
        );
        let post = api
            .http
            .post(api.url("/v1/uploads"))
            .bearer_auth(&api.token)
            .header("Upload-Length", 10);
        let post = match version {
            Some(v) => post.header("Tus-Resumable", v),
            None => post,
        };
        expect_problem(
            Api::send(post).await,
            StatusCode::PRECONDITION_FAILED,
            "POST",
        )
        .await;
    }
    assert_eq!(
        sim.handle().uploads().len(),
        1,
        "a refused POST creates nothing"
    );
    let anonymous = Api::send(
        api.http
            .head(api.url(&path))
            .header("Tus-Resumable", "1.0.0"),
    )
    .await;
    assert_eq!(
        anonymous.status(),
        StatusCode::UNAUTHORIZED,
        "uploads need the token"
    );
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_with_a_hint() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    // fiverr: "A single file is limited to up to 5 GB." — decimal: 5,000,000,000 bytes.
    let at_limit = Api::send(
        api.tus(Method::POST, "/v1/uploads")
            .header("Upload-Length", 5_000_000_000u64),
    )
    .await;
    assert_eq!(
        at_limit.status(),
        StatusCode::CREATED,
        "a file of exactly 5,000,000,000 bytes is within the limit"
    );
    let too_big = 5_000_000_001u64;
    let response = Api::send(
        api.tus(Method::POST, "/v1/uploads")
            .header("Upload-Length", too_big),
    )
    .await;
    let problem = expect_problem(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "one byte over 5 GB",
    )
    .await;
    let detail = problem.detail.unwrap_or_default();
    assert!(
        detail.contains("5 GB") && detail.contains("share a link"),
        "{detail}"
    );
    let gib = Api::send(
        api.tus(Method::POST, "/v1/uploads")
            .header("Upload-Length", 5u64 << 30),
    )
    .await;
    expect_problem(gib, StatusCode::PAYLOAD_TOO_LARGE, "5 GiB is 7 % over 5 GB").await;
    let missing = Api::send(api.tus(Method::POST, "/v1/uploads")).await;
    expect_problem(missing, StatusCode::BAD_REQUEST, "no Upload-Length").await;
    let bad_meta = Api::send(
        api.tus(Method::POST, "/v1/uploads")
            .header("Upload-Length", 1)
            .header("Upload-Metadata", "filename ***"),
    )
    .await;
    expect_problem(bad_meta, StatusCode::BAD_REQUEST, "bad metadata").await;
    let created: Vec<u64> = sim.handle().uploads().iter().map(|u| u.length).collect();
    assert_eq!(
        created,
        vec![5_000_000_000],
        "only the upload at the limit was created"
    );
}

#[tokio::test]
async fn a_terminated_upload_is_gone() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let sim = common::sim(SimConfig {
        upload_dir: Some(dir.path().to_path_buf()),
        ..SimConfig::demo(common::start())
    })
    .await;
    let api = Api::new(&sim);
    let path = api.create_upload(100, "").await;
    api.patch_upload(&path, 0, bytes(50)).await;
    let file = dir.path().join(format!("{}.bin", upload_id(&path)));
    assert_eq!(
        std::fs::metadata(&file).map(|m| m.len()).ok(),
        Some(50),
        "bytes on disk"
    );
    let deleted = Api::send(api.tus(Method::DELETE, &path)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let head = Api::send(api.tus(Method::HEAD, &path)).await;
    assert_eq!(head.status(), StatusCode::NOT_FOUND, "HEAD after DELETE");
    expect_problem(
        api.patch_upload(&path, 50, bytes(1)).await,
        StatusCode::NOT_FOUND,
        "PATCH",
    )
    .await;
    assert!(!file.exists(), "termination deletes the bytes");
    let again = Api::send(api.tus(Method::DELETE, &path)).await;
    expect_problem(again, StatusCode::NOT_FOUND, "a second DELETE").await;
}

#[tokio::test]
async fn an_upload_expires_a_day_after_its_last_write_on_the_sim_clock() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let sim = common::sim(SimConfig {
        upload_dir: Some(dir.path().to_path_buf()),
        ..SimConfig::demo(common::start())
    })
    .await;
    let api = Api::new(&sim);
    let path = api.create_upload(100, "").await;
    sim.handle().advance_clock(Duration::hours(20));
    let written = api.patch_upload(&path, 0, bytes(10)).await;
    assert_eq!(written.status(), StatusCode::NO_CONTENT);
    sim.handle().advance_clock(Duration::hours(20));
    assert_eq!(
        api.upload_offset(&path).await,
        10,
        "a write renews the 24 h"
    );
    sim.handle().advance_clock(Duration::hours(5));
    let head = Api::send(api.tus(Method::HEAD, &path)).await;
    assert_eq!(head.status(), StatusCode::GONE, "25 h after the last write");
    let patch = api.patch_upload(&path, 10, bytes(10)).await;
    expect_problem(patch, StatusCode::GONE, "PATCH on an expired upload").await;
    assert!(
        sim.handle().upload(&upload_id(&path)).is_none(),
        "no longer listed"
    );
    let file = dir.path().join(format!("{}.bin", upload_id(&path)));
    assert!(!file.exists(), "an expired upload's bytes are deleted");
}

#[tokio::test]
async fn a_cut_fault_keeps_the_bytes_before_it_and_the_client_resumes() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let data = bytes(4_000_000);
    sim.handle()
        .set_fault(FaultPlan::once(Fault::CutUploadAfter { bytes: 1_000_000 }));
    // Requests without upload bytes do not use up the fault.
    let path = api.create_upload(data.len() as u64, "").await;
    assert_eq!(api.upload_offset(&path).await, 0);
    let cut = api
        .tus(Method::PATCH, &path)
        .header("Content-Type", OFFSET_STREAM)
        .header("Upload-Offset", 0)
        .body(data.clone())
        .send()
        .await;
    assert!(
        cut.as_ref().map_or(true, |r| !r.status().is_success()),
        "a cut PATCH must not look successful: {cut:?}"
    );
    let offset = api.upload_offset(&path).await;
    assert_eq!(
        offset, 1_000_000,
        "HEAD reports the bytes that arrived before the cut"
    );
    let rest = data[offset as usize..].to_vec();
    // What the cut request delivered depends on how the network framed it; the resume is
    // what must not start over.
    let before_resume = sim.handle().upload_bytes_received();
    let resumed = api.patch_upload(&path, offset, rest).await;
    assert_eq!(
        resumed.status(),
        StatusCode::NO_CONTENT,
        "the fault was used once"
    );
    let stored = sim.handle().upload(&upload_id(&path)).unwrap();
    assert_eq!(
        stored.sha256,
        sha256_hex(&data),
        "resumed upload is the whole file"
    );
    let resent = sim.handle().upload_bytes_received() - before_resume;
    let left = data.len() as u64 - offset;
    assert!(
        resent <= left * 11 / 10,
        "the resume sends only what the server lacks ({left} bytes), not the file again: {resent}"
    );
}

#[tokio::test]
async fn a_client_cut_mid_body_keeps_what_arrived() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let path = api.create_upload(1 << 20, "").await;
    let chunk = bytes(64 * 1024);
    // Four chunks go out; a moment later the client's source fails, which aborts the
    // request mid-body as a dropped network would.
    let four = vec![chunk.clone(); 4];
    let sent_chunks = stream::iter(four.into_iter().map(Ok::<_, std::io::Error>));
    let failure = stream::once(async {
        tokio::time::sleep(StdDuration::from_millis(200)).await;
        Err(std::io::Error::other("the network went away"))
    });
    let body = reqwest::Body::wrap_stream(sent_chunks.chain(failure));
    let sent = api
        .tus(Method::PATCH, &path)
        .header("Content-Type", OFFSET_STREAM)
        .header("Upload-Offset", 0)
        .body(body)
        .send()
        .await;
    assert!(
        sent.is_err(),
        "the client's body failed, so the request fails"
    );
    // The server notices the cut as its body stream fails; give it a moment.
    let mut offset = 0;
    for _ in 0..50 {
        offset = api.upload_offset(&path).await;
        if offset == 4 * 64 * 1024 {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    assert_eq!(offset, 4 * 64 * 1024, "every byte that arrived is kept");
    let stored = sim.handle().upload(&upload_id(&path)).unwrap();
    assert_eq!(stored.sha256, sha256_hex(&chunk.repeat(4)));
}

#[tokio::test]
async fn the_private_upload_dir_is_removed_with_the_simulator() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let id = api.upload(&bytes(1_000), "a.bin").await;
    let dir = sim.handle().upload_dir();
    assert!(
        dir.join(format!("{id}.bin")).exists(),
        "bytes live in the upload dir"
    );
    sim.shutdown().await;
    assert!(
        !dir.exists(),
        "a simulator's own temp dir is removed at shutdown: {dir:?}"
    );
}

#[tokio::test]
async fn a_cut_checksummed_chunk_is_discarded_whole() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let data = bytes(2_000_000);
    let path = api.create_upload(data.len() as u64, "").await;
    sim.handle()
        .set_fault(FaultPlan::once(Fault::CutUploadAfter { bytes: 500_000 }));
    let cut = api
        .tus(Method::PATCH, &path)
        .header("Content-Type", OFFSET_STREAM)
        .header("Upload-Offset", 0)
        .header("Upload-Checksum", sha256_checksum(&data))
        .body(data.clone())
        .send()
        .await;
    assert!(
        cut.as_ref().map_or(true, |r| !r.status().is_success()),
        "a cut PATCH must not look successful: {cut:?}"
    );
    assert_eq!(
        api.upload_offset(&path).await,
        0,
        "a chunk cut short cannot be verified against its checksum, so none of it is kept"
    );
}
