//! Typed client for the Marketplace API v1 (`openapi/marketplace-v1.json`).
//!
//! Every failure is classified: retryable (network, timeouts, 5xx, 429, malformed bodies
//! that a fixed server may stop sending) or permanent (auth, validation).

mod client;
mod error;

pub use client::{
    ApiClient, Fetched, MAX_PAGE_BYTES, MAX_RETRY_AFTER, MAX_SMALL_BYTES, decode_body,
};
pub use error::ApiError;
