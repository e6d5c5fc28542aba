//! The HTTP client (reqwest over rustls) and the mapping of its failures
//! into the connector's errors.

use std::time::{Duration, SystemTime};

use bytes::Bytes;

use crate::api::{ApiRequest, Method};
use crate::error::root_cause;
use crate::{Error, Result, Secret};

use super::failure::{classify, Failure};
use super::options::TransportOptions;
use super::{redirect, retry, roots};

/// One answer, before decoding.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Bytes,
}

/// The longest URL sent. Web servers in front of Tableau refuse request
/// lines of about 8 KiB or more; a URL far beyond that comes from a value
/// given to tabgov (a name or filter pasted wrongly), never from Tableau, so
/// it fails at once as the user's error instead of being retried.
pub const MAX_URL_BYTES: usize = 64 * 1024;

/// The raw HTTP exchange of `request` against `base` (`{server}/api/{v}/`),
/// within `timeout`. The token goes in `X-Tableau-Auth`, marked sensitive
/// so no layer logs it. Redirects are followed here, not by reqwest, and
/// only as [`redirect::follow`] allows.
pub async fn exchange(
    http: &reqwest::Client,
    server: &str,
    base: &str,
    request: &ApiRequest,
    token: Option<&Secret>,
    timeout: Duration,
) -> Result<Answer> {
    let mut url = request_url(base, request)?;
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    };
    let net = |e: reqwest::Error| network_error(server, request, e);
    let mut hops = 0;
    loop {
        let mut builder = http
            .request(method.clone(), url.clone())
            .timeout(timeout)
            .header(reqwest::header::ACCEPT, "application/xml");
        if let Some(token) = token {
            let mut value =
                reqwest::header::HeaderValue::from_str(token.expose()).map_err(|_| {
                    Error::Internal("the session token is not a valid header value".into())
                })?;
            value.set_sensitive(true);
            builder = builder.header("X-Tableau-Auth", value);
        }
        if let Some(body) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/xml")
                .body(body.clone());
        }
        let response = builder.send().await.map_err(net)?;
        let status = response.status().as_u16();
        if redirect::is_redirect(status) {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok());
            let next = redirect::follow(&url, location).map_err(Error::Config)?;
            hops += 1;
            if hops > redirect::MAX_HOPS {
                return Err(Error::Config(format!(
                    "the server redirected {} {} more than {} times; check --server",
                    request.method,
                    request.path,
                    redirect::MAX_HOPS
                )));
            }
            if next.scheme() != url.scheme() {
                tracing::warn!(location = %next.origin().ascii_serialization(), "the server redirects to https: give --server its https:// address");
            }
            url = next;
            continue;
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
        let body = response.bytes().await.map_err(net)?;
        return Ok(Answer {
            status,
            retry_after,
            body,
        });
    }
}

/// `{base}{path}?{query}`, or the user's error when it cannot be a URL or
/// is far too long to be one a server accepts.
pub fn request_url(base: &str, request: &ApiRequest) -> Result<url::Url> {
    let what = || {
        let path: String = request.path.chars().take(80).collect();
        let cut = if path.len() < request.path.len() {
            "..."
        } else {
            ""
        };
        format!("{} {path}{cut}", request.method)
    };
    let mut url = url::Url::parse(&format!("{base}{}", request.path)).map_err(|e| {
        Error::Config(format!(
            "{} cannot be sent: its URL is invalid ({e}); check the values given to tabgov",
            what()
        ))
    })?;
    if !request.query.is_empty() {
        url.query_pairs_mut().extend_pairs(&request.query);
    }
    let len = url.as_str().len();
    if len > MAX_URL_BYTES {
        return Err(Error::Config(format!(
            "{} cannot be sent: its URL would be {len} bytes, more than the {MAX_URL_BYTES} any server accepts; a value given to tabgov (a name, an email, a filter) is far too long",
            what()
        )));
    }
    Ok(url)
}

