//! The shared simulator core and the one HTTP entry point: version prefix,
//! response format, fault injection, then the route table.

use crate::config::{parse_version, SimConfig};
use crate::emit::Elem;
pub use crate::emit::Fmt;
use crate::error::ApiError;
use crate::faults::Faults;
use crate::node::{self, Node};
use crate::routes;
use crate::session::Sessions;
use crate::state::Site;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// Everything one simulator holds, shared by the server and the handle.
#[derive(Debug)]
pub struct Inner {
    /// The configuration it started with.
    pub cfg: SimConfig,
    /// Highest API version served.
    pub version: (u32, u32),
    /// The sites.
    pub sites: RwLock<Vec<Site>>,
    /// Generator for ids created at run time.
    pub rng: Mutex<ChaCha8Rng>,
    /// Live sessions.
    pub sessions: Mutex<Sessions>,
    /// Fault settings.
    pub faults: Mutex<Faults>,
    /// Tableau API requests served.
    pub requests: AtomicU64,
    /// Successful sign-ins.
    pub sign_ins: AtomicU64,
    /// Answer a user's workbooks and flows listing as if `ownedBy` /
    /// `isOwner` were not given (a server that ignores the flag).
    pub ignore_owner_flags: AtomicBool,
    /// Every Remove User that went through: the user and the `mapAssetsTo`
    /// it named, in order.
    pub removals: Mutex<Vec<(String, Option<String>)>>,
}

/// A successful answer's body.
#[derive(Debug)]
pub enum Body {
    /// Top-level elements inside `<tsResponse>` (none: empty body).
    Nodes(Vec<Node>),
    /// A whole document already written in the request's format (big
    /// listings, written straight from the site data).
    Text(String),
}

/// A successful answer: status and body.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The body.
    pub body: Body,
}

impl Reply {
    /// 200 with a body.
    pub fn ok(body: Vec<Node>) -> Self {
        Reply {
            status: 200,
            body: Body::Nodes(body),
        }
    }
    /// 204, empty.
    pub fn no_content() -> Self {
        Reply::ok(Vec::new()).with_status(204)
    }
    /// The same body with another status.
    pub fn with_status(self, status: u16) -> Self {
        Reply { status, ..self }
    }
}

pub(crate) fn render(
    fmt: Fmt,
    api_version: &str,
    status: u16,
    body: Body,
    retry_after: Option<u64>,
) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = match body {
        Body::Nodes(nodes) if nodes.is_empty() => return status.into_response(),
        Body::Nodes(nodes) => node::render(fmt, &nodes, api_version),
        Body::Text(text) => text,
    };
    let ctype = match fmt {
        Fmt::Xml => "application/xml;charset=utf-8",
        Fmt::Json => "application/json;charset=utf-8",
    };
    let mut resp = (status, text).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Some(s) = retry_after {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    resp
}

pub(crate) fn render_error(fmt: Fmt, api_version: &str, e: &ApiError) -> Response {
    let body = Body::Nodes(vec![e.node()]);
    render(fmt, api_version, e.status(), body, e.retry_after)
}

/// Request data the route handlers read.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The simulator.
    pub inner: &'a Inner,
    /// API version of the request URL.
    pub v: (u32, u32),
    /// Query parameters (decoded).
    pub query: std::collections::HashMap<String, String>,
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// Request body.
    pub body: &'a [u8],
    /// Answer format.
    pub fmt: Fmt,
}

impl Ctx<'_> {
    /// Whether the request's API version is at least `min`.
    pub fn at_least(&self, min: (u32, u32)) -> bool {
        self.v >= min
    }

    /// A 200 answer whose document `write` fills in the request's format,
    /// in one buffer of about `capacity` bytes.
    pub fn document(&self, capacity: usize, write: impl FnOnce(&mut Elem<'_>)) -> Reply {
        let mut out = String::with_capacity(capacity);
        write(&mut Elem::document(
            &mut out,
            self.fmt,
            &self.inner.cfg.api_version,
        ));
        Reply {
            status: 200,
            body: Body::Text(out),
        }
    }
}

/// The axum fallback handler: every request comes through here.
pub async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fmt = match headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) {
        Some(a) if a.contains("application/json") => Fmt::Json,
        _ => Fmt::Xml,
    };
    let api = inner.cfg.api_version.clone();
    let path = uri.path().to_string();
    let query =
        axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(&uri)
            .map(|q| q.0)
            .unwrap_or_default();
    if let Some(rest) = path.strip_prefix("/_sim/") {
        let r = routes::sim_control::handle(&inner, &method, rest, &query);
        return match r {
            Ok(reply) => render(Fmt::Json, &api, reply.status, reply.body, None),
            Err(e) => render_error(Fmt::Json, &api, &e),
        };
    }
    inner.requests.fetch_add(1, Ordering::Relaxed);

    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let shown = path.strip_prefix("/api").unwrap_or(&path).to_string();
    let v = match (segs.first(), segs.get(1).and_then(|v| parse_version(v))) {
        (Some(&"api"), Some(v)) if v <= inner.version => v,
        _ => return render_error(fmt, &api, &ApiError::unknown_resource(&shown)),
    };
    let route = match routes::resolve(&method, &segs[2..]) {
        Ok(r) => r,
        Err(routes::Miss::Unknown) => {
            return render_error(fmt, &api, &ApiError::unknown_resource(&shown))
        }
        Err(routes::Miss::Method) => {
            return render_error(fmt, &api, &ApiError::method(method.as_str()))
        }
    };

    if !route.is_sign_in() || inner.cfg.faults_on_signin {
        let (delay, fault) = inner
            .faults
            .lock()
            .expect("faults lock")
            .decide(Instant::now());
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if let Some(e) = fault {
            return render_error(fmt, &api, &e);
        }
    }

    let ctx = Ctx {
        inner: &inner,
        v,
        query,
        headers: &headers,
        body: &body,
        fmt,
    };
    match routes::dispatch(&ctx, &route) {
        Ok(reply) => render(fmt, &api, reply.status, reply.body, None),
        Err(e) => render_error(fmt, &api, &e),
    }
}
