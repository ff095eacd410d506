//! What the environment decides: the data folder, the export folder, a marketplace given
//! by address and token, the sync interval.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

/// The variable holding the token of a marketplace given in the environment.
pub const API_TOKEN_VAR: &str = "SELLERDESK_API_TOKEN";
/// The variable holding that marketplace's address.
pub const API_URL_VAR: &str = "SELLERDESK_API_URL";

/// Seconds between background pulls when all is well.
const DEFAULT_SYNC_INTERVAL: Duration = Duration::from_secs(30);

/// Reads `name` and removes it from the environment (also when it is not UTF-8), so
/// that WebKit's child processes (and anything else the app starts) do not inherit it.
///
/// # Safety
/// No other thread may read or write the environment meanwhile: call it first in `main`.
pub unsafe fn take_env_var(name: &str) -> Option<String> {
    let value = std::env::var(name).ok();
    // SAFETY: the caller guarantees no other thread touches the environment.
    unsafe { std::env::remove_var(name) };
    value
}

/// `SELLERDESK_DATA_DIR` (tests, portable use) or the platform's app-data folder (the
/// same as Tauri's `app_data_dir`), created if missing. Known before the app is built:
/// the single-instance check is per data folder.
pub fn data_dir(identifier: &str) -> anyhow::Result<PathBuf> {
    let dir = match std::env::var_os("SELLERDESK_DATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => dirs::data_dir()
            .context("no app data folder")?
            .join(identifier),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// The export folder until the seller chooses one: `SELLERDESK_EXPORT_DIR` (tests), else
/// `sellerdesk` in the Documents folder, else `exports` in the data folder.
pub fn export_dir(data_dir: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("SELLERDESK_EXPORT_DIR") {
        return PathBuf::from(dir);
    }
    match dirs::document_dir() {
        Some(documents) => sellerdesk_core::exports::export_folder(&documents),
        None => data_dir.join("exports"),
    }
}

/// `SELLERDESK_SYNC_INTERVAL_SECS`, else 30 s.
pub fn sync_interval() -> Duration {
    std::env::var("SELLERDESK_SYNC_INTERVAL_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(DEFAULT_SYNC_INTERVAL, Duration::from_secs)
}
