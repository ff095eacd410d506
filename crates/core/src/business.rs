//! The seller's business profile (name, address lines, tax id), kept as one JSON setting
//! and printed on invoices as the seller, so an invoice is one a seller can send. Until
//! it is filled in, invoices name the account as before.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The settings key the profile is stored under.
pub const SETTINGS_KEY: &str = "business_profile";

/// Longest name or address line, in characters.
pub const MAX_LINE_CHARS: usize = 120;
/// Most address lines.
pub const MAX_ADDRESS_LINES: usize = 6;
/// Longest tax id, in characters.
pub const MAX_TAX_ID_CHARS: usize = 40;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct BusinessProfile {
    /// The business or the seller's legal name.
    pub name: String,
    /// The postal address, one line each (street, city and postcode, country…).
    pub address_lines: Vec<String>,
    /// VAT or other tax id; empty when the seller has none.
    pub tax_id: String,
}

impl BusinessProfile {
    /// Trimmed, blank address lines dropped; an error names the first field that is
    /// wrong, in words the form can show. An all-empty profile is valid (not set).
    pub fn validated(&self) -> Result<BusinessProfile, String> {
        let clean = BusinessProfile {
            name: self.name.trim().to_string(),
            address_lines: self
                .address_lines
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
            tax_id: self.tax_id.trim().to_string(),
        };
        if clean.name.is_empty() && !clean.is_empty() {
            return Err("Enter the business name printed on invoices.".into());
        }
        if clean.name.chars().count() > MAX_LINE_CHARS {
            return Err(format!(
                "The business name is at most {MAX_LINE_CHARS} characters."
            ));
        }
        if clean.address_lines.len() > MAX_ADDRESS_LINES {
            return Err(format!("The address is at most {MAX_ADDRESS_LINES} lines."));
        }
        if let Some(n) = clean
            .address_lines
            .iter()
            .position(|l| l.chars().count() > MAX_LINE_CHARS)
        {
            return Err(format!(
                "Address line {} is longer than {MAX_LINE_CHARS} characters.",
                n + 1
            ));
        }
        if clean.tax_id.chars().count() > MAX_TAX_ID_CHARS {
            return Err(format!(
                "The tax id is at most {MAX_TAX_ID_CHARS} characters."
            ));
        }
        if clean
            .name
            .chars()
            .chain(clean.tax_id.chars())
            .chain(clean.address_lines.iter().flat_map(|l| l.chars()))
            .any(char::is_control)
        {
            return Err("Use plain text, without tabs or control characters.".into());
        }
        Ok(clean)
    }

    /// Nothing entered.
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.tax_id.trim().is_empty()
            && self.address_lines.iter().all(|l| l.trim().is_empty())
    }

    /// The lines printed under the name: the address, then "Tax id: …".
    pub fn invoice_lines(&self) -> Vec<String> {
        let mut lines = self.address_lines.clone();
        if !self.tax_id.is_empty() {
            lines.push(format!("Tax id: {}", self.tax_id));
        }
        lines
    }
}

impl crate::Workspace {
    /// The business profile as saved (empty until the seller fills it in).
    pub fn business_profile(&self) -> Result<BusinessProfile, crate::AppError> {
        Ok(self.store().setting(SETTINGS_KEY)?.unwrap_or_default())
    }

    /// Checks and saves the business profile; returns it as saved (trimmed).
    pub fn save_business_profile(
        &self,
        profile: &BusinessProfile,
    ) -> Result<BusinessProfile, crate::AppError> {
        let clean = profile
            .validated()
            .map_err(|m| crate::AppError::new(crate::ErrorCode::InvalidInput, m))?;
        self.store().put_setting(SETTINGS_KEY, &clean)?;
        Ok(clean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, lines: &[&str], tax: &str) -> BusinessProfile {
        BusinessProfile {
            name: name.into(),
            address_lines: lines.iter().map(|l| l.to_string()).collect(),
            tax_id: tax.into(),
        }
    }

    #[test]
    fn a_profile_is_trimmed_and_blank_lines_dropped() {
        let clean = profile(" Ana Studio ", &[" 1 Main St ", "", "  "], " DE123 ")
            .validated()
            .unwrap();
        assert_eq!(clean, profile("Ana Studio", &["1 Main St"], "DE123"));
        assert_eq!(clean.invoice_lines(), ["1 Main St", "Tax id: DE123"]);
        assert_eq!(
            BusinessProfile::default().validated(),
            Ok(BusinessProfile::default())
        );
    }

    #[test]
    fn a_wrong_profile_is_refused_with_the_field_named() {
        let long = "x".repeat(MAX_LINE_CHARS + 1);
        let cases = [
            (profile("", &["1 Main St"], ""), "business name"),
            (profile(&long, &[], ""), "business name"),
            (
                profile("A", &["1", "2", "3", "4", "5", "6", "7"], ""),
                "lines",
            ),
            (profile("A", &["ok", &long], ""), "Address line 2"),
            (profile("A", &[], &"9".repeat(41)), "tax id"),
            (profile("A\tB", &[], ""), "plain text"),
        ];
        for (p, want) in cases {
            let err = p.validated().expect_err("must be refused");
            assert!(err.contains(want), "{p:?}: {err} should mention {want}");
        }
    }
}
