//! `tableau-sim`: a Tableau REST API simulator for tabgov's tests, benchmarks
//! and demo.
//!
//! It serves the subset of the API an identity-governance connector uses
//! (sign-in, users, groups, memberships, content ownership) in the shapes of
//! recorded Tableau responses, with Tableau's paging limits, filters, error
//! codes and session rules, plus deterministic fault injection.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use tableau_sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::new().users(50).groups(5)).await?;
//! let url = sim.base_url(); // http://127.0.0.1:PORT
//! # let _ = url;
//! sim.stop().await;
//! # Ok(()) }
//! ```

pub mod config;
mod emit;
pub mod error;
pub mod faults;
pub mod filter;
pub mod jwt;
pub mod model;
pub mod node;
pub mod paging;
mod releases;
pub mod reqbody;
mod roster;
mod routes;
mod seed;
mod server;
mod session;
mod state;

mod handle;

pub use config::{ConnectedApp, PatCred, SimConfig};
pub use error::ApiError;
pub use model::{SimContent, SimGroup, SimIdentity, SimUser};

use crate::config::parse_version;
use crate::faults::Faults;
use crate::server::Inner;
use crate::session::Sessions;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running simulator: its address and a handle on its state.
///
/// Dropping it without [`Simulator::stop`] also shuts the server down (without
/// waiting for it).
#[derive(Debug)]
pub struct Simulator {
    inner: Arc<Inner>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Seeds every site of `cfg` (the slow part of a start for big sites).
fn build(cfg: SimConfig) -> std::io::Result<Inner> {
    let version = parse_version(&cfg.api_version).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("API version '{}' is not of the form 3.21", cfg.api_version),
        )
    })?;
    let mut sites = Vec::with_capacity(cfg.sites.len());
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x5EED_0F1D);
    for (i, url) in cfg.sites.iter().enumerate() {
        let (mut site, _) = seed::seed_site(&cfg, i, url);
        for p in &cfg.pats {
            if site.user_by_name(&p.owner).is_none() {
                site.insert_user(seed::plain_user(
                    &mut rng,
                    &p.owner,
                    "SiteAdministratorCreator",
                ));
            }
        }
        sites.push(site);
    }
    let faults = Faults::new(
        cfg.seed,
        cfg.rate_429,
        cfg.rate_5xx,
        cfg.latency_ms,
        cfg.max_rps,
        cfg.retry_after_secs,
    );
    Ok(Inner {
        version,
        sites: RwLock::new(sites),
        rng: Mutex::new(rng),
        sessions: Mutex::new(Sessions::new(cfg.seed)),
        faults: Mutex::new(faults),
        requests: AtomicU64::new(0),
        sign_ins: AtomicU64::new(0),
        ignore_owner_flags: std::sync::atomic::AtomicBool::new(false),
        removals: std::sync::Mutex::new(Vec::new()),
        cfg,
    })
}

impl Simulator {
    /// Seeds the sites and starts serving on `config.addr` (default
    /// `127.0.0.1:0`, a free port).
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        let addr = config
            .addr
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let inner = tokio::task::spawn_blocking(move || build(config))
            .await
            .map_err(std::io::Error::other)??;
        let inner = Arc::new(inner);
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let app = axum::Router::new()
            .fallback(server::handle)
            .with_state(inner.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                tracing::error!("tableau-sim server stopped: {e}");
            }
        });
        Ok(Simulator {
            inner,
            addr,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving and waits for the server to end; later connections are
    /// refused.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
