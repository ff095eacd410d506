//! Logs: a daily-rotated file in the data folder (7 kept) plus stderr. Secrets are never
//! logged: the API client redacts its token and no command logs its arguments.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub fn init(log_dir: &Path) -> anyhow::Result<WorkerGuard> {
    std::fs::create_dir_all(log_dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("sellerdesk")
        .filename_suffix("log")
        .max_log_files(7)
        .build(log_dir)?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("SELLERDESK_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sellerdesk=debug,sellerdesk_core=debug"));
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(
            // Its own field formatter: span fields are formatted once per formatter type and
            // cached, so sharing the terminal's would leak its colour codes into the file.
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .fmt_fields(tracing_subscriber::fmt::format::PrettyFields::new())
                .with_writer(file),
        )
        .try_init()?;
    Ok(guard)
}
