//! Every account's upload queue behind one door: the shell submits a delivery from the
//! order's saved draft, lists and controls uploads, and hears their progress on one
//! channel, whichever marketplace account they belong to.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use super::{DeliveryView, UploadConfig, UploadError, UploadJobView, UploadProgress, UploadQueue};
use crate::store::{DeliveryRow, DeliveryState, DraftContent, DraftFile, Store};
use crate::{AppError, ErrorCode, Workspace};

/// The upload queues of a workspace, one per connected account, started on first use
/// (or all at once by [`UploadHub::start_connected`] to resume unfinished uploads).
pub struct UploadHub {
    db_path: PathBuf,
    queues: Mutex<HashMap<String, UploadQueue>>,
    events: broadcast::Sender<UploadProgress>,
}

impl From<UploadError> for AppError {
    fn from(e: UploadError) -> AppError {
        let code = match &e {
            UploadError::TooLarge { .. } => ErrorCode::TooLarge,
            UploadError::Missing { .. }
            | UploadError::Unreadable { .. }
            | UploadError::NoFileNotConfirmed
            | UploadError::NotFound(_)
            | UploadError::OtherAccount(_) => ErrorCode::InvalidInput,
            UploadError::QueueBusy { .. } => ErrorCode::Conflict,
            UploadError::LockFailed { .. } => ErrorCode::Storage,
            UploadError::Client(_) => ErrorCode::Offline,
            UploadError::Store(_) => ErrorCode::Storage,
        };
        AppError::new(code, e.to_string())
    }
}

impl UploadHub {
    /// A hub over the workspace's database file (each queue opens its own connection).
    pub fn new(ws: &Workspace) -> UploadHub {
        let (events, _) = broadcast::channel(1024);
        UploadHub {
            db_path: ws.store().path().to_path_buf(),
            queues: Mutex::new(HashMap::new()),
            events,
        }
    }

    /// Starts the queue of every connected account whose rules are synced, so uploads
    /// left unfinished by a crash or a restart go on. Needs a tokio runtime. Accounts
    /// that cannot start yet (rules not synced) start when first used.
    pub fn start_connected(&self, ws: &Workspace) {
        for account in ws.accounts().unwrap_or_default() {
            if account.connected
                && let Err(e) = self.queue(ws, &account.id)
            {
                if e.code == ErrorCode::Conflict {
                    // Another process runs the uploads of this database.
                    tracing::warn!(account = %account.id, error = %e, "upload queue not started");
                } else {
                    tracing::debug!(account = %account.id, error = %e, "upload queue not started yet");
                }
            }
        }
    }

    /// Progress of every upload of every account.
    pub fn subscribe(&self) -> broadcast::Receiver<UploadProgress> {
        self.events.subscribe()
    }

    fn queue(&self, ws: &Workspace, account_id: &str) -> Result<UploadQueue, AppError> {
        let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(queue) = queues.get(account_id) {
            return Ok(queue.clone());
        }
        let config: UploadConfig = ws.upload_config(account_id)?;
        let store = Arc::new(Store::open(&self.db_path)?);
        let queue = UploadQueue::start_with_events(store, config, self.events.clone())?;
        queues.insert(account_id.to_string(), queue.clone());
        Ok(queue)
    }

