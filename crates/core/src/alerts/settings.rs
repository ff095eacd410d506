//! What the seller chose about alerts: the thresholds of each kind, which kinds are on,
//! quiet hours in local time, and muted accounts. Stored as one settings document; every
//! field has a default, so a document from an older build still reads.

use std::collections::HashSet;

use chrono::{Duration, FixedOffset, NaiveTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AlertKind, QuietHours};

/// The settings key of [`AlertSettings`].
pub const SETTINGS_KEY: &str = "alerts";

/// Quiet hours as the seller types them: "22:00" to "07:00", local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuietWindow {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AlertSettings {
    /// Hours before a pending request expires, e.g. [24, 6, 1].
    pub request_expiring_hours: Vec<u32>,
    /// Hours before a delivery falls due, e.g. [24, 2].
    pub delivery_due_hours: Vec<u32>,
    /// Hours before a delivered order auto-completes.
    pub auto_completing_hours: u32,
    /// Kinds switched off.
    pub off: Vec<AlertKind>,
    pub quiet_hours: Option<QuietWindow>,
    /// Account ids that raise nothing.
    pub muted_accounts: Vec<String>,
}

impl Default for AlertSettings {
    fn default() -> AlertSettings {
        AlertSettings {
            request_expiring_hours: vec![24, 6, 1],
            delivery_due_hours: vec![24, 2],
            auto_completing_hours: 24,
            off: Vec::new(),
            quiet_hours: None,
            muted_accounts: Vec::new(),
        }
    }
}

/// Longest threshold: a week.
const MAX_HOURS: u32 = 168;
/// Thresholds per kind.
const MAX_THRESHOLDS: usize = 5;

fn parse_time(what: &str, text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        format!("the {what} of quiet hours must read HH:MM (e.g. 22:00), not {text:?}")
    })
}

fn clean_hours(what: &str, hours: &[u32]) -> Result<Vec<u32>, String> {
    let mut out: Vec<u32> = hours.to_vec();
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    if let Some(bad) = out.iter().find(|h| **h == 0 || **h > MAX_HOURS) {
        return Err(format!(
            "{what}: {bad} h is not a threshold; use 1 to {MAX_HOURS} hours"
        ));
    }
    if out.len() > MAX_THRESHOLDS {
        return Err(format!("{what}: at most {MAX_THRESHOLDS} thresholds"));
    }
    Ok(out)
}

impl AlertSettings {
    /// The settings checked and normalised (thresholds largest first, no duplicates), or
    /// a sentence saying what is wrong.
    pub fn validated(&self) -> Result<AlertSettings, String> {
        let mut out = self.clone();
        out.request_expiring_hours = clean_hours("Request expiring", &self.request_expiring_hours)?;
        out.delivery_due_hours = clean_hours("Delivery due", &self.delivery_due_hours)?;
        clean_hours("Auto-completing", &[self.auto_completing_hours])?;
        if let Some(q) = &self.quiet_hours {
            let (start, end) = (parse_time("start", &q.start)?, parse_time("end", &q.end)?);
            if start == end {
                return Err("quiet hours must not start and end at the same time".into());
            }
            out.quiet_hours = Some(QuietWindow {
                start: start.format("%H:%M").to_string(),
                end: end.format("%H:%M").to_string(),
            });
        }
        out.off.sort();
        out.off.dedup();
        out.muted_accounts.sort();
        out.muted_accounts.dedup();
        Ok(out)
    }

    pub fn is_on(&self, kind: AlertKind) -> bool {
        !self.off.contains(&kind)
    }

    pub fn muted(&self) -> HashSet<String> {
        self.muted_accounts.iter().cloned().collect()
    }

    /// Quiet hours in the seller's zone `offset`; None when unset or unreadable.
    pub fn quiet(&self, offset: FixedOffset) -> Option<QuietHours> {
        let q = self.quiet_hours.as_ref()?;
        Some(QuietHours {
            start: parse_time("start", &q.start).ok()?,
            end: parse_time("end", &q.end).ok()?,
            offset,
        })
    }

    pub(super) fn thresholds(hours: &[u32]) -> Vec<Duration> {
        let mut out: Vec<Duration> = hours
            .iter()
            .map(|h| sellerdesk_api::limits::hours(*h))
            .collect();
        out.sort_by(|a, b| b.cmp(a));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_normalised_or_refused_with_a_reason() {
        let mut s = AlertSettings {
            request_expiring_hours: vec![1, 24, 6, 6],
            quiet_hours: Some(QuietWindow {
                start: "22:00".into(),
                end: " 7:05".into(),
            }),
            ..AlertSettings::default()
        };
        let ok = s.validated().unwrap();
        assert_eq!(ok.request_expiring_hours, [24, 6, 1]);
        assert_eq!(ok.quiet_hours.unwrap().end, "07:05");

        s.request_expiring_hours = vec![0];
        assert!(s.validated().unwrap_err().contains("0 h"));
        s.request_expiring_hours = vec![200];
        assert!(s.validated().unwrap_err().contains("1 to 168"));
        s.request_expiring_hours = vec![1, 2, 3, 4, 5, 6];
        assert!(s.validated().unwrap_err().contains("at most 5"));
        s.request_expiring_hours = vec![24];
        s.quiet_hours = Some(QuietWindow {
            start: "25:00".into(),
            end: "07:00".into(),
        });
        assert!(s.validated().unwrap_err().contains("HH:MM"));
        s.quiet_hours = Some(QuietWindow {
            start: "07:00".into(),
            end: "07:00".into(),
        });
        assert!(s.validated().unwrap_err().contains("same time"));
    }

    #[test]
    fn an_older_document_reads_with_defaults() {
        let s: AlertSettings = serde_json::from_str(r#"{"mutedAccounts":["b"]}"#).unwrap();
        assert_eq!(s.request_expiring_hours, [24, 6, 1]);
        assert_eq!(s.muted_accounts, ["b"]);
    }
}
