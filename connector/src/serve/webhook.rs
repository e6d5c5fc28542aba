//! Outgoing alert webhooks: a failed sync, a refused mass removal, a
//! finished job are POSTed as signed JSON to each configured URL.
//!
//! [`Webhooks::send`] only queues: whoever raises an alert (the scheduler,
//! a job) never waits for a receiver nor fails because of one. One task
//! takes alerts off the queue and delivers each to every target in its own
//! task, so a slow or failing receiver delays no other. A delivery is
//! retried with exponential backoff and jitter on network errors, timeouts,
//! 408, 429 and 5xx; another 4xx is the receiver refusing it, and final.
//!
//! Each request carries `X-Tabgov-Event` (the kind), `X-Tabgov-Delivery`
//! (the alert's id, the same on every attempt and target, so a receiver can
//! drop duplicates), `X-Tabgov-Timestamp` (Unix seconds of this attempt)
//! and `X-Tabgov-Signature` ([`sign`] of that timestamp and the body).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinSet;
use url::Url;
use uuid::Uuid;

pub use super::signature::sign;
use crate::Secret;

/// One receiver of alerts and the secret its deliveries are signed with.
#[derive(Clone)]
pub struct WebhookTarget {
    pub url: Url,
    pub secret: Secret,
}

impl std::fmt::Debug for WebhookTarget {
    // Webhook URLs often carry a token in their path or query (chat
    // services do): only the origin is printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookTarget")
            .field("url", &origin(&self.url))
            .field("secret", &self.secret)
            .finish()
    }
}

/// The scheme, host and port of `url`: what logs may say of a target.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// What happened, as the `event` field and `X-Tabgov-Event` say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    SyncFailed,
    SignInFailed,
    MassRemovalRefused,
    JobFinished,
}

impl AlertKind {
    /// The wire name (snake_case).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::SyncFailed => "sync_failed",
            AlertKind::SignInFailed => "sign_in_failed",
            AlertKind::MassRemovalRefused => "mass_removal_refused",
            AlertKind::JobFinished => "job_finished",
        }
    }
}

/// One alert. `detail` is free-form JSON for the receiver (counts, run id).
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub kind: AlertKind,
    /// The site's content URL, when the alert is about one site.
    pub site: Option<String>,
    pub at: DateTime<Utc>,
    pub message: String,
    pub detail: serde_json::Value,
}

impl Alert {
    /// An alert raised now, about no site, with no detail.
    pub fn new(kind: AlertKind, message: impl Into<String>) -> Alert {
        Alert {
            kind,
            site: None,
            at: Utc::now(),
            message: message.into(),
            detail: serde_json::Value::Null,
        }
    }

    /// The same alert about `site`.
    pub fn with_site(self, site: impl Into<String>) -> Alert {
        Alert {
            site: Some(site.into()),
            ..self
        }
    }

    /// The same alert with `detail`.
    pub fn with_detail(self, detail: serde_json::Value) -> Alert {
        Alert { detail, ..self }
    }
}

/// The JSON body of a delivery.
#[derive(Serialize)]
struct Envelope<'a> {
    event: AlertKind,
    site: &'a Option<String>,
    at: DateTime<Utc>,
    message: &'a str,
    detail: &'a serde_json::Value,
    id: String,
}

/// How deliveries are queued and retried. The defaults suit production;
/// tests shorten `backoff_base` to milliseconds.
#[derive(Debug, Clone)]
pub struct WebhookOptions {
    /// Alerts waiting for the delivery task; beyond it new alerts are dropped.
    pub queue: usize,
    /// Deliveries (alert x target) in flight at once; when all are busy,
    /// alerts wait in the queue.
    pub max_in_flight: usize,
    /// Attempts per delivery, the first included.
    pub attempts: usize,
    /// The wait before the first retry, doubled (plus jitter) for each next.
    pub backoff_base: Duration,
    /// The longest wait between two attempts.
    pub backoff_max: Duration,
    /// The time one attempt may take.
    pub attempt_timeout: Duration,
}

impl Default for WebhookOptions {
    /// 6 attempts 2, 4, 8, 16, 32 s apart (plus jitter): about a minute of
    /// waiting, a few minutes at most with 10 s timeouts.
    fn default() -> Self {
        WebhookOptions {
            queue: 256,
            max_in_flight: 32,
            attempts: 6,
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(60),
            attempt_timeout: Duration::from_secs(10),
        }
    }
}