    /// Sends the order's saved draft: checks the order still takes a delivery and every
    /// file before any byte goes out, records the delivery, starts its uploads, and
    /// deletes the draft. The deliver action reaches the outbox once all files are up.
    pub fn submit(
        &self,
        ws: &Workspace,
        account_id: &str,
        order_id: &str,
    ) -> Result<DeliveryView, AppError> {
        let Some(view) = ws.draft(account_id, order_id)? else {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "there is no saved delivery for this order",
            ));
        };
        let content = view.draft.content;
        let wanted = if content.modified {
            crate::detail::ActionKind::DeliverModified
        } else {
            crate::detail::ActionKind::Deliver
        };
        let detail = ws.order_detail(account_id, order_id)?;
        match detail.actions.iter().find(|a| a.id == wanted) {
            Some(action) if action.allowed => {}
            Some(action) => {
                return Err(AppError::new(
                    ErrorCode::NotAllowed,
                    action
                        .reason
                        .clone()
                        .unwrap_or_else(|| "this order cannot take a delivery now".into()),
                ));
            }
            None => {
                return Err(AppError::new(
                    ErrorCode::NotAllowed,
                    format!(
                        "order {order_id} is {}: it cannot take a delivery now; your draft is kept",
                        detail.row.status_label
                    ),
                ));
            }
        }
        if detail.delivery.is_some() {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "a delivery of this order is already uploading; cancel it first to send another",
            ));
        }
        let id = self
            .queue(ws, account_id)?
            .submit_delivery(account_id, order_id, &content)?;
        ws.store().delete_draft(account_id, order_id)?;
        let delivery = Self::delivery_of(ws, &id)?;
        let jobs = ws.store().upload_jobs_of(&id)?;
        Ok(super::delivery_view(delivery, &jobs))
    }

    /// Every upload of every account, newest delivery first (files in attached order).
    pub fn jobs(&self, ws: &Workspace) -> Result<Vec<UploadJobView>, AppError> {
        // The store lists jobs by delivery, oldest first: reverse the deliveries only.
        let jobs: Vec<UploadJobView> = ws
            .store()
            .upload_jobs()?
            .into_iter()
            .map(super::job_view)
            .collect();
        Ok(jobs
            .chunk_by(|a, b| a.delivery_id == b.delivery_id)
            .rev()
            .flatten()
            .cloned()
            .collect())
    }

    /// Every delivery of every account.
    pub fn deliveries(&self, ws: &Workspace) -> Result<Vec<DeliveryView>, AppError> {
        Ok(super::delivery_views(ws.store())?)
    }

    /// The delivery `id` names: the delivery itself or one of its files' uploads.
    fn delivery_of(ws: &Workspace, id: &str) -> Result<DeliveryRow, AppError> {
        let store = ws.store();
        let delivery = match store.delivery(id)? {
            Some(d) => Some(d),
            None => match store.upload_job(id)? {
                Some(job) => store.delivery(&job.delivery_id)?,
                None => None,
            },
        };
        delivery.ok_or_else(|| {
            AppError::new(ErrorCode::InvalidInput, format!("there is no upload {id}"))
        })
    }

    pub fn pause(&self, ws: &Workspace, job_id: &str) -> Result<(), AppError> {
        let account = Self::delivery_of(ws, job_id)?.account_id;
        Ok(self.queue(ws, &account)?.pause(job_id)?)
    }

    pub fn resume(&self, ws: &Workspace, job_id: &str) -> Result<(), AppError> {
        let account = Self::delivery_of(ws, job_id)?.account_id;
        Ok(self.queue(ws, &account)?.resume(job_id)?)
    }

    /// Cancels an upload or a whole delivery and ends it on the server. The delivery
    /// goes back to the order's draft (unless a newer draft was started), so nothing the
    /// seller wrote or picked is lost.
    pub async fn cancel(&self, ws: &Workspace, id: &str) -> Result<(), AppError> {
        let account = Self::delivery_of(ws, id)?.account_id;
        self.queue(ws, &account)?.cancel(id).await?;
        // Read again: canceling moved it.
        let delivery = Self::delivery_of(ws, id)?;
        if delivery.state != DeliveryState::Canceled {
            return Ok(());
        }
        if ws
            .draft(&delivery.account_id, &delivery.order_id)?
            .is_some()
        {
            return Ok(());
        }
        let files = ws
            .store()
            .upload_jobs_of(&delivery.id)?
            .into_iter()
            .map(|j| DraftFile {
                path: j.path,
                name: j.name,
                size: j.size,
            })
            .collect();
        let content = DraftContent {
            description: delivery.content.description,
            files,
            no_file_confirmed: delivery.content.no_file_confirmed,
            outside_platform: delivery.content.outside_platform,
            modified: delivery.content.modified,
        };
        ws.save_draft(&delivery.account_id, &delivery.order_id, None, &content)?;
        Ok(())
    }
}
