//! The application layer: the seller's desk. It owns the workspace, the sync engine and
//! the upload hub, and reports to one event sink. Every app operation is one method here
//! — the window's commands and the notification buttons call the same ones — returning
//! its result and emitting one change batch. Writing to the outbox wakes the engine, the
//! engine starts the upload queues once an account's rules are synced, and a finished
//! upload wakes the engine: none of it waits for a window.
//!
//! Shape (like the simulator's route → perform → apply → rules): shell command →
//! `Desk` method → outbox → engine → HTTP.

mod changes;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;

pub use changes::{Change, ChangeBatch, ChangeKind};

use crate::actions::{Id, SellerAction};
use crate::alerts::Alert;
use crate::detail::OrderDetail;
use crate::drafts::DraftView;
use crate::error::AppError;
use crate::store::{DraftContent, JobState};
use crate::sync::SyncStatus;
use crate::sync_loop::{SyncHandle, SyncWaker, spawn_sync_loop};
use crate::uploads::{UploadHub, UploadProgress};
use crate::view::AccountView;
use crate::workspace::{EventSink, Workspace};

/// Where the desk reports what happened; the shell forwards it to the window.
pub trait DeskEvents: Send + Sync {
    /// These things changed: re-read them.
    fn changes(&self, batch: &ChangeBatch);
    /// The sync's state changed.
    fn sync_status(&self, status: &SyncStatus);
    /// An upload moved.
    fn upload_progress(&self, progress: &UploadProgress);
}

/// Events nobody listens to (a desk run by a tool or a test that only reads state).
pub struct Unobserved;

impl DeskEvents for Unobserved {
    fn changes(&self, _: &ChangeBatch) {}
    fn sync_status(&self, _: &SyncStatus) {}
    fn upload_progress(&self, _: &UploadProgress) {}
}

/// What the seller's answer to an alert (a notification button) asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertAnswer {
    /// Perform this action on the alert's order.
    Act(SellerAction),
    /// Open the order in the window.
    Open,
    /// Nothing (closed, or a button the alert does not have).
    Ignore,
}

impl AlertAnswer {
    /// The answer behind a notification button `key` of `alert`.
    pub fn of(alert: &Alert, key: &str) -> AlertAnswer {
        let has = |k: &str| alert.actions.iter().any(|(id, _)| id == k);
        let request = || {
            alert
                .request_id
                .as_deref()
                .and_then(|r| Id::try_from(r).ok())
        };
        match key {
            "default" => AlertAnswer::Open,
            "accept" if has("accept") => match request() {
                Some(request_id) => AlertAnswer::Act(SellerAction::AcceptRequest { request_id }),
                None => AlertAnswer::Act(SellerAction::Accept),
            },
            "decline" if has("decline") => match request() {
                Some(request_id) => AlertAnswer::Act(SellerAction::DeclineRequest { request_id }),
                None => AlertAnswer::Act(SellerAction::Decline),
            },
            _ => AlertAnswer::Ignore,
        }
    }
}

pub struct Desk {
    ws: Arc<Workspace>,
    uploads: Arc<UploadHub>,
    engine: SyncHandle,
    events: Arc<dyn DeskEvents>,
}

/// The engine's sink: a round's changes go to the window, and once an account's rules
/// are synced its upload queue starts (resuming what a crash or restart left).
struct EngineSink {
    ws: Arc<Workspace>,
    uploads: Arc<UploadHub>,
    events: Arc<dyn DeskEvents>,
}

impl EventSink for EngineSink {
    fn changes(&self, batch: &ChangeBatch) {
        self.events.changes(batch);
    }

    fn sync_status(&self, status: &SyncStatus) {
        self.uploads.start_connected(&self.ws);
        self.events.sync_status(status);
    }
}

