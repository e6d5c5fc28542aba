//! The service's Prometheus metrics: what syncs, HTTP requests and actions
//! did since the service started (kept in memory), and, read from the store
//! at each scrape, how many accounts and reclaimable seats there are, so a
//! dashboard shows the same numbers as `tabgov report licenses`.
//!
//! The exposition is the Prometheus text format (version 0.0.4): it is what
//! every Prometheus server scrapes and what `promtool check metrics` parses
//! (promtool reads the classic text format, not OpenMetrics).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use prometheus_client::encoding::prometheus_text;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};
use tabgov_state::{AccountFilter, Store};

use crate::reports::{license_report, LicenseReportOptions};
use crate::transport::TransportStats;
use crate::{Error, Result};

/// The `Content-Type` of [`Metrics::render`]'s text: the Prometheus text
/// format, version 0.0.4.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// How a sync ended, as the `outcome` label says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncOutcome {
    Succeeded,
    Failed,
    /// Stopped by the mass-removal guard: nothing was written. Counted apart
    /// from failures, as it needs a person rather than a retry.
    Refused,
}

impl SyncOutcome {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncOutcome::Succeeded => "succeeded",
            SyncOutcome::Failed => "failed",
            SyncOutcome::Refused => "refused",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct SiteLabels {
    site: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct SyncLabels {
    site: String,
    outcome: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct HttpLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ActionLabels {
    verb: String,
    outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, EncodeLabelSet)]
struct AccountLabels {
    site: String,
    license: String,
    status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, EncodeLabelSet)]
struct LicenseLabels {
    site: String,
    license: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, EncodeLabelSet)]
struct CurrencyLabels {
    site: String,
    currency: String,
}

type F64Gauge = Gauge<f64, std::sync::atomic::AtomicU64>;

