//! The app in the background: closing the main window hides it, while sync and
//! notifications go on, when the desktop shows tray icons (a StatusNotifierWatcher on
//! the session bus). Without a tray host closing still quits: a hidden window with no
//! icon could never come back, and a WebDriver session that closes the window must
//! still end the app. One sellerdesk per data folder: a second one hands over or stops.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sellerdesk_core::instance::{self, InstanceLock, Lock};

/// Whether closing the main window hides it, and whether it is hidden now.
#[derive(Debug, Default)]
pub struct Background {
    close_to_tray: AtomicBool,
    hidden: AtomicBool,
}

impl Background {
    /// Closing the main window hides it from now on (a tray host is there) or quits.
    pub fn set_close_to_tray(&self, on: bool) {
        self.close_to_tray.store(on, Ordering::Relaxed);
    }

    pub fn close_to_tray(&self) -> bool {
        self.close_to_tray.load(Ordering::Relaxed)
    }

    /// True while the main window is hidden in the tray.
    pub fn hidden(&self) -> bool {
        self.hidden.load(Ordering::Relaxed)
    }

    /// The main window was asked to close: true when it hides instead (now hidden).
    pub fn hide_on_close(&self) -> bool {
        let hide = self.close_to_tray();
        if hide {
            self.hidden.store(true, Ordering::Relaxed);
        }
        hide
    }

    /// The main window is shown again.
    pub fn shown(&self) {
        self.hidden.store(false, Ordering::Relaxed);
    }
}

/// Another sellerdesk runs on this data folder.
#[derive(Debug)]
pub struct AlreadyRunning;

/// Takes the data folder's lock, waiting a moment for an instance that is quitting; none
/// when the folder cannot be locked (the app starts anyway, and says so).
pub fn lock_data_dir(dir: &Path) -> Result<Option<InstanceLock>, AlreadyRunning> {
    match instance::lock_waiting(dir, Duration::from_secs(3)) {
        Lock::Taken(lock) => Ok(Some(lock)),
        Lock::HeldByAnother => {
            let dir = dir.display();
            eprintln!("sellerdesk is already running on {dir}; not starting a second one");
            Err(AlreadyRunning)
        }
        Lock::Unavailable(e) => {
            eprintln!("cannot lock {}: {e}; starting anyway", dir.display());
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_hides_only_with_a_tray_host() {
        let background = Background::default();
        assert!(!background.hide_on_close(), "no tray host: closing quits");
        assert!(!background.hidden());
        background.set_close_to_tray(true);
        assert!(background.hide_on_close(), "a tray host: closing hides");
        assert!(background.hidden());
        background.shown();
        assert!(!background.hidden());
    }
}
