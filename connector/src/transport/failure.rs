//! What kind of failure a reqwest error is, told from its source chain by
//! the types of the errors in it, never by their wording: a rustls error
//! anywhere in the chain is a TLS failure.

use std::error::Error as StdError;

/// What kind of failure a reqwest error is, to decide on a retry and on the
/// sentence that names the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Timeout,
    Connect,
    Tls,
    /// Refused on this side before anything was sent (a URL that cannot be
    /// built, a redirect not followed): repeating it cannot help.
    Client,
    /// Reset mid-request, bad framing and the like.
    Other,
}

/// Classifies a reqwest error: a builder error is ours; a rustls error in
/// the chain is TLS (reqwest reports a failed handshake as a connect
/// error, so this is asked first); then reqwest's own timeout and connect
/// flags.
pub fn classify(e: &reqwest::Error) -> Failure {
    if e.is_builder() {
        Failure::Client
    } else if is_tls(e) {
        Failure::Tls
    } else if e.is_timeout() {
        Failure::Timeout
    } else if e.is_connect() {
        Failure::Connect
    } else {
        Failure::Other
    }
}

/// Whether a rustls error is in `e`'s source chain. tokio-rustls hands a
/// failed handshake up as an `io::Error` of kind `InvalidData` wrapping the
/// `rustls::Error`; `io::Error::source()` skips the wrapped error itself,
/// so each `io::Error` is opened with `get_ref()` as well.
pub fn is_tls(e: &(dyn StdError + 'static)) -> bool {
    let mut next: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = next {
        if is_rustls(err) {
            return true;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if io.get_ref().is_some_and(|inner| is_tls(inner)) {
                return true;
            }
        }
        next = err.source();
    }
    false
}

fn is_rustls(e: &(dyn StdError + 'static)) -> bool {
    e.is::<rustls::Error>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    /// The error of an https GET to this machine's `port`.
    async fn https_error(port: u16) -> reqwest::Error {
        reqwest::Client::new()
            .get(format!("https://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap_err()
    }

    #[test]
    fn a_rustls_error_is_found_inside_an_io_error() {
        let handshake = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        assert!(is_tls(&handshake));
        let wrapped = io::Error::other(handshake);
        assert!(is_tls(&wrapped));
    }

    #[test]
    fn words_about_certificates_do_not_make_a_tls_failure() {
        let refused = io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "certificate tls handshake (only words)",
        );
        assert!(!is_tls(&refused));
    }

    /// A listener that answers an https client in plain text: the client's
    /// rustls refuses the bytes, which is a TLS failure.
    #[tokio::test]
    async fn a_server_that_does_not_speak_tls_is_a_tls_failure() {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let _ = socket
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
            let _ = socket.shutdown().await;
        });
        let e = https_error(port).await;
        assert_eq!(classify(&e), Failure::Tls, "{e:?}");
        server.await.unwrap();
    }

    #[tokio::test]
    async fn a_closed_port_is_a_connect_failure() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let e = https_error(port).await;
        assert_eq!(classify(&e), Failure::Connect, "{e:?}");
    }
}