/// The connector's error for a failed exchange, keeping reqwest's error
/// (and through it the whole cause chain) as the source.
fn network_error(server: &str, request: &ApiRequest, e: reqwest::Error) -> Error {
    let url = server.to_owned();
    match classify(&e) {
        Failure::Tls => Error::Tls { url, source: e },
        Failure::Connect => Error::Unreachable { url, source: e },
        Failure::Timeout => Error::Timeout {
            method: request.method.to_string(),
            path: request.path.clone(),
            attempts: 1,
        },
        Failure::Client => Error::Config(format!(
            "{} {} cannot be sent: {}; check the values given to tabgov",
            request.method,
            request.path.chars().take(80).collect::<String>(),
            root_cause(&e)
        )),
        Failure::Other => Error::Http {
            method: request.method.to_string(),
            path: request.path.clone(),
            attempts: 1,
            source: e,
        },
    }
}

/// The kind of failure an error stands for, to decide on a retry.
pub fn failure_of(e: &Error) -> Failure {
    match e {
        Error::Tls { .. } => Failure::Tls,
        Error::Unreachable { .. } => Failure::Connect,
        Error::Timeout { .. } => Failure::Timeout,
        Error::Config(_) | Error::Internal(_) => Failure::Client,
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
            source,
            ..
        } => Error::Http {
            method,
            path,
            attempts: n,
            source,
        },
        other => other,
    }
}

/// Builds the HTTP client: timeouts, no redirects, the private CA and
/// `SSL_CERT_FILE` if any, proxies from
/// the environment (reqwest reads `HTTPS_PROXY`/`NO_PROXY` itself).
pub fn client(opts: &TransportOptions) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(opts.connect_timeout)
        .timeout(opts.request_timeout)
        .user_agent(concat!("tabgov/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(opts.concurrency.max(1))
        .redirect(reqwest::redirect::Policy::none());
    let ssl_cert_file = std::env::var("SSL_CERT_FILE").ok();
    for source in roots::sources(opts.ca_cert.as_deref(), ssl_cert_file.as_deref()) {
        for cert in roots::load(&source)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// Refuses a `--server` that is not an http(s) URL; warns about plain
/// http to another machine, where tokens would cross the network in clear.
pub fn check_server(server: &str) -> Result<()> {
    let url = url::Url::parse(server).map_err(|_| {
        Error::Config(format!(
            "'{server}' is not a server URL; give --server like https://tableau.example.com"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if url.host_str().is_some_and(is_loopback) => {}
        "http" => tracing::warn!(
            server = %server,
            "plain http to a remote server: tokens cross the network unencrypted; use https"
        ),
        other => {
            return Err(Error::Config(format!(
                "'{server}' uses {other}:; give --server an https:// (or http://) URL"
            )))
        }
    }
    Ok(())
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
    fn request_urls_encode_the_query_and_refuse_what_no_server_accepts() {
        let request = ApiRequest::get("sites/s1/users")
            .query("filter", "name:eq:a b&c")
            .query("pageSize", "10");
        let url = request_url("https://t.example.com/api/3.21/", &request).unwrap();
        assert_eq!(
            url.as_str(),
            "https://t.example.com/api/3.21/sites/s1/users?filter=name%3Aeq%3Aa+b%26c&pageSize=10"
        );
        let bare = request_url(
            "https://t.example.com/api/3.21/",
            &ApiRequest::get("serverinfo"),
        );
        assert_eq!(
            bare.unwrap().as_str(),
            "https://t.example.com/api/3.21/serverinfo"
        );

        let huge = ApiRequest::get("sites/s1/users").query("filter", "x".repeat(MAX_URL_BYTES));
        let err = request_url("https://t.example.com/api/3.21/", &huge).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("far too long"), "{message}");
        assert!(message.len() < 400, "the value is not repeated");
    }

    #[tokio::test]
    async fn a_network_error_keeps_its_cause_and_never_shows_the_token() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let server = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let token = Secret::new("s3cr3t-session-token");
        let e = exchange(
            &reqwest::Client::new(),
            &server,
            &format!("{server}/api/3.21/"),
            &ApiRequest::get("sites/s1/users"),
            Some(&token),
            Duration::from_secs(5),
        )
        .await
        .unwrap_err();
        assert!(matches!(e, Error::Unreachable { .. }), "{e:?}");
        let source = std::error::Error::source(&e).expect("the cause is kept");
        assert!(source.is::<reqwest::Error>(), "{source:?}");
        for shown in [e.to_string(), format!("{e:?}")] {
            assert!(!shown.contains("s3cr3t"), "{shown}");
        }
        assert!(e
            .to_string()
            .starts_with(&format!("cannot reach the Tableau server at {server}: ")));
    }

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