impl Desk {
    /// Starts the engine (pulling every `interval` and on demand) and the upload
    /// forwarding on the current tokio runtime.
    pub fn start(ws: Arc<Workspace>, events: Arc<dyn DeskEvents>, interval: Duration) -> Arc<Desk> {
        let uploads = Arc::new(UploadHub::new(&ws));
        let sink = Arc::new(EngineSink {
            ws: ws.clone(),
            uploads: uploads.clone(),
            events: events.clone(),
        });
        let engine = spawn_sync_loop(ws.clone(), sink, interval);
        let desk = Arc::new(Desk {
            ws,
            uploads,
            engine,
            events,
        });
        desk.forward_uploads();
        desk
    }

    /// Every upload's progress reaches the window; a finished file wakes the engine,
    /// which pushes the delivery once its last file is up.
    fn forward_uploads(&self) {
        let mut progress = self.uploads.subscribe();
        let (ws, events, wake) = (self.ws.clone(), self.events.clone(), self.waker());
        tokio::spawn(async move {
            loop {
                match progress.recv().await {
                    Ok(p) => {
                        if matches!(p.state, JobState::Done | JobState::Failed) {
                            wake.wake();
                            if let Ok(Some(d)) = ws.store().delivery(&p.delivery_id) {
                                events.changes(&ChangeBatch::order(
                                    &d.account_id,
                                    &d.order_id,
                                    &[ChangeKind::Deliveries, ChangeKind::Outbox],
                                ));
                            }
                        }
                        events.upload_progress(&p);
                    }
                    Err(RecvError::Lagged(missed)) => {
                        tracing::debug!(missed, "upload progress events skipped");
                    }
                    Err(RecvError::Closed) => break,
                }
            }
        });
    }

    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    pub fn workspace_arc(&self) -> Arc<Workspace> {
        self.ws.clone()
    }

    pub fn uploads(&self) -> &UploadHub {
        &self.uploads
    }

    /// Wakes the engine from anywhere.
    pub fn waker(&self) -> SyncWaker {
        self.engine.waker()
    }

    /// Starts a sync round now.
    pub fn sync_now(&self) -> SyncStatus {
        self.engine.sync_now();
        self.ws.sync_status()
    }

    /// A seller action on an order, from the window or a notification: checked, written
    /// to the outbox, pushed by the engine (woken here); answers the order's detail with
    /// the action pending.
    pub fn perform(
        &self,
        account_id: &Id,
        order_id: &Id,
        action: &SellerAction,
    ) -> Result<OrderDetail, AppError> {
        let wire = action.to_wire()?;
        self.ws.enqueue_action(account_id, order_id, &wire)?;
        self.engine.sync_now();
        let mut batch = ChangeBatch::order(
            account_id,
            order_id,
            &[ChangeKind::Outbox, ChangeKind::Order],
        );
        batch.push(account_id, None, ChangeKind::Badge);
        self.events.changes(&batch);
        self.ws.order_detail(account_id, order_id)
    }

    /// The seller's answer to an alert: the same [`Desk::perform`] as the window's
    /// buttons for Accept / Decline. Returns what it asked for.
    pub fn answer_alert(&self, alert: &Alert, key: &str) -> Result<AlertAnswer, AppError> {
        let answer = AlertAnswer::of(alert, key);
        if let AlertAnswer::Act(action) = &answer {
            let account = Id::try_from(alert.account_id.as_str())?;
            let order = Id::try_from(alert.order_id.as_str())?;
            self.perform(&account, &order, action)?;
        }
        Ok(answer)
    }

    /// Removes a refused action from an order's detail.
    pub fn dismiss_action(
        &self,
        account_id: &Id,
        order_id: &Id,
        seq: i64,
    ) -> Result<OrderDetail, AppError> {
        self.ws.store().dismiss_action(seq)?;
        self.events.changes(&ChangeBatch::order(
            account_id,
            order_id,
            &[ChangeKind::Outbox],
        ));
        self.ws.order_detail(account_id, order_id)
    }

