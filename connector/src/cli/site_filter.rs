//! `--site`/`--server` on the commands that read the store.

use clap::Args;
use tabgov_state::{SiteKey, Store};

use super::failure::Failure;

/// Which synced site to read; every site when `--site` is absent.
#[derive(Debug, Clone, Args)]
pub struct SiteFilter {
    /// Site content URL ("" for the default site); every synced site when absent.
    #[arg(long)]
    pub site: Option<String>,

    /// Server URL, when one content URL was synced from several servers.
    #[arg(long)]
    pub server: Option<String>,
}

impl SiteFilter {
    /// The site's key, `None` for every site; an unknown site is a usage error.
    pub async fn key(&self, store: &Store) -> Result<Option<SiteKey>, Failure> {
        let Some(site) = &self.site else {
            return Ok(None);
        };
        match store.find_site(self.server.as_deref(), site).await {
            Ok(Some(record)) => Ok(Some(record.key)),
            Ok(None) => Err(Failure::usage(format!(
                "site '{site}' has never been synced into this store: run tabgov sync for it first, or check --site and --db"
            ))),
            Err(tabgov_state::Error::AmbiguousSite { content_url }) => Err(Failure::usage(format!(
                "site '{content_url}' was synced from several servers: add --server"
            ))),
            Err(e) => Err(e.into()),
        }
    }
}
