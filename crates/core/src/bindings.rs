//! The TypeScript types of the window's IPC, generated from the Rust types with ts-rs and
//! committed under `ui/src/lib/bindings/`. A test fails when they drift; regenerate with
//! `UPDATE_BINDINGS=1 cargo test -p sellerdesk-core bindings`.

use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

use crate::ipc::*;

/// (file name, TypeScript source) of every IPC type.
pub fn generate() -> Result<Vec<(PathBuf, String)>, ts_rs::ExportError> {
    let cfg = Config::new().with_large_int("number");
    let mut out = Vec::new();
    macro_rules! each {
        ($($t:ty),*) => {$(
            out.push((
                <$t as TS>::output_path().unwrap_or_else(|| PathBuf::from(format!("{}.ts", <$t as TS>::name(&cfg)))),
                <$t as TS>::export_to_string(&cfg)?,
            ));
        )*};
    }
    each!(
        Countdown,
        CountdownState,
        OrderRow,
        DeadlineKind,
        AppInfo,
        AppError,
        ErrorCode,
        SyncState,
        SyncStatus,
        AccountSync,
        ConnectionCheck,
        MarketplaceChoice,
        OrderDetail,
        BreakdownLine,
        ForecastView,
        RequestView,
        ActionView,
        ReviewView,
        EarningsView,
        EarningsPeriod,
        SellerAction,
        Id,
        RowStatus,
        OrderStatus,
        Party,
        RequestKind,
        RequestState,
        LineView,
        BucketView,
        Change,
        ChangeBatch,
        ChangeKind,
        OrderKey,
        OrderPage,
        ListSummary,
        CsvKind,
        OpenKind,
        OutboxKind,
        OutboxViewState,
        ActionKind,
        OutboxView,
        Alert,
        AlertKind,
        InboxAlert,
        InboxPage,
        SavedFile,
        BatchExport,
        DeliveryDraft,
        DraftContent,
        DraftFile,
        PickedFiles,
        AlertSettings,
        QuietWindow,
        BusinessProfile,
        AccountView,
        TokenHome,
        DraftView,
        UploadJobView,
        DeliveryView,
        UploadProgress,
        JobState,
        DeliveryState,
        MessageView,
        OrderQuery,
        OrderFilter,
        OrderSort
    );
    out.push((
        PathBuf::from("countdown-cases.json"),
        crate::countdown::shared_cases(),
    ));
    Ok(out)
}

/// The committed bindings folder, from this crate's manifest directory.
pub fn ui_bindings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_bindings_match_the_rust_types() {
        let dir = ui_bindings_dir();
        let update = std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1");
        let mut drift = Vec::new();
        for (file, source) in generate().expect("bindings generate") {
            let path = dir.join(&file);
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &source).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(source.as_str()) {
                drift.push(file.display().to_string());
            }
        }
        assert!(
            drift.is_empty(),
            "TypeScript bindings are out of date: {drift:?}; run `UPDATE_BINDINGS=1 cargo test -p sellerdesk-core bindings` and commit ui/src/lib/bindings"
        );
    }
}
