//! Delivery drafts as the composer uses them: load, autosave over the version it
//! started from, discard, and attach a file from disk with the marketplace's size limit
//! checked at once (the upload queue checks again when the delivery is sent).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};
use crate::store::{DeliveryDraft, DraftContent, DraftFile};
use crate::view::bytes_label;
use crate::workspace::Workspace;

/// Files the seller picked: those that can be attached, and why the others cannot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PickedFiles {
    pub files: Vec<DraftFile>,
    pub refused: Vec<String>,
}

/// A draft as the composer shows it: its content and, when the order changed on the
/// marketplace since the draft was started, what changed (the draft itself is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftView {
    pub draft: DeliveryDraft,
    pub order_changed: Option<String>,
}

/// What changed on the order since the draft was started, in a sentence; None when
/// nothing that matters to the delivery did.
pub fn order_change(draft: &DeliveryDraft, order: &sellerdesk_api::Order) -> Option<String> {
    use sellerdesk_api::OrderStatus;
    let was = draft.base_status.as_deref()?;
    let now = order.status.as_str();
    if now != was {
        return Some(match order.status {
            OrderStatus::Canceled => {
                "The order was canceled since you started this draft: it can no longer be delivered. Your draft is kept.".to_string()
            }
            OrderStatus::RevisionRequested => {
                "The buyer asked for a revision since you started this draft: send it as modified work.".to_string()
            }
            OrderStatus::Delivered | OrderStatus::Completed => format!(
                "The order is {} now (it was {was} when you started this draft).",
                now.replace('_', " ")
            ),
            _ => format!(
                "The order's status changed from {} to {} since you started this draft.",
                was.replace('_', " "),
                now.replace('_', " ")
            ),
        });
    }
    let due_ms = order.due_at.timestamp_millis();
    match draft.base_due_ms {
        Some(base) if base != due_ms => Some(format!(
            "The delivery date moved {} since you started this draft: now due {}.",
            if due_ms > base { "later" } else { "earlier" },
            order.due_at.format("%Y-%m-%d %H:%M UTC")
        )),
        _ => None,
    }
}

/// Longest delivery description kept, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;

impl Workspace {
    /// The order's draft, and what changed on the order since it was started.
    pub fn draft(&self, account_id: &str, order_id: &str) -> Result<Option<DraftView>, AppError> {
        let Some(draft) = self.store().draft(account_id, order_id)? else {
            return Ok(None);
        };
        let order_changed = self
            .store()
            .order(account_id, order_id)?
            .and_then(|order| order_change(&draft, &order));
        Ok(Some(DraftView {
            draft,
            order_changed,
        }))
    }

    /// Saves the composer's content over version `base` and returns the saved draft.
    pub fn save_draft(
        &self,
        account_id: &str,
        order_id: &str,
        base: Option<u64>,
        content: &DraftContent,
    ) -> Result<DraftView, AppError> {
        let Some(order) = self.store().order(account_id, order_id)? else {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("no order {order_id} in this workspace"),
            ));
        };
        let chars = content.description.chars().count();
        if chars > MAX_DESCRIPTION_CHARS {
            return Err(AppError::new(
                ErrorCode::TooLarge,
                format!(
                    "the description has {chars} characters; at most {MAX_DESCRIPTION_CHARS} are kept"
                ),
            ));
        }
        let now = self.now().timestamp_millis();
        let version = self
            .store()
            .save_draft(account_id, order_id, base, content, now)?;
        if base.is_none() {
            self.store().set_draft_baseline(
                account_id,
                order_id,
                order.status.as_str(),
                order.due_at.timestamp_millis(),
            )?;
        }
        let draft = self
            .store()
            .draft(account_id, order_id)?
            .filter(|d| d.version == version)
            .ok_or_else(|| {
                AppError::new(ErrorCode::Conflict, "the draft changed while it was saved")
            })?;
        Ok(DraftView {
            order_changed: order_change(&draft, &order),
            draft,
        })
    }

    pub fn discard_draft(&self, account_id: &str, order_id: &str) -> Result<bool, AppError> {
        Ok(self.store().delete_draft(account_id, order_id)?)
    }

    /// Checks each picked path; one refused file does not drop the others.
    pub fn attachable_files(&self, account_id: &str, paths: &[PathBuf]) -> PickedFiles {
        let mut picked = PickedFiles::default();
        for path in paths {
            match self.attachable_file(account_id, path) {
                Ok(file) => picked.files.push(file),
                Err(e) => picked.refused.push(e.message),
            }
        }
        picked
    }

    /// A file the seller wants to attach, checked now: it exists, is a regular readable
    /// file, and is within the marketplace's limit for one file.
    pub fn attachable_file(&self, account_id: &str, path: &Path) -> Result<DraftFile, AppError> {
        let invalid = |m: String| AppError::new(ErrorCode::InvalidInput, m);
        if !path.is_absolute() {
            return Err(invalid(format!(
                "{} is not a full path; pick the file or paste its full path",
                path.display()
            )));
        }
        let meta = std::fs::metadata(path)
            .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
        if !meta.is_file() {
            return Err(invalid(format!("{} is not a file", path.display())));
        }
        std::fs::File::open(path)
            .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| invalid(format!("{} has no file name", path.display())))?;
        if let Some(profile) = self.store().profile(account_id)?
            && meta.len() > profile.max_file_bytes
        {
            return Err(AppError::new(
                ErrorCode::TooLarge,
                format!(
                    "{name} is {}; {} takes files up to {} each. Upload it elsewhere and share a download link in the description instead.",
                    bytes_label(meta.len()),
                    profile.name,
                    bytes_label(profile.max_file_bytes)
                ),
            ));
        }
        Ok(DraftFile {
            path: path.display().to_string(),
            name,
            size: meta.len(),
        })
    }
}
