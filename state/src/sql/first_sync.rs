//! The first sync of a site, written while the site is still being listed.
//!
//! Until a sync of a site succeeds the site is unpublished: every reader
//! joins `sites` on `last_success_run_id IS NOT NULL`, so none sees its rows.
//! Its first sync therefore need not hold one write transaction for the
//! whole listing (that would block every other writer, actions on other
//! sites included, for as long as Tableau takes to answer): each part is
//! written in its own short transaction as its listing completes, and
//! `run::finish` publishes them all at once. A first sync that fails, or is
//! killed, leaves rows nobody reads; [`clear_unpublished`] removes them.

use chrono::{DateTime, Utc};
use tabgov_mapping::{Account, Change, Group, OwnedItem};

use super::apply::{set_cache_size, upsert_accounts, upsert_groups};
use super::feed::insert_events;
use super::memberships::add_by_keys;
use super::owned::insert_owned;
use super::{Conn, Tx};
use crate::{time, Result, RunId, SiteKey};

/// Whether a sync of `site` has ever succeeded (its rows are readable).
pub(crate) async fn is_published(conn: &mut Conn, site: SiteKey) -> Result<bool> {
    let published: Option<bool> =
        sqlx::query_scalar("SELECT last_success_run_id IS NOT NULL FROM sites s WHERE s.id = $1")
            .bind(site)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(published.unwrap_or(false))
}

/// Deletes the rows an unfinished first sync of `site` left (accounts,
/// groups, memberships, owned content, change events); does nothing to a
/// published site. Returns how many rows went.
pub(crate) async fn clear_unpublished(tx: &mut Tx<'_>, site: SiteKey) -> Result<u64> {
    if is_published(tx, site).await? {
        return Ok(0);
    }
    let mut removed = 0;
    for table in [
        "change_events",
        "memberships",
        "owned_content",
        "groups",
        "accounts",
    ] {
        removed += sqlx::query(&format!("DELETE FROM {table} WHERE site_id = $1"))
            .bind(site)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(removed)
}

/// Writes the accounts of a first sync, each with its `joined` event, in
/// id order; `now` is when they were first seen.
pub(crate) async fn write_joined_accounts(
    tx: &mut Tx<'_>,
    site: SiteKey,
    run_id: RunId,
    accounts: &[&Account],
    now: DateTime<Utc>,
) -> Result<()> {
    let now = time::to_text(now);
    upsert_accounts(tx, site, run_id, &now, accounts).await?;
    let joined: Vec<Change> = accounts.iter().map(|a| Change::joined(a)).collect();
    insert_events(tx, site, run_id, &joined, &now).await?;
    Ok(())
}

/// Writes the groups of a first sync.
pub(crate) async fn write_groups(
    tx: &mut Tx<'_>,
    site: SiteKey,
    run_id: RunId,
    groups: &[&Group],
) -> Result<()> {
    upsert_groups(tx, site, run_id, groups).await
}

/// Writes (group key, account key) memberships of a first sync; fastest in
/// primary-key order.
pub(crate) async fn write_memberships(
    tx: &mut Tx<'_>,
    site: SiteKey,
    memberships: &[(i64, i64)],
) -> Result<()> {
    add_by_keys(tx, site, memberships).await
}

/// Writes owned content items of a first sync.
pub(crate) async fn write_owned_items(
    tx: &mut Tx<'_>,
    site: SiteKey,
    items: &[&OwnedItem],
) -> Result<()> {
    insert_owned(tx, site, items).await
}

/// Gives `conn` the page cache of bulk writes; returns the setting to
/// restore with [`restore_cache`]. Many memberships written into the
/// `(account_key)` index out of order need it (see `apply_sync`).
pub(crate) async fn bulk_cache(conn: &mut Conn) -> Result<i64> {
    set_cache_size(conn, -super::apply::BULK_CACHE_KIB).await
}

/// Puts back the page cache [`bulk_cache`] replaced.
pub(crate) async fn restore_cache(conn: &mut Conn, before: i64) -> Result<()> {
    set_cache_size(conn, before).await.map(drop)
}