/// The service's metrics. Cheap to clone (the series are shared), so each
/// part of the service (scheduler, router, action runner) holds its own
/// handle and records without locking the others out.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    sync_duration: Family<SyncLabels, Histogram>,
    syncs: Family<SyncLabels, Counter>,
    requests: Family<SiteLabels, Counter>,
    rate_limited: Family<SiteLabels, Counter>,
    retries: Family<SiteLabels, Counter>,
    sign_ins: Family<SiteLabels, Counter>,
    last_success: Family<SiteLabels, F64Gauge>,
    http_requests: Family<HttpLabels, Counter>,
    http_duration: Family<RouteLabels, Histogram>,
    actions: Family<ActionLabels, Counter>,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Every series registered, none with a value yet.
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        // Syncs take seconds to an hour on big sites: 1 s .. ~68 min.
        let sync_duration = Family::<SyncLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(1.0, 2.0, 13))
        });
        // API answers from the store: 1 ms .. ~4 s.
        let http_duration = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 4.0, 7))
        });
        let inner = Inner {
            sync_duration,
            syncs: Family::default(),
            requests: Family::default(),
            rate_limited: Family::default(),
            retries: Family::default(),
            sign_ins: Family::default(),
            last_success: Family::default(),
            http_requests: Family::default(),
            http_duration,
            actions: Family::default(),
            registry: Registry::default(),
        };
        registry.register_with_unit(
            "tabgov_sync_duration",
            "How long a sync of a site took",
            Unit::Seconds,
            inner.sync_duration.clone(),
        );
        registry.register(
            "tabgov_syncs",
            "Syncs of a site, by how they ended (refused: stopped by the mass-removal guard)",
            inner.syncs.clone(),
        );
        registry.register(
            "tabgov_tableau_requests",
            "HTTP requests sent to Tableau by syncs, retries included",
            inner.requests.clone(),
        );
        registry.register(
            "tabgov_tableau_rate_limited",
            "Answers 429 (Too Many Requests) Tableau gave syncs",
            inner.rate_limited.clone(),
        );
        registry.register(
            "tabgov_tableau_retries",
            "Requests to Tableau that syncs repeated after a 429, a 5xx or a network failure",
            inner.retries.clone(),
        );
        registry.register(
            "tabgov_tableau_sign_ins",
            "Sign-ins to Tableau by syncs",
            inner.sign_ins.clone(),
        );
        registry.register_with_unit(
            "tabgov_last_sync_success_timestamp",
            "When the last successful sync of a site finished (Unix time)",
            Unit::Seconds,
            inner.last_success.clone(),
        );
        registry.register(
            "tabgov_http_requests",
            "Requests the service answered, by route template, method and status",
            inner.http_requests.clone(),
        );
        registry.register_with_unit(
            "tabgov_http_request_duration",
            "How long the service took to answer, by route template",
            Unit::Seconds,
            inner.http_duration.clone(),
        );
        registry.register(
            "tabgov_actions",
            "Governance actions run, by verb and outcome",
            inner.actions.clone(),
        );
        Metrics {
            inner: Arc::new(Inner { registry, ..inner }),
        }
    }

    /// Records one sync of `site` (its content URL): its outcome and
    /// duration, what it sent to Tableau, and when it finished if it
    /// succeeded (an alert on that timestamp's age catches a stuck
    /// scheduler, which counters alone do not).
    pub fn record_sync(
        &self,
        site: &str,
        outcome: SyncOutcome,
        duration: Duration,
        traffic: &TransportStats,
        finished_at: DateTime<Utc>,
    ) {
        let i = &self.inner;
        let labels = SyncLabels {
            site: site.to_owned(),
            outcome: outcome.as_str(),
        };
        i.sync_duration
            .get_or_create(&labels)
            .observe(duration.as_secs_f64());
        i.syncs.get_or_create(&labels).inc();
        let site = SiteLabels {
            site: site.to_owned(),
        };
        i.requests.get_or_create(&site).inc_by(traffic.requests);
        i.rate_limited
            .get_or_create(&site)
            .inc_by(traffic.rate_limited);
        i.retries.get_or_create(&site).inc_by(traffic.retries);
        i.sign_ins.get_or_create(&site).inc_by(traffic.sign_ins);
        if outcome == SyncOutcome::Succeeded {
            let at = finished_at.timestamp_millis() as f64 / 1000.0;
            i.last_success.get_or_create(&site).set(at);
        }
    }

    /// Sets when `site` last synced successfully without counting a sync:
    /// what a restarted service reads from the store.
    pub fn set_last_success(&self, site: &str, at: DateTime<Utc>) {
        let seconds = at.timestamp_millis() as f64 / 1000.0;
        self.inner
            .last_success
            .get_or_create(&SiteLabels {
                site: site.to_owned(),
            })
            .set(seconds);
    }

    /// Records one answered HTTP request. `route` must be the matched route
    /// template (`/v1/accounts/{id}`), never the raw path: raw paths would
    /// make one series per account and leak names into the metrics.
    pub fn record_http(&self, route: &str, method: &str, status: u16, duration: Duration) {
        let i = &self.inner;
        i.http_requests
            .get_or_create(&HttpLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status,
            })
            .inc();
        i.http_duration
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(duration.as_secs_f64());
    }

    /// Records one governance action (`suspend`, `restore`, ...) and how it
    /// ended (`done`, `failed`, `skipped`, ...).
    pub fn record_action(&self, verb: &str, outcome: &str) {
        self.inner
            .actions
            .get_or_create(&ActionLabels {
                verb: verb.to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    /// The exposition ([`CONTENT_TYPE`]): the recorded series, then gauges
    /// read from `store` now, so they agree with the store at scrape time:
    /// `tabgov_accounts` {site, license, status}, and from the licence
    /// report (`report`, with its clock set to `now`)
    /// `tabgov_reclaimable_seats` {site, license} and
    /// `tabgov_reclaimable_monthly_cost` {site, currency}. Every paid
    /// licence of every synced site has a seats series, 0 included, so
    /// a series does not vanish when its last candidate is reclaimed.
    pub async fn render(
        &self,
        store: &Store,
        now: DateTime<Utc>,
        report: &LicenseReportOptions,
    ) -> Result<String> {
        let scraped = scrape_registry(store, now, report).await?;
        let mut text = String::new();
        prometheus_text::encode(&mut text, &self.inner.registry).map_err(encode_error)?;
        prometheus_text::encode(&mut text, &scraped).map_err(encode_error)?;
        Ok(text)
    }
}

fn encode_error(_: fmt::Error) -> Error {
    Error::Internal("cannot encode the metrics".to_owned())
}

/// A throw-away registry of the gauges read from the store.
async fn scrape_registry(
    store: &Store,
    now: DateTime<Utc>,
    report: &LicenseReportOptions,
) -> Result<Registry> {
    let mut accounts: BTreeMap<AccountLabels, i64> = BTreeMap::new();
    for a in store.list_accounts(&AccountFilter::default()).await? {
        let labels = AccountLabels {
            site: a.site,
            license: a.license.as_str().to_owned(),
            status: a.status.as_str().to_owned(),
        };
        *accounts.entry(labels).or_default() += 1;
    }

    let opts = LicenseReportOptions {
        now,
        ..report.clone()
    };
    let licenses = license_report(store, &opts).await?;
    let mut seats: BTreeMap<LicenseLabels, i64> = BTreeMap::new();
    let mut cost: BTreeMap<CurrencyLabels, f64> = BTreeMap::new();
    for site in &licenses.sites {
        for line in licenses.paid() {
            seats.insert(
                LicenseLabels {
                    site: site.clone(),
                    license: line.license.as_str().to_owned(),
                },
                0,
            );
        }
        cost.insert(
            CurrencyLabels {
                site: site.clone(),
                currency: licenses.currency.clone(),
            },
            0.0,
        );
    }
    for c in &licenses.candidates {
        let labels = LicenseLabels {
            site: c.site.clone(),
            license: c.candidate.license.as_str().to_owned(),
        };
        *seats.entry(labels).or_default() += 1;
        *cost
            .entry(CurrencyLabels {
                site: c.site.clone(),
                currency: licenses.currency.clone(),
            })
            .or_default() += c.monthly_cost;
    }

    let mut registry = Registry::default();
    let family = Family::<AccountLabels, Gauge>::default();
    for (labels, n) in accounts {
        family.get_or_create(&labels).set(n);
    }
    registry.register(
        "tabgov_accounts",
        "Accounts in the store, by site, licence and status",
        family,
    );
    let family = Family::<LicenseLabels, Gauge>::default();
    for (labels, n) in seats {
        family.get_or_create(&labels).set(n);
    }
    registry.register(
        "tabgov_reclaimable_seats",
        "Paid seats the licence report finds unused (reclamation candidates)",
        family,
    );
    let family = Family::<CurrencyLabels, F64Gauge>::default();
    for (labels, amount) in cost {
        family.get_or_create(&labels).set(amount);
    }
    registry.register(
        "tabgov_reclaimable_monthly_cost",
        "What reclaiming the candidates' seats would save per month",
        family,
    );
    Ok(registry)
}

#[cfg(test)]
#[path = "metrics_tests.rs"]
mod tests;
