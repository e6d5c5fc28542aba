//! The HTTP client (reqwest over rustls) and the mapping of its failures
//! into the connector's errors.

use std::error::Error as _;

use crate::{Error, Result};

use super::options::TransportOptions;

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
