//! The types the window's IPC carries — command arguments, answers and event payloads —
//! in one place: the shell's adapters import them from here, and `bindings` generates
//! their TypeScript from the same list.

pub use crate::alerts::{Alert, AlertKind, AlertSettings, InboxAlert, InboxPage, QuietWindow};
pub use crate::business::BusinessProfile;
pub use crate::connection::{ConnectionCheck, MarketplaceChoice};
pub use crate::countdown::{Countdown, CountdownState};
pub use crate::desk::{Change, ChangeBatch, ChangeKind};
pub use crate::detail::{
    ActionKind, ActionView, BreakdownLine, BucketView, ForecastView, Id, LineView, MessageView,
    OpenKind, OrderDetail, OutboxKind, OutboxView, OutboxViewState, RequestView, ReviewView,
    SellerAction,
};
pub use crate::drafts::{DraftView, PickedFiles};
pub use crate::earnings::{EarningsPeriod, EarningsView};
pub use crate::error::{AppError, ErrorCode};
pub use crate::exports::{BatchExport, CsvKind, SavedFile};
pub use crate::finder::{OrderFilter, OrderQuery, OrderSort};
pub use crate::listing::OrderKey;
pub use crate::paging::{ListSummary, OrderPage};
pub use crate::store::{DeliveryDraft, DeliveryState, DraftContent, DraftFile, JobState};
pub use crate::sync::{AccountSync, SyncState, SyncStatus};
pub use crate::uploads::{DeliveryView, UploadJobView, UploadProgress};
pub use crate::vault::TokenHome;
pub use crate::view::{AccountView, AppInfo, DeadlineKind, OrderRow, RowStatus};
pub use sellerdesk_api::{OrderStatus, Party, RequestKind, RequestState};
