//! sellerdesk, the desktop app without its window. [`start`] picks the marketplace (one
//! given in the environment, else the embedded demo marketplaces), opens the workspace,
//! starts the core's [`Desk`](sellerdesk_core::desk::Desk) and the alert loop whose
//! desktop notifications answer through the same `Desk::perform` as the window. What the
//! app shows outside the window's content goes to one [`Surface`], which the Tauri shell
//! implements over its window, tray and launcher; everything else runs here, testable
//! without a window.

pub mod background;
pub mod demo;
pub mod env;
pub mod guard;
pub mod logging;
mod notifications;
mod operations;
mod session;
pub mod surface;

pub use operations::zone;
pub use sellerdesk_notify::tray_host_present;
pub use session::{Session, start};
pub use surface::{Surface, SurfaceEvents};