    /// Autosaves the order's delivery draft over version `base`.
    pub fn save_draft(
        &self,
        account_id: &Id,
        order_id: &Id,
        base: Option<u64>,
        content: &DraftContent,
    ) -> Result<DraftView, AppError> {
        let saved = self.ws.save_draft(account_id, order_id, base, content)?;
        self.events.changes(&ChangeBatch::order(
            account_id,
            order_id,
            &[ChangeKind::Draft],
        ));
        Ok(saved)
    }

    pub fn discard_draft(&self, account_id: &Id, order_id: &Id) -> Result<bool, AppError> {
        let gone = self.ws.discard_draft(account_id, order_id)?;
        self.events.changes(&ChangeBatch::order(
            account_id,
            order_id,
            &[ChangeKind::Draft],
        ));
        Ok(gone)
    }

    /// Sends the order's saved draft as a delivery: its files start uploading (a
    /// delivery without files goes straight to the outbox and the engine is woken).
    pub fn submit_delivery(&self, account_id: &Id, order_id: &Id) -> Result<OrderDetail, AppError> {
        self.uploads.submit(&self.ws, account_id, order_id)?;
        self.engine.sync_now();
        self.events.changes(&ChangeBatch::order(
            account_id,
            order_id,
            &[
                ChangeKind::Draft,
                ChangeKind::Deliveries,
                ChangeKind::Outbox,
            ],
        ));
        self.ws.order_detail(account_id, order_id)
    }

    pub fn pause_upload(&self, job_id: &Id) -> Result<(), AppError> {
        self.uploads.pause(&self.ws, job_id)
    }

    pub fn resume_upload(&self, job_id: &Id) -> Result<(), AppError> {
        self.uploads.resume(&self.ws, job_id)
    }

    /// Cancels an upload or a whole delivery; its files go back to the draft.
    pub async fn cancel_upload(&self, id: &Id) -> Result<(), AppError> {
        let delivery = self.ws.store().delivery(id)?.or_else(|| {
            let job = self.ws.store().upload_job(id).ok().flatten()?;
            self.ws.store().delivery(&job.delivery_id).ok().flatten()
        });
        self.uploads.cancel(&self.ws, id).await?;
        if let Some(d) = delivery {
            self.events.changes(&ChangeBatch::order(
                &d.account_id,
                &d.order_id,
                &[ChangeKind::Deliveries, ChangeKind::Draft],
            ));
        }
        Ok(())
    }

    /// Adds a marketplace account (token to the keychain) and syncs it at once.
    pub fn add_account(
        &self,
        label: &str,
        base_url: &str,
        token: &str,
        vault: &crate::vault::Vault,
    ) -> Result<AccountView, AppError> {
        if base_url.len() > 2048 || token.len() > 4096 {
            let why = "the address or the token is too long";
            return Err(AppError::new(crate::ErrorCode::InvalidInput, why));
        }
        let added = self.ws.add_account(label, base_url, token, vault)?;
        self.engine.sync_now();
        let mut batch = ChangeBatch::default();
        batch.push(&added.id, None, ChangeKind::Accounts);
        self.events.changes(&batch);
        Ok(added)
    }

    /// Removes an account with its orders, drafts and queued actions, and its token.
    pub fn remove_account(&self, id: &Id, vault: &crate::vault::Vault) -> Result<(), AppError> {
        let gone: Vec<String> = self
            .ws
            .store()
            .all_orders()?
            .into_iter()
            .filter(|(a, _)| a == id.as_str())
            .map(|(_, o)| o.id)
            .collect();
        self.ws.remove_account(id, vault)?;
        let mut batch = ChangeBatch::default();
        batch.push(id, None, ChangeKind::Accounts);
        batch.push(id, None, ChangeKind::Badge);
        for order in &gone {
            batch.push(id, Some(order), ChangeKind::Order);
        }
        self.events.changes(&batch);
        self.engine.sync_now();
        Ok(())
    }

    /// Stops the engine (tests, shutdown).
    pub fn stop(self: Arc<Self>) {
        if let Ok(desk) = Arc::try_unwrap(self) {
            desk.engine.stop();
        }
    }
}
