//! Extra root certificates: `--ca-cert` and the standard `SSL_CERT_FILE`,
//! on top of the built-in public roots. A file that holds no usable
//! certificate fails with its name instead of being ignored, since the
//! connection would otherwise fail later with a TLS error that hides why.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Where one extra bundle came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--ca-cert FILE`.
    Flag(PathBuf),
    /// The `SSL_CERT_FILE` environment variable.
    Env(PathBuf),
}

impl Source {
    fn path(&self) -> &Path {
        match self {
            Source::Flag(p) | Source::Env(p) => p,
        }
    }

    fn named(&self) -> String {
        match self {
            Source::Flag(p) => format!("the CA certificate file {} (--ca-cert)", p.display()),
            Source::Env(p) => format!("the CA certificate file {} (SSL_CERT_FILE)", p.display()),
        }
    }

    fn fix(&self) -> &'static str {
        match self {
            Source::Flag(_) => "give --ca-cert a PEM file (-----BEGIN CERTIFICATE-----)",
            Source::Env(_) => {
                "point SSL_CERT_FILE at a PEM bundle (-----BEGIN CERTIFICATE-----) or unset it"
            }
        }
    }
}

/// The bundles to add: the flag's, then `SSL_CERT_FILE`'s when set and not
/// empty (`ssl_cert_file` is the variable's value).
pub fn sources(ca_cert: Option<&Path>, ssl_cert_file: Option<&str>) -> Vec<Source> {
    let mut out: Vec<Source> = ca_cert
        .map(|p| Source::Flag(p.to_owned()))
        .into_iter()
        .collect();
    if let Some(env) = ssl_cert_file.map(str::trim).filter(|v| !v.is_empty()) {
        out.push(Source::Env(PathBuf::from(env)));
    }
    out
}

/// The certificates of `source`, each checked to be one rustls accepts.
pub fn load(source: &Source) -> Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(source.path()).map_err(|e| Error::UnreadableFile {
        what: source.named(),
        source: e,
    })?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        Error::Config(format!(
            "{} is not a PEM certificate bundle ({e}); {}",
            source.named(),
            source.fix()
        ))
    })?;
    if certs.is_empty() {
        return Err(Error::Config(format!(
            "{} holds no PEM certificate; {}",
            source.named(),
            source.fix()
        )));
    }
    // reqwest checks the certificates' contents only when a client is
    // built: build one with just these, so a broken one is named here.
    let mut probe = reqwest::Client::builder();
    for cert in &certs {
        probe = probe.add_root_certificate(cert.clone());
    }
    probe.build().map_err(|e| {
        Error::Config(format!(
            "{} holds a certificate that cannot be used ({}); {}",
            source.named(),
            crate::error::root_cause(&e),
            source.fix()
        ))
    })?;
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_comes_first_and_an_empty_variable_is_no_bundle() {
        let flag = Path::new("ca.pem");
        assert_eq!(
            sources(Some(flag), Some("/etc/bundle.pem")),
            vec![
                Source::Flag(flag.into()),
                Source::Env("/etc/bundle.pem".into())
            ]
        );
        assert_eq!(sources(None, Some("  ")), vec![]);
        assert_eq!(sources(None, None), vec![]);
    }

    #[test]
    fn garbage_and_missing_files_are_errors_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("garbage.pem");
        std::fs::write(&garbage, "this is not a certificate\n").unwrap();
        let broken = dir.path().join("broken.pem");
        std::fs::write(
            &broken,
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let missing = dir.path().join("missing.pem");
        for source in [
            Source::Flag(garbage.clone()),
            Source::Env(garbage),
            Source::Flag(broken),
            Source::Flag(missing),
        ] {
            let err = load(&source).unwrap_err().to_string();
            assert!(err.contains(&source.path().display().to_string()), "{err}");
            let hint = match source {
                Source::Flag(_) => "--ca-cert",
                Source::Env(_) => "SSL_CERT_FILE",
            };
            assert!(err.contains(hint), "{err}");
        }
    }
}
