//! `[serve]` in tabgov.toml: where the service listens, who may call it,
//! when each site is synced and whom to alert. Flags of `tabgov serve`
//! override the file; every field has a default a small team can start with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

/// Requests larger than this are refused (413) before they are parsed.
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The `[serve]` table.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ServeSettings {
    /// Address and port to listen on; loopback unless said otherwise, so a
    /// first start exposes nothing.
    pub listen: SocketAddr,
    /// The token file: one `NAME SCOPE sha256:HEX` line per caller.
    pub tokens_file: Option<PathBuf>,
    /// An environment variable holding token lines (as the file's), for
    /// platforms that inject secrets as variables.
    pub tokens_env: Option<String>,
    /// How often each site is synced unless its `[[site]]` says otherwise.
    #[serde(with = "duration_text")]
    pub every: Duration,
    /// A site whose last success is older than this makes /readyz fail;
    /// three intervals when unset.
    #[serde(with = "duration_text::option")]
    pub fresh_within: Option<Duration>,
    /// Each interval is moved by up to this fraction either way, so sites
    /// (and replicas) do not all call Tableau at the same second.
    pub jitter: f64,
    /// The first retry of a failed sync waits this long, doubling up to
    /// the interval.
    #[serde(with = "duration_text")]
    pub retry_after: Duration,
    pub max_body_bytes: usize,
    /// How long a stop waits for running syncs and jobs before exiting.
    #[serde(with = "duration_text")]
    pub stop_grace: Duration,
    #[serde(rename = "webhook")]
    pub webhooks: Vec<WebhookSettings>,
    /// The address callers reach the service at (e.g. behind a TLS
    /// proxy, `https://tabgov.example.com`): the base of the SCIM
    /// resources' `meta.location`. Unset, `http://` and the request's Host.
    pub public_url: Option<String>,
}

impl Default for ServeSettings {
    fn default() -> ServeSettings {
        ServeSettings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tokens_file: None,
            tokens_env: None,
            every: Duration::from_secs(3600),
            fresh_within: None,
            jitter: 0.1,
            retry_after: Duration::from_secs(60),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            stop_grace: Duration::from_secs(60),
            webhooks: Vec::new(),
            public_url: None,
        }
    }
}

impl ServeSettings {
    /// The freshness budget of a site synced every `every`.
    pub fn fresh_within(&self, every: Duration) -> Duration {
        self.fresh_within.unwrap_or(every * 3)
    }

    /// Checks what serde cannot: ranges.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=0.5).contains(&self.jitter) {
            return Err("[serve] jitter takes a fraction from 0 to 0.5".into());
        }
        if self.every < Duration::from_secs(1) {
            return Err("[serve] every must be at least 1s".into());
        }
        if let Some(url) = &self.public_url {
            let parsed =
                url::Url::parse(url).map_err(|e| format!("[serve] public_url {url:?}: {e}"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(format!("[serve] public_url {url:?} is not an http(s) URL"));
            }
        }
        if self.max_body_bytes < 1024 {
            return Err("[serve] max_body_bytes must be at least 1024".into());
        }
        Ok(())
    }
}

/// One `[[serve.webhook]]`: where alerts go and the variable or file
/// holding the shared secret that signs them (never the secret itself).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    pub url: String,
    pub secret_env: Option<String>,
    pub secret_file: Option<PathBuf>,
}

/// Durations written as people write them ("30m", "1h 30m", "90s").
pub mod duration_text {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    /// A duration such as "30m"; the error names the accepted units.
    pub fn parse(text: &str) -> Result<Duration, String> {
        humantime::parse_duration(text).map_err(|e| {
            format!("{text:?} is not a duration ({e}): write e.g. \"90s\", \"30m\" or \"1h\"")
        })
    }

    pub mod option {
        use std::time::Duration;

        use serde::{Deserialize, Deserializer};

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
            let text = String::deserialize(d)?;
            super::parse(&text)
                .map(Some)
                .map_err(serde::de::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        let cases = [("30m", 1800), ("1h", 3600), ("90s", 90), ("1h 30m", 5400)];
        for (text, secs) in cases {
            assert_eq!(duration_text::parse(text), Ok(Duration::from_secs(secs)));
        }
        let err = duration_text::parse("often").unwrap_err();
        assert!(err.contains("\"30m\""), "{err}");
    }

    #[test]
    fn freshness_defaults_to_three_intervals() {
        let s = ServeSettings::default();
        assert_eq!(
            s.fresh_within(Duration::from_secs(600)),
            Duration::from_secs(1800)
        );
        let s = ServeSettings {
            fresh_within: Some(Duration::from_secs(60)),
            ..ServeSettings::default()
        };
        assert_eq!(
            s.fresh_within(Duration::from_secs(600)),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn out_of_range_settings_are_named() {
        let s = ServeSettings {
            jitter: 0.9,
            ..ServeSettings::default()
        };
        assert!(s.validate().unwrap_err().contains("jitter"));
    }
}
