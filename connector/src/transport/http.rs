//! The HTTP client (reqwest over rustls) and the mapping of its failures
//! into the connector's errors.

use std::error::Error as _;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use crate::api::{ApiRequest, Method};
use crate::{Error, Result, Secret};

use super::options::TransportOptions;
use super::retry;

/// One answer, before decoding.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Bytes,
}

/// The raw HTTP exchange of `request` against `base` (`{server}/api/{v}/`).
/// The token goes in `X-Tableau-Auth`, marked sensitive so no layer logs it.
pub async fn exchange(
    http: &reqwest::Client,
    server: &str,
    base: &str,
    request: &ApiRequest,
    token: Option<&Secret>,
) -> Result<Answer> {
    let url = format!("{base}{}", request.path);
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    };
    let mut builder = http
        .request(method, &url)
        .header(reqwest::header::ACCEPT, "application/xml")
        .query(&request.query);
    if let Some(token) = token {
        let mut value = reqwest::header::HeaderValue::from_str(token.expose())
            .map_err(|_| Error::Internal("the session token is not a valid header value".into()))?;
        value.set_sensitive(true);
        builder = builder.header("X-Tableau-Auth", value);
    }
    if let Some(body) = &request.body {
        builder = builder
            .header(reqwest::header::CONTENT_TYPE, "application/xml")
            .body(body.clone());
    }
    let net = |e: reqwest::Error| network_error(server, request, &e);
    let response = builder.send().await.map_err(net)?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
    let body = response.bytes().await.map_err(net)?;
    Ok(Answer {
        status,
        retry_after,
        body,
    })
}

/// The connector's error for a failed exchange.
fn network_error(server: &str, request: &ApiRequest, e: &reqwest::Error) -> Error {
    let url = server.to_owned();
    match classify(e) {
        Failure::Tls => Error::Tls {
            url,
            message: root_message(e),
        },
        Failure::Connect => Error::Unreachable {
            url,
            message: root_message(e),
        },
        Failure::Timeout => Error::Timeout {
            method: request.method.to_string(),
            path: request.path.clone(),
            attempts: 1,
        },
        Failure::Other => Error::Http {
            method: request.method.to_string(),
            path: request.path.clone(),
            attempts: 1,
            message: root_message(e),
        },
    }
}

/// The kind of failure an error stands for, to decide on a retry.
pub fn failure_of(e: &Error) -> Failure {
    match e {
        Error::Tls { .. } => Failure::Tls,
        Error::Unreachable { .. } => Failure::Connect,
        Error::Timeout { .. } => Failure::Timeout,
        _ => Failure::Other,
    }
}

/// `e` with the number of attempts it took.
pub fn with_attempts(e: Error, n: u32) -> Error {
    match e {
        Error::Timeout { method, path, .. } => Error::Timeout {
            method,
            path,
            attempts: n,
        },
        Error::Http {
            method,
            path,
            message,
            ..
        } => Error::Http {
            method,
            path,
            attempts: n,
            message,
        },
        other => other,
    }
}

/// Builds the HTTP client: timeouts, the private CA if any, proxies from
/// the environment (reqwest reads `HTTPS_PROXY`/`NO_PROXY` itself).
pub fn client(opts: &TransportOptions) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(opts.connect_timeout)
        .timeout(opts.request_timeout)
        .user_agent(concat!("tabgov/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(opts.concurrency.max(1));
    if let Some(path) = &opts.ca_cert {
        let pem = std::fs::read(path).map_err(|e| {
            Error::Config(format!(
                "cannot read the CA certificate {}: {e}",
                path.display()
            ))
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            Error::Config(format!(
                "{} is not a PEM certificate bundle ({e}); give --ca-cert a PEM file",
                path.display()
            ))
        })?;
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// What kind of failure a reqwest error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Timeout,
    Connect,
    Tls,
    /// Reset mid-request, bad framing and the like.
    Other,
}

/// Classifies a reqwest error by walking its sources: rustls errors mean TLS.
pub fn classify(e: &reqwest::Error) -> Failure {
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = e.source();
    while let Some(s) = source {
        chain.push_str(&s.to_string().to_ascii_lowercase());
        chain.push(' ');
        source = s.source();
    }
    if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake") {
        Failure::Tls
    } else if e.is_timeout() {
        Failure::Timeout
    } else if e.is_connect() {
        Failure::Connect
    } else {
        Failure::Other
    }
}

/// The innermost message of an error chain, which is the useful one for
/// connection failures ("Connection refused").
pub fn root_message(e: &reqwest::Error) -> String {
    let mut last = e.to_string();
    let mut source: Option<&dyn std::error::Error> = e.source();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    last
}

/// Whether `host` is this machine: plain HTTP is only quiet there.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for (host, expected) in [
            ("localhost", true),
            ("127.0.0.1", true),
            ("127.3.4.5", true),
            ("[::1]", true),
            ("tableau.example.com", false),
            ("10.0.0.1", false),
        ] {
            assert_eq!(is_loopback(host), expected, "{host}");
        }
    }
}
