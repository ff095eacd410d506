//! The tus request headers with structure: `Upload-Checksum` (sha1, sha256) and
//! `Upload-Metadata` (comma-separated `key base64value` pairs), parsed with errors
//! that say what is wrong, and the hashers that check a chunk.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// A checksum algorithm of the tus checksum extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecksumAlgorithm {
    Sha1,
    Sha256,
}

impl ChecksumAlgorithm {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Sha1 => "sha1",
            ChecksumAlgorithm::Sha256 => "sha256",
        }
    }

    fn digest_len(self) -> usize {
        match self {
            ChecksumAlgorithm::Sha1 => 20,
            ChecksumAlgorithm::Sha256 => 32,
        }
    }
}

/// `Upload-Checksum: <algorithm> <base64 digest>`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checksum {
    pub algorithm: ChecksumAlgorithm,
    pub digest: Vec<u8>,
}

/// Parses `Upload-Checksum`. An unknown algorithm or a malformed digest is a 400.
pub(crate) fn parse_checksum(header: &str) -> Result<Checksum, String> {
    let (name, digest) = header
        .trim()
        .split_once(' ')
        .ok_or_else(|| format!("Upload-Checksum {header:?} must be \"<algorithm> <base64>\""))?;
    let algorithm = match name {
        "sha1" => ChecksumAlgorithm::Sha1,
        "sha256" => ChecksumAlgorithm::Sha256,
        other => {
            return Err(format!(
                "checksum algorithm {other:?} is not supported; use sha1 or sha256"
            ));
        }
    };
    let digest = STANDARD
        .decode(digest.trim())
        .map_err(|e| format!("the Upload-Checksum digest is not base64: {e}"))?;
    if digest.len() != algorithm.digest_len() {
        return Err(format!(
            "a {name} digest is {} bytes, Upload-Checksum has {}",
            algorithm.digest_len(),
            digest.len()
        ));
    }
    Ok(Checksum { algorithm, digest })
}

#[derive(Clone)]
pub(crate) enum ChunkHasher {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl ChunkHasher {
    pub(crate) fn new(algorithm: ChecksumAlgorithm) -> ChunkHasher {
        match algorithm {
            ChecksumAlgorithm::Sha1 => ChunkHasher::Sha1(Sha1::new()),
            ChecksumAlgorithm::Sha256 => ChunkHasher::Sha256(Sha256::new()),
        }
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        match self {
            ChunkHasher::Sha1(h) => h.update(bytes),
            ChunkHasher::Sha256(h) => h.update(bytes),
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            ChunkHasher::Sha1(h) => h.finalize().to_vec(),
            ChunkHasher::Sha256(h) => h.finalize().to_vec(),
        }
    }
}

/// Parses `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be
/// left out). Keys must be non-empty, without spaces or commas, and unique; values
/// must decode to UTF-8.
pub(crate) fn parse_metadata(header: &str) -> Result<BTreeMap<String, String>, String> {
    let mut metadata = BTreeMap::new();
    if header.trim().is_empty() {
        return Ok(metadata);
    }
    for pair in header.split(',') {
        let pair = pair.trim();
        let (key, value) = match pair.split_once(' ') {
            Some((key, value)) => (key, value.trim()),
            None => (pair, ""),
        };
        if key.is_empty() {
            return Err("Upload-Metadata has an empty key".to_string());
        }
        let bytes = STANDARD
            .decode(value)
            .map_err(|e| format!("Upload-Metadata value of {key:?} is not base64: {e}"))?;
        let value = String::from_utf8(bytes)
            .map_err(|_| format!("Upload-Metadata value of {key:?} is not UTF-8 text"))?;
        if metadata.insert(key.to_string(), value).is_some() {
            return Err(format!("Upload-Metadata repeats the key {key:?}"));
        }
    }
    Ok(metadata)
}

/// The metadata encoded back into an `Upload-Metadata` header value.
pub(crate) fn encode_metadata(metadata: &BTreeMap<String, String>) -> String {
    metadata
        .iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs_are_decoded() {
        let ok = [
            ("", vec![]),
            ("filename bG9nby5wbmc=", vec![("filename", "logo.png")]),
            (
                "filename bG9nby5wbmc=, order_id RC0xMDAx,is_final",
                vec![
                    ("filename", "logo.png"),
                    ("is_final", ""),
                    ("order_id", "D-1001"),
                ],
            ),
        ];
        for (header, want) in ok {
            let got = parse_metadata(header).unwrap_or_else(|e| panic!("{header:?}: {e}"));
            let want: BTreeMap<String, String> = want
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect();
            assert_eq!(got, want, "metadata of {header:?}");
            assert_eq!(
                parse_metadata(&encode_metadata(&got)).unwrap(),
                got,
                "round trip"
            );
        }
        let bad = [
            ("filename not*base64", "not base64"),
            ("a YQ==, ,b", "empty key"),
            ("a YQ==,a Yg==", "repeats"),
            ("a //79", "not UTF-8"),
        ];
        for (header, why) in bad {
            let err = parse_metadata(header).expect_err(header);
            assert!(
                err.contains(why),
                "{header:?} must fail with {why:?}: {err}"
            );
        }
    }

    #[test]
    fn checksum_headers_name_a_supported_algorithm_and_a_full_digest() {
        let sha1_of_abc = STANDARD.encode(Sha1::digest(b"abc"));
        let sha256_of_abc = STANDARD.encode(Sha256::digest(b"abc"));
        let got = parse_checksum(&format!("sha1 {sha1_of_abc}")).unwrap();
        assert_eq!(got.algorithm, ChecksumAlgorithm::Sha1);
        assert_eq!(got.digest, Sha1::digest(b"abc").to_vec());
        let got = parse_checksum(&format!("sha256 {sha256_of_abc}")).unwrap();
        assert_eq!(got.algorithm, ChecksumAlgorithm::Sha256);
        let bad = [
            (format!("md5 {sha1_of_abc}"), "not supported"),
            (format!("sha256 {sha1_of_abc}"), "32 bytes"),
            ("sha1 ***".to_string(), "not base64"),
            ("sha1".to_string(), "must be"),
        ];
        for (header, why) in bad {
            let err = parse_checksum(&header).expect_err(&header);
            assert!(
                err.contains(why),
                "{header:?} must fail with {why:?}: {err}"
            );
        }
    }
}
