//! Files the seller handed to the app themselves — picked in the system's file dialog or
//! dropped on the window. The window may only name these when it attaches, saves in a
//! draft or uploads a file, so a compromised page cannot send ~/.ssh or any other file.
//! The list is kept in the data folder, so a draft's files still upload after a restart.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{AppError, ErrorCode};

/// The list's file in the data folder.
pub const GRANTS_FILE: &str = "granted-files.json";
/// Past this many, grants of files that no longer exist are dropped.
const PRUNE_ABOVE: usize = 2000;

#[derive(Default)]
pub struct GrantedFiles {
    set: Mutex<HashSet<PathBuf>>,
    /// Where the list is kept; `None`: memory only.
    file: Option<PathBuf>,
}

impl GrantedFiles {
    /// The grants kept in `file` (none when it is missing or unreadable, said in the log).
    pub fn persisted(file: PathBuf) -> GrantedFiles {
        let set = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice::<Vec<PathBuf>>(&bytes)
                .inspect_err(|e| tracing::warn!(error = %e, "granted files list unreadable"))
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        GrantedFiles {
            set: Mutex::new(set.into_iter().collect()),
            file: Some(file),
        }
    }

    pub fn grant(&self, paths: impl IntoIterator<Item = PathBuf>) {
        let mut set = self.set.lock().unwrap_or_else(|p| p.into_inner());
        set.extend(paths);
        if set.len() > PRUNE_ABOVE {
            set.retain(|p| p.exists());
        }
        if let Some(file) = &self.file {
            let list: Vec<&Path> = set
                .iter()
                .filter(|p| p.to_str().is_some())
                .map(|p| p.as_path())
                .collect();
            let saved = serde_json::to_vec(&list)
                .map_err(|e| e.to_string())
                .and_then(|json| {
                    crate::exports::write_file_atomically(file, &json).map_err(|e| e.to_string())
                });
            if let Err(e) = saved {
                tracing::warn!(error = %e, "cannot keep the granted files list");
            }
        }
    }

    pub fn is_granted(&self, path: &Path) -> bool {
        let set = self.set.lock().unwrap_or_else(|p| p.into_inner());
        set.contains(path)
    }

    /// Files chosen in the system's file dialog: the ones it could name are granted and
    /// checked for `account_id`'s delivery; the others are refused with the dialog's reason.
    pub fn picked<E: std::fmt::Display>(
        &self,
        ws: &crate::Workspace,
        account_id: &str,
        chosen: Vec<Result<PathBuf, E>>,
    ) -> crate::drafts::PickedFiles {
        let mut paths = Vec::new();
        let mut refused = Vec::new();
        for file in chosen {
            match file {
                Ok(path) => paths.push(path),
                Err(e) => refused.push(format!("cannot use that file: {e}")),
            }
        }
        self.grant(paths.iter().cloned());
        let mut picked = ws.attachable_files(account_id, &paths);
        picked.refused.extend(refused);
        picked
    }

    /// Refuses to send `order_id`'s saved delivery draft if it names a file the seller
    /// did not pick or drop.
    pub fn check_draft(
        &self,
        ws: &crate::Workspace,
        account_id: &str,
        order_id: &str,
    ) -> Result<(), AppError> {
        match ws.draft(account_id, order_id)? {
            Some(draft) => self.check(draft.draft.content.files.iter().map(|f| f.path.as_str())),
            None => Ok(()),
        }
    }

    /// Refuses (`not_allowed`, naming the file) unless every path was picked or dropped.
    /// The files among `paths` the seller may attach, checked like picked ones; the
    /// others are refused with the reason (not picked or dropped by the seller).
    pub fn attach(
        &self,
        ws: &crate::Workspace,
        account_id: &str,
        paths: &[String],
    ) -> Result<crate::drafts::PickedFiles, AppError> {
        if paths.len() > 100 {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "attach at most 100 files at a time",
            ));
        }
        let (allowed, denied): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .iter()
            .map(PathBuf::from)
            .partition(|p| self.is_granted(p));
        let mut picked = ws.attachable_files(account_id, &allowed);
        picked.refused.extend(denied.iter().map(|p| {
            format!(
                "{} was not picked or dropped by you: add files with \"Add files…\" or drop them on the window",
                p.display()
            )
        }));
        Ok(picked)
    }

    pub fn check<'a>(&self, paths: impl IntoIterator<Item = &'a str>) -> Result<(), AppError> {
        match paths.into_iter().find(|p| !self.is_granted(Path::new(p))) {
            None => Ok(()),
            Some(path) => Err(AppError::new(
                ErrorCode::NotAllowed,
                format!(
                    "{path} was not picked or dropped by you: add files with \"Add files…\" or drop them on the window"
                ),
            )),
        }
    }
}
