//! A served site as a SCIM request addresses it, and a signed-in session
//! on it for a write. Every write takes the site's lock before it signs in
//! (a second sign-in with the same personal access token would end a
//! running sync's session), so SCIM writes, syncs and offboarding jobs on
//! one site never overlap; each signs out when done.

use std::sync::Arc;

use tabgov_state::SiteKey;

use crate::actions::{ActionContext, ActionOptions};
use crate::credentials::Scope;
use crate::site_lock::{SiteLock, DEFAULT_LOCK_WAIT};
use crate::transport::Transport;

use super::served_site::SiteHandle;
use super::AppState;

/// The site a `/scim/v2/{site}` path names.
#[derive(Debug, Clone)]
pub struct ScimSite {
    pub handle: Arc<SiteHandle>,
    /// The store's key; the site has been synced at least once.
    pub key: SiteKey,
    /// `https://host/scim/v2/{site}`: where its resources live
    /// (`meta.location`).
    pub base_url: String,
}

/// Why a path's site cannot be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteProblem {
    /// No configured site has this name.
    Unknown(String),
    /// Configured, but no sync has finished yet: there is nothing to read.
    NotSynced(String),
    /// The store could not be read.
    Store(String),
}

impl ScimSite {
    /// The served site called `label` (its name in tabgov.toml, else its
    /// content URL; `default` also names a Tableau Server's default site).
    pub async fn resolve(
        state: &AppState,
        label: &str,
        origin: &str,
    ) -> Result<ScimSite, SiteProblem> {
        let handle = state
            .site(label)
            .or_else(|| {
                state.sites.iter().find(|s| {
                    s.site.options.site == label
                        || (label == "default" && s.site.options.site.is_empty())
                })
            })
            .cloned()
            .ok_or_else(|| SiteProblem::Unknown(label.to_owned()))?;
        let options = &handle.site.options;
        let record = state
            .store
            .find_site(Some(&options.server), &options.site)
            .await
            .map_err(|e| SiteProblem::Store(e.to_string()))?;
        let Some(record) = record.filter(|r| r.last_success_at.is_some()) else {
            return Err(SiteProblem::NotSynced(label.to_owned()));
        };
        Ok(ScimSite {
            handle,
            key: record.key,
            base_url: site_base_url(origin, label)
                .ok_or_else(|| SiteProblem::Store(format!("{origin:?} is not a URL")))?,
        })
    }

    /// Takes the site's lock, then signs in with `scopes`: a session for
    /// one write. End it with [`Session::close`].
    pub async fn session(&self, state: &AppState, scopes: &[Scope]) -> crate::Result<Session> {
        let site = &self.handle.site;
        let lock = SiteLock::acquire_waiting(
            &state.store,
            &site.options.server,
            &site.options.site,
            DEFAULT_LOCK_WAIT,
        )
        .await?;
        let transport =
            Transport::connect(site.options.clone(), site.credential.clone(), scopes).await?;
        Ok(Session {
            transport,
            lock: Some(lock),
        })
    }
}

/// A signed-in session holding the site's lock.
#[derive(Debug)]
pub struct Session {
    pub transport: Transport,
    lock: Option<SiteLock>,
}

impl Session {
    /// The action context of this session (it takes the lock over, so the
    /// lock lives as long as the context).
    pub async fn context<'a>(
        &'a mut self,
        state: &'a AppState,
        actor: &str,
    ) -> crate::Result<ActionContext<'a>> {
        let options = ActionOptions {
            actor: Some(actor.to_owned()),
            ..ActionOptions::default()
        };
        ActionContext::with_lock(&self.transport, &state.store, options, self.lock.take()).await
    }

    /// Signs out; a failure only matters to the logs (the session ends on
    /// Tableau's side when it expires).
    pub async fn close(self) {
        if let Err(e) = self.transport.sign_out().await {
            tracing::debug!(error = %e, "sign-out failed");
        }
    }
}

/// `{origin}/scim/v2/{label}`, the label encoded as one path segment (a
/// label may hold blanks or slashes).
fn site_base_url(origin: &str, label: &str) -> Option<String> {
    let mut url = url::Url::parse(origin).ok()?;
    url.path_segments_mut()
        .ok()?
        .pop_if_empty()
        .extend(["scim", "v2", label]);
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_become_one_path_segment() {
        for (origin, label, base) in [
            (
                "http://127.0.0.1:8080",
                "finance",
                "http://127.0.0.1:8080/scim/v2/finance",
            ),
            (
                "https://tabgov.example.com/",
                "(default site)",
                "https://tabgov.example.com/scim/v2/(default%20site)",
            ),
            (
                "https://h.example.com/prefix",
                "a/b",
                "https://h.example.com/prefix/scim/v2/a%2Fb",
            ),
        ] {
            assert_eq!(site_base_url(origin, label).as_deref(), Some(base));
        }
        assert_eq!(site_base_url("not a url", "x"), None);
    }
}
