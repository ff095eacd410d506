//! A small tus 1.0 client for the upload tests: create, patch, head, with the headers
//! spelled out so each test shows what goes on the wire.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Response, StatusCode};
use sha2::{Digest, Sha256};

use super::Api;

pub const OFFSET_STREAM: &str = "application/offset+octet-stream";

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `sha256 <base64>` for `Upload-Checksum`.
pub fn sha256_checksum(bytes: &[u8]) -> String {
    format!("sha256 {}", STANDARD.encode(Sha256::digest(bytes)))
}

/// `key base64(value)` pairs for `Upload-Metadata`.
pub fn metadata(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// Deterministic test bytes.
pub fn bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

impl Api {
    pub fn tus(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(&self.token)
            .header("Tus-Resumable", "1.0.0")
    }

    /// Creates an upload of `length` bytes and returns its path (`/v1/uploads/{id}`).
    pub async fn create_upload(&self, length: u64, meta: &str) -> String {
        let response = Api::send(
            self.tus(reqwest::Method::POST, "/v1/uploads")
                .header("Upload-Length", length)
                .header("Upload-Metadata", meta),
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "creation answers 201"
        );
        header(&response, "location")
    }

    pub async fn patch_upload(&self, path: &str, offset: u64, chunk: Vec<u8>) -> Response {
        Api::send(
            self.tus(reqwest::Method::PATCH, path)
                .header("Content-Type", OFFSET_STREAM)
                .header("Upload-Offset", offset)
                .body(chunk),
        )
        .await
    }

    /// HEAD's `Upload-Offset`.
    pub async fn upload_offset(&self, path: &str) -> u64 {
        let response = Api::send(self.tus(reqwest::Method::HEAD, path)).await;
        assert_eq!(response.status(), StatusCode::OK, "HEAD {path}");
        header(&response, "upload-offset")
            .parse()
            .expect("Upload-Offset is a number")
    }

    /// Uploads `data` whole in one PATCH and returns the upload id.
    pub async fn upload(&self, data: &[u8], name: &str) -> String {
        let path = self
            .create_upload(data.len() as u64, &metadata(&[("filename", name)]))
            .await;
        let response = self.patch_upload(&path, 0, data.to_vec()).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "PATCH {path}");
        upload_id(&path)
    }
}

pub fn upload_id(path: &str) -> String {
    path.rsplit('/').next().expect("a last segment").to_string()
}

pub fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("{} must carry {name}", response.url()))
        .to_str()
        .expect("an ASCII header")
        .to_string()
}
