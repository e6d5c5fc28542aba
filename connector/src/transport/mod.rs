//! The one place that sends: base URL, API version, session token, rate
//! limit, adaptive concurrency, retries, redirects and re-sign-in all live
//! here, once.

mod aimd;
mod failure;
mod gate;
mod http;
mod info;
pub mod options;
mod redirect;
pub mod retry;
mod roots;
mod session;
mod stats;
pub mod version;

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tracing::Instrument;

use crate::api::auth::{self, ServerInfo, SessionCredentials};
use crate::api::error_body::decode_error;
use crate::api::ApiRequest;
use crate::credentials::{Credential, Scope};
use crate::{Error, ErrorCode, Result, TableauError};
use tabgov_mapping::{SiteLuid, UserId};

pub use options::{TransportOptions, DEFAULT_CONCURRENCY, DEFAULT_MAX_RPS, DEFAULT_PAGE_SIZE};
pub use retry::RetryPolicy;
pub use stats::TransportStats;

use failure::Failure;
use gate::Gate;
use http::Answer;
use session::{Active, SessionSlot, MAX_RENEWALS_PER_REQUEST, MAX_TOKENS_PER_REQUEST};
use stats::Counters;

/// A signed-in connection to one Tableau site.
#[derive(Debug)]
pub struct Transport {
    http: reqwest::Client,
    opts: TransportOptions,
    /// `{server}/api/{version}/`.
    base: String,
    version: String,
    server_info: Option<ServerInfo>,
    credential: Credential,
    scopes: Vec<Scope>,
    session: SessionSlot,
    /// The hard cap of `--max-rps`, if any.
    limiter: Option<DefaultDirectRateLimiter>,
    /// The adaptive window of requests in flight.
    gate: Gate,
    counters: Counters,
    /// The signed-in site's LUID; see [`Transport::site_id`].
    site: SiteLuid,
    /// The signed-in user's LUID; see [`Transport::user_id`].
    user: UserId,
}

impl Transport {
    /// Detects the API version (unless forced), then signs in with the least
    /// `scopes` the command needs (they matter for connected apps only).
    pub async fn connect(
        opts: TransportOptions,
        credential: Credential,
        scopes: &[Scope],
    ) -> Result<Transport> {
        let server = opts.server.trim_end_matches('/').to_owned();
        http::check_server(&server)?;
        let limiter =
            NonZeroU32::new(opts.max_rps).map(|rps| RateLimiter::direct(Quota::per_second(rps)));
        let mut transport = Transport {
            http: http::client(&opts)?,
            base: String::new(),
            version: String::new(),
            server_info: None,
            credential,
            scopes: scopes.to_vec(),
            session: SessionSlot::default(),
            limiter,
            gate: Gate::new(opts.concurrency),
            counters: Counters::default(),
            opts: TransportOptions { server, ..opts },
            // Replaced by the sign-in below before the transport is
            // returned: no caller ever sees it empty.
            site: SiteLuid::new(""),
            user: UserId::new(""),
        };
        transport.detect_version().await?;
        let guard = transport.session.signing_in.lock().await;
        let active = transport.sign_in().await?;
        drop(guard);
        transport.site = active.credentials.site_id.clone();
        transport.user = active.credentials.user_id.clone();
        Ok(transport)
    }

    async fn detect_version(&mut self) -> Result<()> {
        // A malformed --api-version fails before any request.
        let forced = self.opts.api_version.as_deref().map(version::forced);
        let forced = forced.transpose().map_err(Error::Config)?;
        let probe = format!("{}/api/{}/", self.opts.server, version::PROBE);
        let info = match self
            .send_with_retries(None, &probe, &auth::server_info(), None)
            .await
        {
            Ok(body) => Some(auth::decode_server_info(&body)?),
            Err(e) if self.opts.api_version.is_some() => {
                tracing::debug!("serverinfo unavailable ({e}); using the forced version");
                None
            }
            Err(Error::Tableau(t)) if t.status == 404 => {
                return Err(Error::Config(format!(
                    "{} has no REST API serverinfo ({t}): check --server (the server's root URL), or set --api-version",
                    self.opts.server
                )));
            }
            Err(e) => return Err(e),
        };
        let version = match (forced, &info) {
            (Some(forced), _) => forced,
            (None, Some(info)) => version::negotiate(info).map_err(Error::Config)?,
            (None, None) => {
                return Err(Error::Config(
                    "the server's API version is unknown; set --api-version".into(),
                ))
            }
        };
        self.base = format!("{}/api/{}/", self.opts.server, version);
        self.version = version;
        self.server_info = info;
        Ok(())
    }

