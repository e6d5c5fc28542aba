//! What a suspend reads from the store: the rows about its target, not
//! every membership of the site. Counted from sqlx's statement events
//! (`rows_returned`), so the test needs no clock.
//!
//! The statements run on SQLite's worker threads, which only the global
//! subscriber sees; they run inside the caller's span, though, so only the
//! events under this test's [`MEASURED`] span are counted and the other
//! tests of this binary, running at the same time, do not add to them.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::common;
use common::{Env, PAT_NAME, PAT_SECRET};
use tabgov::actions::{run_batch, scopes, ActionContext, ActionOptions, TargetRequest, Verb};
use tabgov::credentials::Credential;
use tabgov::transport::{Transport, TransportOptions};
use tabgov::Secret;
use tableau_sim::SimConfig;
use tracing::field::{Field, Visit};
use tracing::{Event, Instrument, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// The span whose statements are counted.
const MEASURED: &str = "suspend_under_measure";

/// Rows returned by the statements under the [`MEASURED`] span.
static ROWS_READ: AtomicU64 = AtomicU64::new(0);

struct CountRows;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for CountRows {
    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let measured = ctx
            .event_scope(event)
            .is_some_and(|mut spans| spans.any(|span| span.name() == MEASURED));
        if measured {
            let mut rows = RowsReturned(0);
            event.record(&mut rows);
            ROWS_READ.fetch_add(rows.0, Ordering::SeqCst);
        }
    }
}

struct RowsReturned(u64);

impl Visit for RowsReturned {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "rows_returned" {
            self.0 = value;
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspending_one_user_reads_their_rows_not_the_sites_memberships() {
    // The statements run on SQLite's worker threads: the subscriber must be global.
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(CountRows))
        .expect("the only global subscriber of this test binary");
    let config = SimConfig::new()
        .users(400)
        .groups(40)
        .memberships_per_user(3)
        .seed(11);
    let env = Env::start(config).await;
    let target = env.sim.add_user("", "leaver", "Creator");
    env.sync(&[]).await.ok();
    let memberships: u64 = env
        .tabgov(&["groups", "--format", "json"])
        .await
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["member_count"].as_u64().unwrap())
        .sum();
    assert!(memberships > 1000, "{memberships} memberships");

    let store = env.store().await;
    let mut options = TransportOptions::new(env.sim.base_url(), "");
    options.max_rps = 0;
    let credential = Credential::Pat {
        name: PAT_NAME.to_owned(),
        secret: Secret::new(PAT_SECRET),
    };
    let requests = vec![TargetRequest::new("leaver", Verb::Suspend)];
    let transport = Transport::connect(options, credential, &scopes::for_batch(&requests))
        .await
        .unwrap();
    let ctx = ActionContext::new(&transport, &store, ActionOptions::default())
        .await
        .unwrap();

    let results = run_batch(&ctx, requests)
        .instrument(tracing::info_span!(MEASURED))
        .await
        .unwrap();
    let read = ROWS_READ.load(Ordering::SeqCst);

    assert_eq!(results[0].result.as_str(), "completed", "{results:?}");
    assert_eq!(
        env.sim.user("", &target.id).unwrap().site_role,
        "Unlicensed"
    );
    assert!(
        read < 50,
        "one suspend read {read} rows from a store with {memberships} memberships"
    );
    drop(ctx);
    transport.sign_out().await.unwrap();
    store.close().await;
}
