//! Marketplace simulator: serves Marketplace API v1 from memory with demo data and one
//! marketplace's rules as its profile. The desktop app embeds it as the default demo
//! marketplace; every test runs against it over loopback.

mod clock;
mod demo;
mod profiles;
mod routes;
mod state;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use clock::http_date;
pub use demo::demo_orders;
pub use profiles::{profile, profiles};
pub use routes::V1_ROUTES;
pub use state::{Fault, FaultPlan, SimHandle};

use clock::SimClock;
use state::{Shared, SimState};

#[derive(Debug, Clone)]
pub struct SimConfig {
    /// One of [`profiles`]' ids.
    pub profile_id: String,
    pub token: String,
    /// The simulator's clock starts here.
    pub start: DateTime<Utc>,
    pub demo_data: bool,
}

impl SimConfig {
    /// The embedded demo: the Fiverr-like profile with demo orders.
    pub fn demo(start: DateTime<Utc>) -> SimConfig {
        SimConfig {
            profile_id: "fiverr".to_string(),
            token: "demo-token".to_string(),
            start,
            demo_data: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("unknown marketplace profile {0:?} (known: fiverr, podcasterpros, crackerjack, izea, hostjane)")]
    UnknownProfile(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A simulator serving on a loopback port until shut down (or dropped).
pub struct RunningSim {
    base_url: String,
    token: String,
    handle: SimHandle,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningSim {
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn handle(&self) -> SimHandle {
        self.handle.clone()
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds `addr` (use port 0 for a random one) and serves in a background task.
pub async fn spawn(config: SimConfig, addr: SocketAddr) -> Result<RunningSim, SimError> {
    let profile = profile(&config.profile_id).ok_or_else(|| SimError::UnknownProfile(config.profile_id.clone()))?;
    let orders: BTreeMap<String, _> = if config.demo_data {
        demo_orders(config.start).into_iter().map(|o| (o.id.clone(), o)).collect()
    } else {
        BTreeMap::new()
    };
    let next_seq = orders.values().map(|o| o.seq).max().unwrap_or(0) + 1;
    let shared = Arc::new(Shared {
        clock: SimClock::new(config.start),
        profile,
        token: config.token.clone(),
        state: Mutex::new(SimState { orders, next_seq }),
        faults: Mutex::new(None),
        requests: AtomicU64::new(0),
    });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| SimError::Bind { addr, source })?;
    let local = listener.local_addr().map_err(|source| SimError::Bind { addr, source })?;
    let app = routes::router(shared.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "simulator stopped with an error");
        }
    });
    tracing::info!(%local, profile = %config.profile_id, "marketplace simulator listening");
    Ok(RunningSim {
        base_url: format!("http://{local}"),
        token: config.token,
        handle: SimHandle(shared),
        stop: Some(stop),
        task: Some(task),
    })
}