    /// Signs in (the caller holds `signing_in`) and installs the session.
    async fn sign_in(&self) -> Result<Arc<Active>> {
        let mut request = self
            .credential
            .with_sign_in(&self.scopes, chrono::Utc::now(), |c| {
                auth::sign_in(c, &self.opts.site)
            })?;
        // Repeating a PAT or password sign-in only opens a session nobody
        // uses; a JWT carries a one-time `jti`, so it is only repeated when
        // Tableau refused it unread (429, 503).
        if !self.credential.is_scoped() {
            request = request.retry_safe();
        }
        let body = self
            .send_with_retries(None, &self.base, &request, None)
            .await?;
        let credentials: SessionCredentials = auth::decode_sign_in(&body)?;
        self.counters.sign_in();
        tracing::info!(site = %credentials.site_content_url, "signed in as {}", self.credential.identity());
        Ok(self.session.install(credentials))
    }

    /// Sends `request` with the session token; renews the session on a
    /// 401 (at most twice per request, expiries aside); retries what is
    /// safe to retry.
    /// Returns the body of a 2xx.
    pub async fn send(&self, request: &ApiRequest) -> Result<Bytes> {
        let mut renewals = 0;
        for _ in 0..MAX_TOKENS_PER_REQUEST {
            // The token is read once the request may go, so one that waited
            // for a slot does not carry a token renewed in the meantime.
            let slot = self.gate.acquire().await;
            let active = self.active().await?;
            match self
                .send_with_retries(Some(slot), &self.base, request, Some(&active))
                .await
            {
                Ok(body) => {
                    active.note_success();
                    return Ok(body);
                }
                Err(Error::Tableau(t)) if t.status == 401 => {
                    if renewals > 0 && self.credential.is_scoped() {
                        return Err(self.outside_scopes(request, t));
                    }
                    if renewals == MAX_RENEWALS_PER_REQUEST {
                        return Err(Error::Tableau(t));
                    }
                    // An expiry is the session's age, not the request's
                    // fault: on a slow run a request may outlive more than
                    // one short session, bounded by the tokens it may try.
                    if self.renew(&active, &t).await? && !t.is(ErrorCode::SESSION_EXPIRED) {
                        renewals += 1;
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Err(Error::Internal(format!(
            "{} {} met a 401 with {MAX_TOKENS_PER_REQUEST} tokens in a row",
            request.method, request.path
        )))
    }

    async fn active(&self) -> Result<Arc<Active>> {
        if let Some(active) = self.session.current() {
            return Ok(active);
        }
        let _guard = self.session.signing_in.lock().await;
        match self.session.current() {
            Some(active) => Ok(active),
            None => self.sign_in().await,
        }
    }

    /// Single-flight renewal: only the first request to see `stale` end
    /// signs in; the others find the new session when the lock frees.
    /// Returns whether this call signed in.
    /// A session that expired (`401000`, Tableau Cloud's answer) is never
    /// taken for one ended by another client.
    async fn renew(&self, stale: &Arc<Active>, refused: &TableauError) -> Result<bool> {
        let _guard = self.session.signing_in.lock().await;
        if let Some(current) = self.session.current() {
            if current.generation != stale.generation {
                return Ok(false);
            }
        }
        let expired = refused.is(ErrorCode::SESSION_EXPIRED);
        if !expired && self.credential.is_single_session() && stale.ended_by_another_client() {
            return Err(self.stolen());
        }
        tracing::info!(
            generation = stale.generation,
            "session ended ({}); signing in again",
            refused.code
        );
        self.sign_in().await.map(|_| true)
    }

    fn stolen(&self) -> Error {
        Error::SessionStolen {
            name: self.credential.identity(),
        }
    }

    /// A 401 on a connected app's session just renewed: the call is
    /// outside the scopes the JWT asked for.
    fn outside_scopes(&self, request: &ApiRequest, t: TableauError) -> Error {
        let asked: Vec<&str> = self.scopes.iter().map(|s| s.as_str()).collect();
        Error::Tableau(TableauError {
            detail: format!(
                "{} {} is outside the connected app's scopes for this command ({}); allow them on the connected app",
                request.method,
                request.path,
                asked.join(", ")
            ),
            ..t
        })
    }

    /// Sends one request with retries (no session renewal) and returns the
    /// body of a 2xx or the decoded error. The request holds its slot of
    /// the adaptive window through all its attempts and waits, so retries
    /// never crowd a server that is already refusing; and all of them end
    /// within the retry policy's total time. Sign-in passes no slot: it is
    /// single-flight already, and may run while its caller holds one.
    async fn send_with_retries(
        &self,
        slot: Option<gate::Slot<'_>>,
        base: &str,
        request: &ApiRequest,
        active: Option<&Active>,
    ) -> Result<Bytes> {
        let _slot = slot;
        let started = Instant::now();
        let mut attempt = 0u32;
        // A 429 says when to come back: those attempts are bounded by the
        // total time only, so a server that allows few requests per second
        // is waited for instead of failing the run after six refusals.
        let mut throttled = 0u32;
        loop {
            attempt += 1;
            if let Some(limiter) = &self.limiter {
                limiter.until_ready().await;
            }
            let sent_at = Instant::now();
            let timeout = self
                .opts
                .retry
                .attempt_timeout(self.opts.request_timeout, started.elapsed());
            let (retry, wait, error) =
                match self.attempt(base, request, active, attempt, timeout).await {
                    Ok(answer) if answer.status < 300 => {
                        self.gate.succeeded();
                        return Ok(answer.body);
                    }
                    Ok(answer) => {
                        if answer.status == 429 {
                            self.gate.throttled(sent_at);
                            self.counters.rate_limited();
                            throttled += 1;
                        }
                        let retry = retry::retryable_status(answer.status, request.retry_safe);
                        let e = decode_error(answer.status, &answer.body);
                        (retry, answer.retry_after, Error::Tableau(e))
                    }
                    Err((failure, e)) => {
                        let retry = match failure {
                            Failure::Tls | Failure::Client => false,
                            Failure::Connect => true,
                            Failure::Timeout | Failure::Other => request.retry_safe,
                        };
                        (retry, None, e)
                    }
                };
            let wait = self.opts.retry.delay(attempt, wait, rand::random::<f64>());
            let counted = attempt - throttled;
            if !retry || !self.opts.retry.allows(counted, started.elapsed(), wait) {
                return Err(http::with_attempts(error, attempt));
            }
            self.counters.retry();
            tracing::debug!(method = %request.method, path = %request.path, attempt, wait_ms = wait.as_millis() as u64, "retrying: {error}");
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt, within `timeout`.
    async fn attempt(
        &self,
        base: &str,
        request: &ApiRequest,
        active: Option<&Active>,
        attempt: u32,
        timeout: std::time::Duration,
    ) -> Result<Answer, (Failure, Error)> {
        let span = tracing::debug_span!("request", method = %request.method, path = %request.path, attempt);
        async {
            let started = Instant::now();
            let token = active.map(|a| a.token());
            let result =
                http::exchange(&self.http, &self.opts.server, base, request, token, timeout).await;
            self.counters.request();
            match &result {
                Ok(a) => tracing::debug!(
                    status = a.status,
                    ms = started.elapsed().as_millis() as u64,
                    "answered"
                ),
                Err(e) => tracing::debug!(ms = started.elapsed().as_millis() as u64, "failed: {e}"),
            }
            result
        }
        .instrument(span)
        .await
        .map_err(|e| (http::failure_of(&e), e))
    }

    /// Ends the session; harmless when already ended.
    pub async fn sign_out(&self) -> Result<()> {
        let Some(active) = self.session.clear() else {
            return Ok(());
        };
        match self
            .attempt(
                &self.base,
                &auth::sign_out(),
                Some(&active),
                1,
                self.opts.request_timeout,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err((_, e)) => Err(e),
        }
    }
}
