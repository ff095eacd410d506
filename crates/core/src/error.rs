//! Errors as the window sees them: a code the UI can act on and a sentence for the user.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::ApiError;
use crate::store::StoreError;
use crate::sync::SyncError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Offline,
    AuthExpired,
    Conflict,
    NotAllowed,
    TooLarge,
    NewerSchema,
    Storage,
    InvalidInput,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let code = match e {
            StoreError::NewerSchema { .. } => ErrorCode::NewerSchema,
            StoreError::StaleDraft { .. } => ErrorCode::Conflict,
            _ => ErrorCode::Storage,
        };
        AppError::new(code, e.to_string())
    }
}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> AppError {
        let code = match e {
            ApiError::Unreachable(_) => ErrorCode::Offline,
            ApiError::Unauthorized { .. } => ErrorCode::AuthExpired,
            ApiError::InvalidUrl { .. } => ErrorCode::InvalidInput,
            ApiError::TooLarge { .. } => ErrorCode::TooLarge,
            _ => ErrorCode::Internal,
        };
        AppError::new(code, e.to_string())
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> AppError {
        match e {
            SyncError::Api(e) => e.into(),
            SyncError::Store(e) => e.into(),
        }
    }
}
