//! Where marketplace tokens live: the OS keychain (Secret Service on Linux, through
//! `keyring`), never SQLite, logs or IPC. When no keychain answers — no session bus, a
//! locked or missing keyring — the token is kept in this process's memory only and the
//! seller is told it will have to be entered again after a restart.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The keychain service name tokens are filed under.
pub const SERVICE: &str = "sellerdesk";

/// Where an account's token is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TokenHome {
    /// In the OS keychain: it survives restarts.
    Keychain,
    /// In memory only, with the keychain's reason: gone at the next start.
    MemoryOnly { reason: String },
}

pub struct Vault {
    /// The keychain service name; tests use their own so they never touch real entries.
    service: String,
    /// False when the keychain is not to be used at all (tests of the fallback).
    use_keychain: bool,
    memory: Mutex<HashMap<String, String>>,
}

impl Vault {
    /// The OS keychain, under the service "sellerdesk".
    pub fn system() -> Vault {
        Vault::keychain(SERVICE)
    }

    /// The OS keychain under another service name.
    pub fn keychain(service: &str) -> Vault {
        Vault {
            service: service.to_string(),
            use_keychain: true,
            memory: Mutex::new(HashMap::new()),
        }
    }

    /// Memory only, as when no keychain is reachable.
    pub fn memory_only() -> Vault {
        Vault {
            service: SERVICE.to_string(),
            use_keychain: false,
            memory: Mutex::new(HashMap::new()),
        }
    }

    fn entry(&self, account_id: &str) -> Result<keyring::Entry, String> {
        if !self.use_keychain {
            return Err("the keychain is switched off".to_string());
        }
        keyring::Entry::new(&self.service, account_id).map_err(|e| keychain_reason(&e))
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.memory.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Files the token: in the keychain when it answers, else in memory (and says why).
    pub fn store(&self, account_id: &str, token: &str) -> TokenHome {
        let saved = self
            .entry(account_id)
            .and_then(|e| e.set_password(token).map_err(|e| keychain_reason(&e)));
        match saved {
            Ok(()) => {
                self.memory().remove(account_id);
                TokenHome::Keychain
            }
            Err(reason) => {
                tracing::warn!(account = %account_id, %reason, "no keychain: token kept in memory only");
                self.memory()
                    .insert(account_id.to_string(), token.to_string());
                TokenHome::MemoryOnly { reason }
            }
        }
    }

    /// The account's token and where it was found, or None when it is nowhere.
    pub fn token(&self, account_id: &str) -> Option<(String, TokenHome)> {
        if let Some(token) = self.memory().get(account_id) {
            return Some((
                token.clone(),
                TokenHome::MemoryOnly {
                    reason: "entered this session; no keychain".to_string(),
                },
            ));
        }
        let entry = self.entry(account_id).ok()?;
        match entry.get_password() {
            Ok(token) => Some((token, TokenHome::Keychain)),
            Err(keyring::Error::NoEntry) => None,
            Err(e) => {
                tracing::warn!(account = %account_id, reason = %keychain_reason(&e), "cannot read the keychain");
                None
            }
        }
    }

    /// Forgets the account's token everywhere (absent is fine).
    pub fn forget(&self, account_id: &str) {
        self.memory().remove(account_id);
        if let Ok(entry) = self.entry(account_id) {
            match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) => {
                    tracing::warn!(account = %account_id, reason = %keychain_reason(&e), "cannot delete the token from the keychain")
                }
            }
        }
    }
}

/// The keychain's error as a sentence for the seller (never containing the secret).
fn keychain_reason(e: &keyring::Error) -> String {
    match e {
        keyring::Error::NoStorageAccess(inner) => {
            format!("the keychain is locked or unreachable ({inner})")
        }
        keyring::Error::PlatformFailure(inner) => format!("the keychain failed ({inner})"),
        other => format!("no keychain is available ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_keychain_the_token_stays_in_memory_and_can_be_forgotten() {
        let vault = Vault::memory_only();
        let home = vault.store("acct", "tok-123");
        assert!(
            matches!(&home, TokenHome::MemoryOnly { reason } if reason.contains("switched off")),
            "{home:?}"
        );
        let (token, home) = vault.token("acct").expect("kept in memory");
        assert_eq!(token, "tok-123");
        assert!(matches!(home, TokenHome::MemoryOnly { .. }));
        vault.forget("acct");
        assert!(vault.token("acct").is_none());
    }
}
