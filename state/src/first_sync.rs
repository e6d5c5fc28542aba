//! The first sync of a site, written while the site is still being listed.
//!
//! Until a sync of a site succeeds the site is unpublished: every reader
//! joins `sites` on `last_success_run_id IS NOT NULL`, so none sees its rows.
//! Its first sync therefore need not hold one write transaction for the
//! whole listing (that would block every other writer, actions on other
//! sites included, for as long as Tableau takes to answer): each part is
//! written in its own short transaction as its listing completes, and
//! [`finish_run`] publishes them all at once. A first sync that fails, or is
//! killed, leaves rows nobody reads; [`clear_unpublished`] removes them.
//!
//! [`finish_run`]: crate::finish_run

use chrono::{DateTime, Utc};
use sqlx::{Sqlite, SqliteConnection, Transaction};
use tabgov_mapping::{Account, Change, Group, OwnedItem};

use crate::apply::{add_memberships, set_cache_size, upsert_accounts, upsert_groups};
use crate::feed::insert_events;
use crate::owned::insert_owned;
use crate::RunId;
use crate::{time, Result, SiteKey};

/// Whether a sync of `site` has ever succeeded (its rows are readable).
pub async fn is_published(conn: &mut SqliteConnection, site: SiteKey) -> Result<bool> {
    let published: Option<bool> =
        sqlx::query_scalar("SELECT last_success_run_id IS NOT NULL FROM sites s WHERE s.id = ?")
            .bind(site)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(published.unwrap_or(false))
}

/// Deletes the rows an unfinished first sync of `site` left (accounts,
/// groups, memberships, owned content, change events); does nothing to a
/// published site. Returns how many rows went.
pub async fn clear_unpublished(tx: &mut Transaction<'_, Sqlite>, site: SiteKey) -> Result<u64> {
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
        removed += sqlx::query(&format!("DELETE FROM {table} WHERE site_id = ?"))
            .bind(site)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(removed)
}

/// Writes the accounts of a first sync, each with its `joined` event, in
/// id order; `now` is when they were first seen.
pub async fn write_joined_accounts(
    tx: &mut Transaction<'_, Sqlite>,
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
pub async fn write_groups(
    tx: &mut Transaction<'_, Sqlite>,
    site: SiteKey,
    run_id: RunId,
    groups: &[&Group],
) -> Result<()> {
    upsert_groups(tx, site, run_id, groups).await
}

/// Writes (group id, user id) memberships of a first sync; fastest in
/// primary-key order.
pub async fn write_memberships(
    tx: &mut Transaction<'_, Sqlite>,
    site: SiteKey,
    memberships: &[(&str, &str)],
) -> Result<()> {
    add_memberships(tx, site, memberships).await
}

/// Writes owned content items of a first sync.
pub async fn write_owned_items(
    tx: &mut Transaction<'_, Sqlite>,
    site: SiteKey,
    items: &[&OwnedItem],
) -> Result<()> {
    insert_owned(tx, site, items).await
}

/// Gives `conn` the page cache of bulk writes; returns the setting to
/// restore with [`restore_cache`]. Many memberships written into the
/// `(site_id, user_id)` index out of order need it (see `apply_sync`).
pub async fn bulk_cache(conn: &mut SqliteConnection) -> Result<i64> {
    set_cache_size(conn, -crate::apply::BULK_CACHE_KIB).await
}

/// Puts back the page cache [`bulk_cache`] replaced.
pub async fn restore_cache(conn: &mut SqliteConnection, before: i64) -> Result<()> {
    set_cache_size(conn, before).await.map(drop)
}
