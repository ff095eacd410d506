//! The `accounts` table: one row per marketplace account (never its token: tokens live
//! in the OS keychain or in memory).

use rusqlite::{OptionalExtension, params};
use sellerdesk_api::Profile;

use super::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub label: String,
    pub base_url: String,
    /// The marketplace's rules, as last fetched from `/v1/profile`.
    pub profile: Option<Profile>,
}

impl Account {
    pub fn new(id: &str, label: &str, base_url: &str) -> Account {
        Account {
            id: id.to_string(),
            label: label.to_string(),
            base_url: base_url.to_string(),
            profile: None,
        }
    }
}

/// Id of the embedded demo marketplace's account.
pub const DEMO_ACCOUNT_ID: &str = "demo";

/// The id of the account an app start is given (the demo marketplace, or a marketplace
/// named by `SELLERDESK_API_URL`). Each address gets its own id, never the demo's, so
/// switching between them never sends one's cursor or queued actions to the other.
pub fn start_account_id(demo: bool, base_url: &str) -> String {
    if demo {
        return DEMO_ACCOUNT_ID.to_string();
    }
    use sha2::Digest;
    let normalized = base_url.trim().trim_end_matches('/').to_ascii_lowercase();
    let digest = sha2::Sha256::digest(normalized.as_bytes());
    format!("api-{}", &hex::encode(digest)[..12])
}

impl Store {
    /// Inserts or updates an account's label and URL; a stored profile is kept.
    pub fn save_account(&self, account: &Account) -> Result<(), StoreError> {
        self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO accounts (id, label, base_url) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET label = excluded.label, base_url = excluded.base_url",
                params![account.id, account.label, account.base_url],
            )?;
            if let Some(profile) = &account.profile {
                set_profile(tx, &account.id, profile)?;
            }
            Ok(())
        })
    }

    pub fn set_profile(&self, account_id: &str, profile: &Profile) -> Result<(), StoreError> {
        self.with_tx(|tx| set_profile(tx, account_id, profile))
    }

    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare("SELECT id, label, base_url, profile_json FROM accounts ORDER BY id")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?;
            rows.map(|row| {
                let (id, label, base_url, profile_json) = row?;
                let profile = profile_json.and_then(|j| parse_profile(&id, &j));
                Ok(Account {
                    id,
                    label,
                    base_url,
                    profile,
                })
            })
            .collect()
        })
    }

    /// Deletes the account and, by cascade, its orders, sync state, outbox and drafts.
    pub fn delete_account(&self, id: &str) -> Result<bool, StoreError> {
        self.with_tx(|tx| Ok(tx.execute("DELETE FROM accounts WHERE id = ?1", params![id])? > 0))
    }

    pub fn account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        Ok(self.accounts()?.into_iter().find(|a| a.id == id))
    }

    pub fn profile(&self, account_id: &str) -> Result<Option<Profile>, StoreError> {
        self.read(|conn| {
            let json: Option<Option<String>> = conn
                .query_row(
                    "SELECT profile_json FROM accounts WHERE id = ?1",
                    [account_id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(json.flatten().and_then(|j| parse_profile(account_id, &j)))
        })
    }
}

fn set_profile(
    tx: &rusqlite::Transaction<'_>,
    account_id: &str,
    profile: &Profile,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(profile)
        .map_err(|e| StoreError::Corrupt(format!("cannot encode profile: {e}")))?;
    tx.execute(
        "UPDATE accounts SET profile_json = ?2 WHERE id = ?1",
        params![account_id, json],
    )?;
    Ok(())
}

/// A stored profile, decoded and checked against the limits again. One an older build
/// stored without checking is treated as not synced yet (and logged): the next sync
/// replaces it, and nothing computes with absurd rules meanwhile.
fn parse_profile(account_id: &str, json: &str) -> Option<Profile> {
    let checked = serde_json::from_str::<Profile>(json)
        .map_err(|e| e.to_string())
        .and_then(|p| p.validate().map(|()| p).map_err(|e| e.to_string()));
    match checked {
        Ok(profile) => Some(profile),
        Err(error) => {
            tracing::warn!(account_id, error, "left out the stored rules of an account");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_accounts_never_share_an_id_across_modes_or_addresses() {
        let demo = start_account_id(true, "http://127.0.0.1:4000");
        let env = start_account_id(false, "http://127.0.0.1:4000");
        let other = start_account_id(false, "https://api.example.com");
        assert_eq!(demo, DEMO_ACCOUNT_ID);
        assert_ne!(env, demo, "an env account must not take the demo's id");
        assert_ne!(env, other, "two addresses get two accounts");
        assert_eq!(
            env,
            start_account_id(false, "HTTP://127.0.0.1:4000/"),
            "the same address (case, trailing slash) is the same account across restarts"
        );
    }
}
