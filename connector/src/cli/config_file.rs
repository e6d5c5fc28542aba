//! `tabgov.toml`: the sites to sync and how to reach them.
//!
//! The file names credentials, it never holds them: each secret is a
//! reference to an environment variable or a file, so the config can be
//! committed, reviewed and shared without leaking anything.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Keys that would put a secret in the file; refused by name so the error
/// can say what to write instead.
const INLINE_SECRETS: &[(&str, &str)] = &[
    ("pat_secret", "pat_secret_env or pat_secret_file"),
    ("password", "password_env or password_file"),
    ("jwt_secret", "jwt_secret_env or jwt_secret_file"),
    ("secret", "a *_env or *_file reference"),
    ("token", "a *_env or *_file reference"),
];

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Store URL (`--db` and `TABGOV_DB` win over it).
    pub db: Option<String>,
    pub prices: Option<PriceConfig>,
    #[serde(default, rename = "site")]
    pub sites: Vec<SiteConfig>,
    /// `tabgov serve`'s settings.
    #[cfg(feature = "serve")]
    pub serve: Option<tabgov::serve::ServeSettings>,
}

/// Licence prices per user per month, overriding the built-in list prices.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriceConfig {
    pub creator: Option<f64>,
    pub explorer: Option<f64>,
    pub viewer: Option<f64>,
    pub currency: Option<String>,
}

/// One `[[site]]` table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// A label for `--site`; defaults to the content URL.
    pub name: Option<String>,
    pub server: String,
    /// Content URL; "" is the default site of a Tableau Server.
    #[serde(default)]
    pub site: String,
    pub api_version: Option<String>,
    pub pat_name: Option<String>,
    pub pat_secret_env: Option<String>,
    pub pat_secret_file: Option<PathBuf>,
    pub username: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    pub jwt_client_id: Option<String>,
    pub jwt_secret_id: Option<String>,
    pub jwt_username: Option<String>,
    pub jwt_secret_env: Option<String>,
    pub jwt_secret_file: Option<PathBuf>,
    /// `tabgov serve`: how often to sync this site ("30m"), overriding
    /// `[serve] every`.
    pub every: Option<String>,
    /// `tabgov serve`: /readyz fails when the last success is older.
    pub fresh_within: Option<String>,
    /// `tabgov serve`'s SCIM face: default role, delete policy, removal
    /// guard (`[site.scim]`).
    #[cfg(feature = "serve")]
    pub scim: Option<tabgov::serve::ScimSitePolicy>,
}

impl SiteConfig {
    /// The label `--site` matches: the name, else the content URL.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.site)
    }
}

/// A config file that cannot be used, with what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl ConfigFile {
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        ConfigFile::parse(&text).map_err(|message| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses the text of a config file.
    pub fn parse(text: &str) -> Result<ConfigFile, String> {
        let raw: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
        refuse_inline_secrets(&raw)?;
        let config: ConfigFile = raw.try_into().map_err(|e: toml::de::Error| e.to_string())?;
        let mut labels = std::collections::BTreeSet::new();
        for site in &config.sites {
            if !labels.insert(site.label()) {
                return Err(format!(
                    "two [[site]] tables are labelled {:?}: give each a distinct name",
                    site.label()
                ));
            }
        }
        Ok(config)
    }

    /// The sites `--site` selects: all of them when `None`.
    pub fn select(&self, label: Option<&str>) -> Result<Vec<&SiteConfig>, String> {
        match label {
            None => Ok(self.sites.iter().collect()),
            Some(label) => {
                let found: Vec<_> = self.sites.iter().filter(|s| s.label() == label).collect();
                if found.is_empty() {
                    let known: Vec<_> = self
                        .sites
                        .iter()
                        .map(|s| format!("{:?}", s.label()))
                        .collect();
                    Err(format!(
                        "no site {label:?} in the config file (it lists {})",
                        known.join(", ")
                    ))
                } else {
                    Ok(found)
                }
            }
        }
    }
}

fn refuse_inline_secrets(raw: &toml::Table) -> Result<(), String> {
    let sites = raw.get("site").and_then(|v| v.as_array());
    for (index, site) in sites.into_iter().flatten().enumerate() {
        let Some(table) = site.as_table() else {
            continue;
        };
        for (key, instead) in INLINE_SECRETS {
            if table.contains_key(*key) {
                return Err(format!(
                    "[[site]] number {} has `{key}`: secrets never go in the config file, use {instead}",
                    index + 1
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
db = "sqlite://governance.db"

[prices]
creator = 70
currency = "EUR"

[[site]]
name = "finance"
server = "https://tableau.example.com"
site = "finance"
pat_name = "tabgov"
pat_secret_env = "FINANCE_PAT"

[[site]]
server = "https://tableau.example.com"
site = "marketing"
jwt_client_id = "c"
jwt_secret_id = "k"
jwt_username = "svc@example.com"
jwt_secret_file = "/run/secrets/jwt"
"#;

    #[test]
    fn parses_sites_prices_and_db() {
        let c = ConfigFile::parse(EXAMPLE).unwrap();
        assert_eq!(c.db.as_deref(), Some("sqlite://governance.db"));
        assert_eq!(c.prices.as_ref().unwrap().creator, Some(70.0));
        assert_eq!(c.sites.len(), 2);
        assert_eq!(c.sites[0].label(), "finance");
        assert_eq!(c.sites[1].label(), "marketing");
        assert_eq!(c.sites[0].pat_secret_env.as_deref(), Some("FINANCE_PAT"));
    }

    #[test]
    fn selects_one_site_or_all() {
        let c = ConfigFile::parse(EXAMPLE).unwrap();
        assert_eq!(c.select(None).unwrap().len(), 2);
        assert_eq!(c.select(Some("marketing")).unwrap()[0].site, "marketing");
        let err = c.select(Some("sales")).unwrap_err();
        assert!(err.contains("\"finance\", \"marketing\""), "{err}");
    }

    #[test]
    fn refuses_inline_secrets_naming_the_fix() {
        let cases = [
            ("pat_secret = \"x\"", "pat_secret_env or pat_secret_file"),
            ("password = \"x\"", "password_env or password_file"),
            ("jwt_secret = \"x\"", "jwt_secret_env or jwt_secret_file"),
        ];
        for (line, fix) in cases {
            let text = format!("[[site]]\nserver = \"https://t\"\n{line}\n");
            let err = ConfigFile::parse(&text).unwrap_err();
            assert!(
                err.contains(fix) && err.contains("never go in the config file"),
                "{err}"
            );
            assert!(
                !err.contains("\"x\""),
                "the secret itself is not echoed: {err}"
            );
        }
    }

    #[test]
    fn refuses_unknown_keys_and_duplicate_labels() {
        assert!(ConfigFile::parse("[[site]]\nserver = \"https://t\"\nsever = 1\n").is_err());
        let dup =
            "[[site]]\nserver = \"a\"\nsite = \"x\"\n[[site]]\nserver = \"b\"\nsite = \"x\"\n";
        assert!(ConfigFile::parse(dup)
            .unwrap_err()
            .contains("distinct name"));
    }
}
