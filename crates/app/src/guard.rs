//! A bug in one command or callback must not take the app down: command bodies run under
//! a guard that turns a panic into an `AppError` (the panic itself is logged by the hook
//! set at start), and callbacks run by GTK, WebKit or D-Bus never unwind into their caller.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use futures_util::FutureExt;
use sellerdesk_core::{AppError, ErrorCode};

/// What the window gets when `what` panicked.
pub fn panicked(what: &str) -> AppError {
    AppError::new(
        ErrorCode::Internal,
        format!("unexpected error in {what}, see the log"),
    )
}

/// Runs a synchronous command body; a panic becomes an `Internal` error.
pub fn command<T>(name: &str, body: impl FnOnce() -> Result<T, AppError>) -> Result<T, AppError> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| Err(panicked(name)))
}

/// Runs an async command body; a panic becomes an `Internal` error.
pub async fn command_async<T>(
    name: &str,
    body: impl Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    AssertUnwindSafe(body)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| Err(panicked(name)))
}

/// Runs blocking work (the keychain, file checks) on tokio's blocking pool, never on the
/// main thread; a panic there becomes an `Internal` error.
pub async fn blocking<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => {
            tracing::error!(task = name, error = %e, "blocking work failed");
            Err(panicked(name))
        }
    }
}

/// Runs a callback that must not unwind into its caller; a panic is logged and the
/// callback's default value returned.
pub fn callback<T: Default>(name: &str, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        tracing::error!(callback = name, "a callback panicked; the app carries on");
        T::default()
    })
}

/// Sends every panic (message and place) to the log file as well as stderr.
pub fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(panic = %info, "panic");
        default(info);
    }));
}
