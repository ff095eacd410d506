//! Files the seller handed to the app themselves — picked in the system's file dialog or
//! dropped on the window. The window may only name these when it asks the core to attach
//! (and later upload) a file, so a compromised page cannot send ~/.ssh or any other file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Default)]
pub struct GrantedFiles(Mutex<HashSet<PathBuf>>);

impl GrantedFiles {
    pub fn grant(&self, paths: impl IntoIterator<Item = PathBuf>) {
        let mut set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        set.extend(paths);
    }

    pub fn is_granted(&self, path: &Path) -> bool {
        let set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        set.contains(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_granted_paths_pass() {
        let granted = GrantedFiles::default();
        granted.grant([PathBuf::from("/home/ana/final.zip")]);
        assert!(granted.is_granted(Path::new("/home/ana/final.zip")));
        assert!(!granted.is_granted(Path::new("/home/ana/.ssh/id_ed25519")));
        assert!(
            !granted.is_granted(Path::new("/home/ana/../ana/final.zip")),
            "no path tricks: only the exact path handed over"
        );
    }
}