/// The alert sender: a bounded queue and the task delivering from it.
#[derive(Debug)]
pub struct Webhooks {
    queue: mpsc::Sender<Alert>,
    dropped: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Webhooks {
    /// Starts delivering to `targets` with the default options. Must be
    /// called within a Tokio runtime.
    pub fn start(targets: Vec<WebhookTarget>, client: reqwest::Client) -> Webhooks {
        Webhooks::start_with(targets, client, WebhookOptions::default())
    }

    /// Starts delivering to `targets` with `options`.
    pub fn start_with(
        targets: Vec<WebhookTarget>,
        client: reqwest::Client,
        options: WebhookOptions,
    ) -> Webhooks {
        let (queue, alerts) = mpsc::channel(options.queue.max(1));
        let delivery = Arc::new(Delivery { client, options });
        let task = tokio::spawn(dispatch(alerts, targets, delivery));
        Webhooks {
            queue,
            dropped: Arc::new(AtomicU64::new(0)),
            task,
        }
    }

    /// Queues `alert` for every target. Never waits and never fails: when
    /// the queue is full (receivers down for long, an alert storm) the new
    /// alert is dropped, logged and counted ([`Webhooks::dropped`]).
    pub fn send(&self, alert: Alert) {
        if let Err(e) = self.queue.try_send(alert) {
            let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            let (why, alert) = match e {
                mpsc::error::TrySendError::Full(a) => ("the queue is full", a),
                mpsc::error::TrySendError::Closed(a) => ("the delivery task ended", a),
            };
            tracing::warn!(
                event = alert.kind.as_str(),
                dropped = n,
                "webhook alert dropped: {why}"
            );
        }
    }

    /// Alerts dropped so far because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Stops taking alerts and lets the queued ones and those in flight
    /// finish, for at most `deadline`; what is left then is abandoned
    /// (logged), so a shutdown is never held up by a dead receiver.
    pub async fn shutdown(self, deadline: Duration) {
        let Webhooks { queue, task, .. } = self;
        drop(queue);
        let abort = task.abort_handle();
        if tokio::time::timeout(deadline, task).await.is_err() {
            abort.abort();
            tracing::warn!("webhook deliveries still pending after {deadline:?} were abandoned");
        }
    }
}

/// Takes alerts off the queue until it is closed and empty, starting one
/// delivery per target (at most `max_in_flight` at once), then waits for
/// the deliveries. Dropping this future aborts them all.
async fn dispatch(
    mut alerts: mpsc::Receiver<Alert>,
    targets: Vec<WebhookTarget>,
    delivery: Arc<Delivery>,
) {
    let slots = Arc::new(Semaphore::new(delivery.options.max_in_flight.max(1)));
    let mut running = JoinSet::new();
    while let Some(alert) = alerts.recv().await {
        let id = Uuid::new_v4();
        let body = Envelope {
            event: alert.kind,
            site: &alert.site,
            at: alert.at,
            message: &alert.message,
            detail: &alert.detail,
            id: id.to_string(),
        };
        let body = match serde_json::to_vec(&body) {
            Ok(b) => bytes::Bytes::from(b),
            Err(e) => {
                tracing::warn!(
                    event = alert.kind.as_str(),
                    "webhook alert not encoded: {e}"
                );
                continue;
            }
        };
        for target in &targets {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return;
            };
            let (delivery, target, body) = (delivery.clone(), target.clone(), body.clone());
            running.spawn(async move {
                delivery.deliver(&target, alert.kind, id, body).await;
                drop(slot);
            });
        }
        // Reap what finished, so the set does not grow with the uptime.
        while running.try_join_next().is_some() {}
    }
    while running.join_next().await.is_some() {}
}

struct Delivery {
    client: reqwest::Client,
    options: WebhookOptions,
}

/// Why one attempt failed.
#[derive(Debug, thiserror::Error)]
enum AttemptError {
    #[error("answered HTTP {0}")]
    Status(u16),
    #[error("{0}")]
    Transport(reqwest::Error),
}

impl AttemptError {
    /// Worth another attempt: the receiver may be back or less busy later.
    fn retryable(&self) -> bool {
        match self {
            AttemptError::Status(s) => matches!(s, 408 | 429 | 500..=599),
            AttemptError::Transport(e) => !e.is_builder(),
        }
    }
}

impl Delivery {
    /// Delivers one alert to one target, retrying; the outcome is logged.
    async fn deliver(&self, target: &WebhookTarget, kind: AlertKind, id: Uuid, body: bytes::Bytes) {
        let o = &self.options;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(o.backoff_base)
            .with_max_delay(o.backoff_max)
            .with_max_times(o.attempts.saturating_sub(1))
            .with_jitter();
        let to = origin(&target.url);
        let result = (|| self.attempt(target, kind, id, body.clone()))
            .retry(backoff)
            .when(AttemptError::retryable)
            .notify(|e, wait| {
                tracing::debug!(target = %to, delivery = %id, "webhook attempt failed ({e}); retrying in {wait:?}");
            })
            .await;
        match result {
            Ok(()) => {
                tracing::debug!(target = %to, delivery = %id, event = kind.as_str(), "webhook delivered")
            }
            Err(e) => {
                tracing::warn!(target = %to, delivery = %id, event = kind.as_str(), "webhook not delivered: {e}")
            }
        }
    }

    /// One signed POST, timestamped now.
    async fn attempt(
        &self,
        target: &WebhookTarget,
        kind: AlertKind,
        id: Uuid,
        body: bytes::Bytes,
    ) -> Result<(), AttemptError> {
        let timestamp = Utc::now().timestamp();
        let signature = sign(target.secret.expose().as_bytes(), timestamp, &body);
        let answer = self
            .client
            .post(target.url.clone())
            .timeout(self.options.attempt_timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Tabgov-Event", kind.as_str())
            .header("X-Tabgov-Delivery", id.to_string())
            .header("X-Tabgov-Timestamp", timestamp.to_string())
            .header("X-Tabgov-Signature", signature)
            .body(body)
            .send()
            .await
            // The URL may hold a token: errors never print it.
            .map_err(|e| AttemptError::Transport(e.without_url()))?;
        let status = answer.status().as_u16();
        if answer.status().is_success() {
            Ok(())
        } else {
            Err(AttemptError::Status(status))
        }
    }
}
