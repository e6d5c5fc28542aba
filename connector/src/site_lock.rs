//! The right to sync or act on one site: a sync and an action on the same
//! site never overlap, across processes sharing one store, so a sync never
//! lists an account before an action changed it and writes the old state
//! back after the action committed.

use std::time::{Duration, Instant};

use tabgov_state::{HeldSiteLock, SiteKey, Store};

use crate::Result;

/// How often a waiting action looks at the lock again.
const POLL: Duration = Duration::from_millis(100);

/// How long an action waits for a running sync or action by default.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(600);

/// The site's lock: held by a sync from before sign-in (a second sign-in
/// with the same PAT ends the first session) until its run is recorded, and
/// by an action from before it resolves its targets until its batch ends.
#[derive(Debug)]
pub struct SiteLock {
    site: SiteKey,
    held: HeldSiteLock,
}

impl SiteLock {
    /// Registers the site if new and takes its lock; while another sync or
    /// action holds it, fails at once with
    /// [`tabgov_state::Error::SiteInUse`].
    pub async fn acquire(store: &Store, server: &str, content_url: &str) -> Result<SiteLock> {
        SiteLock::acquire_waiting(store, server, content_url, Duration::ZERO).await
    }

    /// Like [`SiteLock::acquire`], but waits up to `max_wait` for the
    /// holder to finish, saying once that it waits; still held then, it is
    /// [`tabgov_state::Error::SiteBusy`]. A zero wait is
    /// [`SiteLock::acquire`].
    pub async fn acquire_waiting(
        store: &Store,
        server: &str,
        content_url: &str,
        max_wait: Duration,
    ) -> Result<SiteLock> {
        let started = Instant::now();
        let site = register(store, server, content_url, started + max_wait).await?;
        let mut said = false;
        loop {
            let holder = match HeldSiteLock::acquire(store, site).await {
                Ok(held) => return Ok(SiteLock { site, held }),
                Err(busy @ tabgov_state::Error::SiteInUse { .. }) if max_wait.is_zero() => {
                    return Err(busy.into())
                }
                Err(tabgov_state::Error::SiteInUse { holder, .. }) => holder,
                Err(e) => return Err(e.into()),
            };
            if started.elapsed() >= max_wait {
                return Err(tabgov_state::Error::SiteBusy {
                    site,
                    holder,
                    waited_secs: started.elapsed().as_secs(),
                }
                .into());
            }
            if !said {
                said = true;
                let by = holder
                    .map(|h| format!(" (process {h})"))
                    .unwrap_or_default();
                tracing::warn!(
                    "another tabgov sync or action on {content_url:?} at {server}{by} is running: waiting up to {} s for it to finish",
                    max_wait.as_secs()
                );
            }
            tokio::time::sleep(POLL.min(max_wait.saturating_sub(started.elapsed()))).await;
        }
    }

    /// The store's key of the locked site.
    pub fn site(&self) -> SiteKey {
        self.site
    }

    /// The store's lock itself: the proof a sync's writer is begun with.
    pub fn held(&self) -> &HeldSiteLock {
        &self.held
    }
}

/// The site's key, added when new. A known site is only read: a sync of
/// this or another site may hold SQLite's write lock longer than the busy
/// timeout, and a waiting action must not fail on that. A new site's row is
/// written, retried while the store stays busy until `deadline`.
async fn register(
    store: &Store,
    server: &str,
    content_url: &str,
    deadline: Instant,
) -> Result<SiteKey> {
    let server = server.trim_end_matches('/');
    if let Some(known) = store.find_site(Some(server), content_url).await? {
        return Ok(known.key);
    }
    loop {
        match store.upsert_site(server, content_url, None).await {
            Ok(key) => return Ok(key),
            Err(e) if e.is_busy() && Instant::now() < deadline => {
                tokio::time::sleep(POLL).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}
