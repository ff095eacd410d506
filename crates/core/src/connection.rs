//! "Test connection" before an account is saved: the address and the token reach a
//! Marketplace API v1 server of the marketplace the seller picked, or the seller is told,
//! in plain words, what to fix.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::{ApiClient, ApiError};
use crate::error::{AppError, ErrorCode};

/// A marketplace the seller can pick when adding an account (its rules are built in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MarketplaceChoice {
    /// The profile id the server reports ("fiverr", "hostjane", …).
    pub id: String,
    pub name: String,
}

/// What a successful test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    pub marketplace_id: String,
    pub marketplace: String,
    /// Orders on the first page the server answered (up to 50): proof the token reads orders.
    pub orders_seen: u32,
}

/// Asks the server at `base_url` for its profile and a first page of orders with `token`.
/// With `expected` (a [`MarketplaceChoice`] id), a server of another marketplace is refused.
pub async fn check_connection(
    base_url: &str,
    token: &str,
    expected: Option<&MarketplaceChoice>,
) -> Result<ConnectionCheck, AppError> {
    let (base_url, token) = (base_url.trim(), token.trim());
    if token.is_empty() {
        let why = "paste the account's API token first";
        return Err(AppError::new(ErrorCode::InvalidInput, why));
    }
    let client = ApiClient::new(base_url, token).map_err(|e| plain(base_url, e))?;
    let profile = client
        .profile()
        .await
        .map_err(|e| plain(base_url, e))?
        .value;
    if let Some(want) = expected
        && want.id != profile.id
    {
        let why = format!(
            "this address is a {} marketplace, not {}: pick {} or check the address",
            profile.name, want.name, profile.name
        );
        return Err(AppError::new(ErrorCode::InvalidInput, why));
    }
    let page = client
        .orders_page(None, 50)
        .await
        .map_err(|e| plain(base_url, e))?
        .value;
    Ok(ConnectionCheck {
        marketplace_id: profile.id,
        marketplace: profile.name,
        orders_seen: u32::try_from(page.orders.len()).unwrap_or(u32::MAX),
    })
}

/// The client's error as something a seller can act on.
fn plain(base_url: &str, e: ApiError) -> AppError {
    let (code, why) = match &e {
        ApiError::InvalidUrl { reason, .. } => (
            ErrorCode::InvalidInput,
            format!("\"{base_url}\" is not an address sellerdesk can use: {reason}"),
        ),
        ApiError::Unreachable(_) | ApiError::Network(_) | ApiError::Timeout => (
            ErrorCode::Offline,
            format!(
                "nothing answered at {base_url}: check the address and that this computer is online"
            ),
        ),
        ApiError::Unauthorized { .. } => (
            ErrorCode::AuthExpired,
            "the marketplace refused this token: copy it again from your seller settings"
                .to_string(),
        ),
        ApiError::Rejected { status: 404, .. } | ApiError::Malformed(_) => (
            ErrorCode::InvalidInput,
            format!(
                "{base_url} answered, but not as a Marketplace API v1 server: check the address"
            ),
        ),
        _ => (
            ErrorCode::Offline,
            format!("the marketplace could not be tested now ({e}); try again in a minute"),
        ),
    };
    AppError::new(code, why)
}
