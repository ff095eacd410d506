//! A marketplace simulator serving Marketplace API v1 from memory, so the app has a
//! server to talk to in demo mode and tests have one they can break on purpose.
//!
//! [`spawn`] binds a loopback port and serves in a tokio task; the returned
//! [`RunningSim`] hands out a [`SimHandle`] that moves the simulator's clock, injects
//! [`Fault`]s and edits orders in-process. The same controls are reachable over HTTP
//! under `/_sim/` for manual play. Delivery files arrive as tus 1.0 uploads under
//! `/v1/uploads`, stored on disk in [`SimConfig::upload_dir`].
//!
//! The marketplace's clock plays each order's lifecycle (`lifecycle.rs`): requests
//! expire, deliveries nobody answers complete after the review window (plus the time the
//! buyer added), HostJane's Final Work deadline passes, support joins and settles
//! disputes. With [`SimConfig::buyer`] a seeded buyer per order acts too (`buyer.rs`).
//!
//! `/_sim/` controls (bearer token, not part of the API, left out of the OpenAPI file):
//! - `GET /_sim/clock`, `POST /_sim/clock/advance` `{"seconds": n}`;
//! - `POST /_sim/faults` a [`FaultPlan`], `DELETE /_sim/faults`;
//! - `POST /_sim/buyer/{id}` a [`BuyerStep`], e.g. `{"do": "accept_delivery"}`,
//!   `{"do": "request_revision", "text": "…"}`, `{"do": "extend_review", "days": 2}`,
//!   `{"do": "open_dispute", "reason": "…"}`, `{"do": "review", "rating": 5, "text": "…"}`,
//!   `{"do": "answer_request", "request_id": "D-1005-R1", "accept": true}`,
//!   `{"do": "open_request", "kind": "progress_update", "message": "…"}`,
//!   `{"do": "silent"}` (that buyer never acts again), `{"do": "auto"}`; answers the
//!   order, 404 for an unknown order, 409 with the marketplace's reason;
//! - `PUT /_sim/buyer` `{"plays": true|false}`: the seeded buyers act on their own or not.
//!
//! In process: [`SimHandle::buyer`], [`SimHandle::set_buyer_plays`].

mod actions;
mod book;
mod buyer;
mod clock;
mod delivery;
mod demo;
mod demo_requests;
mod disputes;
mod expiry;
mod faults;
mod handle;
mod life;
mod lifecycle;
mod paging;
mod problem;
mod profiles;
mod routes;
mod upload_headers;
mod uploads;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tracing::instrument;

pub use buyer::BuyerStep;
pub use clock::http_date;
pub use demo::demo_orders;
pub use faults::{Fault, FaultMix, FaultPlan};
pub use handle::{ActionError, SimHandle};
pub use profiles::{profile, profiles};
pub use routes::{
    ORDER_ACTIONS_PATH, ORDER_PATH, ORDERS_PATH, PROFILE_PATH, UPLOAD_PATH, UPLOADS_PATH, V1_ROUTES,
};
pub use uploads::{UPLOAD_LIFETIME, UploadInfo};

/// What a simulator instance serves.
#[derive(Clone)]
pub struct SimConfig {
    /// One of [`profiles()`]' ids: "fiverr", "podcasterpros", "crackerjack", "izea", "hostjane".
    pub profile_id: String,
    /// The bearer token every `/v1/` and `/_sim/` request must carry.
    pub token: String,
    /// The simulator's clock reads this instant at spawn and runs on from there.
    pub start: DateTime<Utc>,
    /// Seed the 30 demo orders of [`demo_orders`]; otherwise start empty.
    pub demo_data: bool,
    /// With `demo_data`, seed only the demo orders with these ids (None: all 30), so
    /// several demo marketplaces each show their own orders.
    pub demo_ids: Option<Vec<String>>,
    /// Where tus uploads keep their bytes; `None`: a private temp dir, removed when the
    /// simulator's state is dropped (after shutdown, once every handle is gone).
    pub upload_dir: Option<PathBuf>,
    /// Let a seeded buyer act on every order as the clock runs (accept or send back
    /// deliveries, answer and open requests, review, dispute). Off: buyers act only when
    /// scripted ([`SimHandle::buyer`]); the marketplace's own clock (request expiry,
    /// auto-completion, HostJane's Final Work deadline, support on disputes) runs either way.
    pub buyer: bool,
}

