//! sellerdesk core: domain, SQLite store, Marketplace API client and sync, with no Tauri
//! dependency. The desktop shell and the tests drive the same [`Workspace`].

pub mod accounts;
pub mod actions;
pub mod alerts;
pub mod api;
pub mod bindings;
pub mod business;
pub mod connection;
pub mod countdown;
pub mod desk;
pub mod detail;
pub mod drafts;
pub mod earnings;
pub mod error;
pub mod export_folder;
pub mod exports;
pub mod finder;
pub mod grants;
pub mod instance;
pub mod ipc;
pub mod listing;
pub mod paging;
pub mod store;
pub mod sync;
pub mod sync_loop;
pub mod uploads;
pub mod vault;
pub mod view;
pub mod workspace;

#[cfg(test)]
mod test_orders;

pub use error::{AppError, ErrorCode};
pub use workspace::{Clock, EventSink, Workspace, system_clock};
