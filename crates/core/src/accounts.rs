//! The workspace's marketplace accounts: listing them (never their tokens), adding one
//! (token to the keychain), connecting the saved ones at start, removing one.

use crate::api::ApiClient;
use crate::error::{AppError, ErrorCode};
use crate::store::Account;
use crate::vault::Vault;
use crate::workspace::{AccountLink, Workspace};

impl Workspace {
    /// The workspace's marketplace accounts (never their tokens).
    pub fn accounts(&self) -> Result<Vec<crate::view::AccountView>, AppError> {
        let links = self.links();
        Ok(self
            .store()
            .accounts()?
            .into_iter()
            .map(|a| {
                let link = links.iter().find(|l| l.account.id == a.id);
                crate::view::AccountView {
                    marketplace: a.profile.map(|p| p.name),
                    base_url: a.base_url,
                    connected: link.is_some(),
                    token_home: link.map(|l| l.home.clone()),
                    id: a.id,
                    label: a.label,
                }
            })
            .collect())
    }

    /// Refuses an account id the workspace does not hold.
    pub(crate) fn known_account(&self, id: &str) -> Result<(), AppError> {
        match self.store().account(id)? {
            Some(_) => Ok(()),
            None => Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("there is no account {id}"),
            )),
        }
    }

    /// Links a stored account whose token was found at start (e.g. in the keychain).
    pub fn connect_account(
        &self,
        account: Account,
        token: &str,
        home: crate::vault::TokenHome,
    ) -> Result<(), AppError> {
        let client = ApiClient::new(&account.base_url, token)?;
        self.store().save_account(&account)?;
        let mut links = self.links.write().unwrap_or_else(|p| p.into_inner());
        links.retain(|l| l.account.id != account.id);
        links.push(AccountLink {
            account,
            client,
            home,
        });
        Ok(())
    }

    /// Adds a marketplace account: the address is checked (https, or http to this
    /// computer), the token filed in the keychain (or kept in memory when none answers),
    /// and the account synced from the next round on.
    pub fn add_account(
        &self,
        label: &str,
        base_url: &str,
        token: &str,
        vault: &Vault,
    ) -> Result<crate::view::AccountView, AppError> {
        let label = label.trim();
        let token = token.trim();
        if label.is_empty() || label.chars().count() > 60 {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "give the account a name of 1 to 60 characters",
            ));
        }
        if token.is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "paste the account's API token",
            ));
        }
        // Checks the address before anything is stored.
        ApiClient::new(base_url.trim(), token)?;
        let slug: String = label
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(16)
            .collect::<String>()
            .to_lowercase();
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let id = format!(
            "{}-{}",
            if slug.is_empty() { "account" } else { &slug },
            &suffix[..6]
        );
        let account = Account::new(&id, label, base_url.trim());
        let home = vault.store(&id, token);
        self.connect_account(account, token, home)?;
        self.accounts()?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "the new account vanished"))
    }

    /// Removes an account: its orders, drafts and queued actions go with it, its token
    /// leaves the keychain. Issued invoice numbers stay (accounting records).
    pub fn remove_account(&self, id: &str, vault: &Vault) -> Result<(), AppError> {
        self.known_account(id)?;
        self.links
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|l| l.account.id != id);
        self.store().delete_account(id)?;
        vault.forget(id);
        Ok(())
    }

    /// Links the accounts the seller added in earlier sessions, with their tokens from
    /// the keychain (may block: call it off the main thread). An account whose token is
    /// not found stays listed, not synced, until the seller enters the token again.
    pub fn connect_saved_accounts(&self, vault: &Vault) {
        let linked: Vec<String> = self.links().into_iter().map(|l| l.account.id).collect();
        let Ok(saved) = self.store().accounts() else {
            return;
        };
        for account in saved.into_iter().filter(|a| !linked.contains(&a.id)) {
            let id = account.id.clone();
            match vault.token(&id) {
                Some((token, home)) => {
                    if let Err(e) = self.connect_account(account, &token, home) {
                        tracing::warn!(account = %id, error = %e, "cannot connect a saved account");
                    }
                }
                None => tracing::warn!(account = %id, "no token for this account: enter it again"),
            }
        }
    }
}

/// One account's rules (none until synced) and its marketplace's clock now: what
/// alerts, the inbox and the badge are planned on, with its active orders.
pub(crate) struct AccountClock {
    pub profile: Option<sellerdesk_api::Profile>,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Orders handed to the planners at a time: the memory of a check stays this many
/// decoded orders however many are stored.
const CHUNK: usize = 512;

impl Workspace {
    /// Every account's active orders, each on its own marketplace's clock, handed to
    /// `each` a chunk at a time (never all decoded at once).
    pub(crate) fn each_active_chunk(
        &self,
        mut each: impl FnMut(&AccountClock, &[(String, sellerdesk_api::Order)]),
    ) -> Result<(), AppError> {
        for account in self.store().accounts()? {
            let clock = AccountClock {
                now: self.server_now(&account.id)?,
                profile: account.profile,
            };
            (self.store())
                .each_active_order_chunk(&account.id, CHUNK, |orders| each(&clock, orders))?;
        }
        Ok(())
    }
}