impl SimConfig {
    /// The demo marketplace: Fiverr-like rules, token "demo-token", 30 demo orders, buyers
    /// acting only when scripted.
    pub fn demo(start: DateTime<Utc>) -> SimConfig {
        SimConfig {
            profile_id: "fiverr".to_string(),
            token: "demo-token".to_string(),
            start,
            demo_data: true,
            demo_ids: None,
            upload_dir: None,
            buyer: false,
        }
    }

    /// The same configuration with the seeded buyer playing (see [`SimConfig::buyer`]).
    pub fn with_buyer(self) -> SimConfig {
        SimConfig {
            buyer: true,
            ..self
        }
    }
}

impl fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token is a secret: never print it.
        f.debug_struct("SimConfig")
            .field("profile_id", &self.profile_id)
            .field("token", &"<redacted>")
            .field("start", &self.start)
            .field("demo_data", &self.demo_data)
            .field("demo_ids", &self.demo_ids)
            .field("upload_dir", &self.upload_dir)
            .field("buyer", &self.buyer)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("unknown marketplace profile {id:?}; known: {known}")]
    UnknownProfile { id: String, known: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the bound address: {0}")]
    LocalAddr(#[source] std::io::Error),
    #[error("cannot prepare the upload directory: {0}")]
    UploadDir(#[source] std::io::Error),
}

/// A simulator serving in a background task. Dropping it stops the server (gracefully,
/// without waiting); [`RunningSim::shutdown`] stops it and waits.
pub struct RunningSim {
    addr: SocketAddr,
    handle: SimHandle,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl fmt::Debug for RunningSim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningSim")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl RunningSim {
    /// `http://IP:PORT`, no trailing slash. An unspecified bind address (0.0.0.0, ::)
    /// is reported as the loopback address of the same family.
    pub fn base_url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    /// The socket the server is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bearer token clients must send.
    pub fn token(&self) -> &str {
        self.handle.token()
    }

    /// In-process control of this simulator; clones share the same state.
    pub fn handle(&self) -> SimHandle {
        self.handle.clone()
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the
    /// server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            // The receiver only disappears once the server has already stopped.
            let _ = stop.send(());
        }
        match (&mut self.task).await {
            Ok(Ok(())) => tracing::info!(addr = %self.addr, "simulator stopped"),
            Ok(Err(e)) => {
                tracing::warn!(addr = %self.addr, error = %e, "simulator ended with an error")
            }
            Err(e) => tracing::warn!(addr = %self.addr, error = %e, "simulator task failed"),
        }
    }
}

/// Binds `addr` (pass port 0 for a free port) and serves Marketplace API v1 for
/// `config` in a tokio task. Must be called inside a tokio runtime.
#[instrument(skip(config), fields(profile = %config.profile_id), err)]
pub async fn spawn(config: SimConfig, addr: SocketAddr) -> Result<RunningSim, SimError> {
    let Some(profile) = profile(&config.profile_id) else {
        let known: Vec<String> = profiles().into_iter().map(|p| p.id).collect();
        return Err(SimError::UnknownProfile {
            id: config.profile_id,
            known: known.join(", "),
        });
    };
    let handle = SimHandle::new(&config, profile).map_err(SimError::UploadDir)?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SimError::Bind { addr, source })?;
    let bound = listener.local_addr().map_err(SimError::LocalAddr)?;
    let app = routes::router(handle.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                // Either an explicit shutdown or the RunningSim being dropped.
                let _ = stopped.await;
            })
            .await
    });
    tracing::info!(addr = %bound, orders = handle.orders().len(), "simulator listening");
    Ok(RunningSim {
        addr: bound,
        handle,
        stop: Some(stop),
        task,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_simulator_can_live_in_shared_app_state() {
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<RunningSim>();
        shareable::<SimHandle>();
        shareable::<SimConfig>();
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let config = SimConfig {
            token: "s3cret-token".into(),
            ..SimConfig::demo(Utc::now())
        };
        assert!(
            !format!("{config:?}").contains("s3cret"),
            "the token must be redacted"
        );
    }

    #[tokio::test]
    async fn an_unspecified_bind_address_is_reported_as_loopback() {
        let sim = spawn(SimConfig::demo(Utc::now()), ([0, 0, 0, 0], 0).into())
            .await
            .expect("binds");
        let url = sim.base_url();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "a connectable base URL: {url}"
        );
        assert!(!url.ends_with(":0"), "the real port, not 0: {url}");
        sim.shutdown().await;
    }
}
