//! tabgov: the Tableau REST client, the sync engine, the governance actions
//! and the reports of an identity-governance connector for Tableau Server
//! and Tableau Cloud. The `tabgov` command line is built on this library
//! (feature `cli`); a service links the library alone with
//! `default-features = false` and gets no command-line crates.
//!
//! # What a service calls
//!
//! | to | call |
//! |---|---|
//! | sign in | [`transport::Transport::connect`] with [`transport::TransportOptions`], a [`credentials::Credential`] and the least [`credentials::Scope`]s, e.g. [`credentials::Scope::SYNC`] |
//! | sync a site into the store | [`site_lock::SiteLock::acquire`] (before signing in), then [`sync::sync_site`] |
//! | run actions (suspend, restore, deprovision) | [`actions::ActionContext::new`], then [`actions::run_batch`] with [`actions::TargetRequest`]s |
//! | read reports | [`reports::license_report`], [`reports::review_rows`] |
//! | map an outcome to the command-line contract | [`ExitCode`] |
//!
//! The store is [`tabgov_state::Store`]; the domain types (site roles,
//! licences, accounts) are [`tabgov_mapping`]'s.
//!
//! Layers point one way: actions, sync and reports -> `api` -> `transport`.
//! Requests are built purely in [`api`], sent only by [`transport`], and
//! decoded back into the domain types of `tabgov-mapping` at the `api`
//! boundary.
//!
//! # Examples
//!
//! Sign in, sync a site into a store, plan an action and read the licence
//! report (here against the simulated Tableau the tests use):
//!
//! ```
//! use tabgov::actions::{run_batch, ActionContext, ActionOptions, TargetRequest, Verb};
//! use tabgov::credentials::{Credential, Scope};
//! use tabgov::reports::{license_report, LicenseReportOptions};
//! use tabgov::site_lock::SiteLock;
//! use tabgov::sync::{sync_site, SyncOptions};
//! use tabgov::transport::{Transport, TransportOptions};
//! use tabgov::Secret;
//! use tabgov_state::Store;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sim = tableau_sim::Simulator::start(tableau_sim::SimConfig::new().users(30).seed(7)).await?;
//! # let server = sim.base_url();
//! # let pat_name = "admin-pat".to_owned();
//! # let pat_secret = "admin-secret";
//! // `server` is e.g. "https://tableau.example.com"; "" is the default site.
//! let store = Store::open("sqlite::memory:").await?;
//! let lock = SiteLock::acquire(&store, &server, "").await?;
//! let credential = Credential::Pat { name: pat_name, secret: Secret::new(pat_secret) };
//! let transport =
//!     Transport::connect(TransportOptions::new(&server, ""), credential, Scope::SYNC).await?;
//!
//! let synced = sync_site(&transport, &store, &lock, &SyncOptions::default()).await?;
//! assert!(synced.summary.counts.users >= 30);
//! drop(lock);
//!
//! // A dry run plans and changes nothing.
//! let options = ActionOptions { dry_run: true, ..ActionOptions::default() };
//! let ctx = ActionContext::new(&transport, &store, options).await?;
//! let someone = store.list_accounts(&Default::default()).await?;
//! let plan = run_batch(&ctx, vec![TargetRequest::new(&someone[1].account.name, Verb::Suspend)]).await?;
//! assert_eq!(plan.len(), 1);
//! drop(ctx);
//!
//! let report = license_report(&store, &LicenseReportOptions::new(chrono::Utc::now())).await?;
//! assert!(!report.licenses.is_empty());
//! transport.sign_out().await?;
//! # sim.stop().await;
//! # Ok(())
//! # }
//! ```
//!
//! Requests are plain values, built without a connection:
//!
//! ```
//! use tabgov::api::{users, Method, PageRequest};
//! use tabgov_mapping::SiteLuid;
//!
//! let site = SiteLuid::new("site-luid");
//! let request = users::list_users(&site, PageRequest { number: 2, size: 100 });
//! assert_eq!(request.method, Method::Get);
//! assert_eq!(request.path, "sites/site-luid/users");
//! assert!(request.query.contains(&("pageNumber".to_owned(), "2".to_owned())));
//! ```
//!
//! Site roles decide licences; unknown roles are kept, not refused:
//!
//! ```
//! use tabgov_mapping::{License, SiteRole};
//!
//! assert_eq!(SiteRole::parse("ExplorerCanPublish").license(), License::Explorer);
//! assert_eq!(SiteRole::parse("Unlicensed").license(), License::Unlicensed);
//! assert_eq!(SiteRole::parse("SomethingNew").as_str(), "SomethingNew");
//! ```
//!
//! Secrets never print, and outcomes map to the documented exit codes:
//!
//! ```
//! use tabgov::{ExitCode, Secret};
//!
//! let secret = Secret::new("hunter2");
//! assert_eq!(format!("{secret} {secret:?}"), "[redacted] Secret([redacted])");
//! assert_eq!(secret.expose(), "hunter2");
//!
//! let batch = ExitCode::Success.worst(ExitCode::Refused).worst(ExitCode::Runtime);
//! assert_eq!(batch, ExitCode::Runtime);
//! assert_eq!(ExitCode::Refused.code(), 3);
//! ```

pub mod actions;
pub mod api;
pub mod credentials;
pub mod error;
pub mod error_code;
pub mod exit_code;
pub mod listing;
pub mod reports;
pub mod secret;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site_lock;
pub mod sync;
pub mod transport;

pub use error::{Error, ErrorCode, Result, TableauError};
pub use exit_code::ExitCode;
pub use secret::Secret;
