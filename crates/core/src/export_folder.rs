//! Where exports go: the folder the seller chose (kept in the settings), and the one check
//! "Show in folder" relies on — a path is shown only when it lies inside that folder once
//! `..` and links are resolved, so the window cannot ask the file manager for anything else.

use std::path::{Path, PathBuf};

use crate::error::{AppError, ErrorCode};
use crate::workspace::Workspace;

const SETTINGS_KEY: &str = "export_folder";

impl Workspace {
    /// The export folder the seller chose, when they chose one.
    pub fn chosen_export_folder(&self) -> Result<Option<PathBuf>, AppError> {
        Ok(self.store().setting::<PathBuf>(SETTINGS_KEY)?)
    }

    /// Keeps `folder` as the export folder once it can take files: an absolute path to a
    /// directory this user can write in. Returns it as kept.
    pub fn choose_export_folder(&self, folder: &Path) -> Result<PathBuf, AppError> {
        let folder = usable_folder(folder)?;
        self.store().put_setting(SETTINGS_KEY, &folder)?;
        Ok(folder)
    }
}

/// `folder` resolved, when files can be written there.
pub fn usable_folder(folder: &Path) -> Result<PathBuf, AppError> {
    let refuse = |why: String| Err(AppError::new(ErrorCode::InvalidInput, why));
    if !folder.is_absolute() {
        return refuse(format!("{} is not a full folder path", folder.display()));
    }
    let resolved = match folder.canonicalize() {
        Ok(p) if p.is_dir() => p,
        Ok(_) => return refuse(format!("{} is a file, not a folder", folder.display())),
        Err(_) => return refuse(format!("the folder {} does not exist", folder.display())),
    };
    // Writable: a probe file is created and removed (permissions alone do not tell, e.g.
    // on a read-only mount).
    let probe = resolved.join(format!(".sellerdesk-write-test-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(resolved)
        }
        Err(e) => refuse(format!(
            "sellerdesk cannot write in {}: {e}",
            resolved.display()
        )),
    }
}

/// `path` resolved, when it is `folder` or lies inside it (`..` and links resolved, so a
/// path cannot leave the folder by either).
pub fn within_folder(folder: &Path, path: &Path) -> Result<PathBuf, AppError> {
    let outside = || {
        let why = format!(
            "only files in the export folder ({}) can be shown",
            folder.display()
        );
        AppError::new(ErrorCode::NotAllowed, why)
    };
    let folder = folder.canonicalize().map_err(|_| outside())?;
    let resolved = path.canonicalize().map_err(|_| {
        let why = format!("{} is no longer there", path.display());
        AppError::new(ErrorCode::InvalidInput, why)
    })?;
    if resolved.starts_with(&folder) {
        Ok(resolved)
    } else {
        Err(outside())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_folder_are_shown() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("exports");
        std::fs::create_dir_all(folder.join("2026-11")).unwrap();
        let invoice = folder.join("2026-11").join("SD-1.pdf");
        std::fs::write(&invoice, b"%PDF").unwrap();
        let secret = root.path().join("secret.txt");
        std::fs::write(&secret, b"no").unwrap();

        assert_eq!(
            within_folder(&folder, &invoice).unwrap(),
            invoice.canonicalize().unwrap()
        );
        assert!(within_folder(&folder, &folder).is_ok(), "the folder itself");
        let sneaky = folder
            .join("2026-11")
            .join("..")
            .join("..")
            .join("secret.txt");
        assert_eq!(
            within_folder(&folder, &sneaky).unwrap_err().code,
            ErrorCode::NotAllowed,
            "`..` cannot leave the folder"
        );
        #[cfg(unix)]
        {
            let link = folder.join("link.txt");
            std::os::unix::fs::symlink(&secret, &link).unwrap();
            assert_eq!(
                within_folder(&folder, &link).unwrap_err().code,
                ErrorCode::NotAllowed,
                "a link cannot leave the folder"
            );
        }
        let gone = within_folder(&folder, &folder.join("deleted.pdf")).unwrap_err();
        assert!(gone.message.contains("no longer there"), "{}", gone.message);
    }

    #[test]
    fn a_folder_must_exist_be_a_directory_and_take_files() {
        let root = tempfile::tempdir().unwrap();
        assert!(usable_folder(root.path()).is_ok());
        let file = root.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        assert!(
            usable_folder(&file)
                .unwrap_err()
                .message
                .contains("not a folder")
        );
        let missing = usable_folder(&root.path().join("nope")).unwrap_err();
        assert!(
            missing.message.contains("does not exist"),
            "{}",
            missing.message
        );
        assert!(usable_folder(Path::new("relative/dir")).is_err());
    }
}
