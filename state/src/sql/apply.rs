//! Writing one complete sync: snapshot difference, change feed, counters.

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use tabgov_mapping::{changed_accounts, Account, Group, GroupId, SiteSnapshot};

use super::feed::insert_events;
use super::memberships;
use super::owned::write_owned;
use super::{Conn, Engine, Tx, DIALECT};
use crate::backend::Dialect;
use crate::{time, ApplySummary, Difference, Result, RunId, SiteKey, SyncCounts};

/// Rows per multi-row statement; the widest (accounts, 13 values) stays far
/// below SQLite's and PostgreSQL's bound-parameter limits.
const ROWS: usize = 500;

/// Membership rows written (added plus removed) from which the page cache
/// is raised to [`BULK_CACHE_KIB`] while they are written.
const BULK_ROWS: usize = 50_000;

/// SQLite's page cache, in KiB, while many memberships are written (its
/// default is 2 MiB). The `(site_id, user_id)` index is written out of order;
/// with the default cache nearly every insert reads a page back and evicts
/// another. Measured on 400k memberships: 2.6 s of inserts with 2 MiB, 1.8 s
/// with 16 MiB, no better with 32 MiB. Only this write pays the memory.
pub(crate) const BULK_CACHE_KIB: i64 = 16 * 1024;

/// Writes the difference between `previous` (what `snapshot::load` returned
/// for this site) and `next` (a complete listing), plus `changes` (the diff
/// of the two) as the change feed of `run_id`. The caller commits `tx`
/// together with `run::finish`; dropping it instead leaves the store as it was.
///
/// Only accounts in [`changed_accounts`] are written, with
/// `updated_run_id = run_id`: joiners get `first_seen = now`, a re-joiner is
/// un-deprovisioned, leavers keep their row as `Deprovisioned` with
/// `deprovisioned_at = now` and `last_seen` = the site's previous successful
/// sync. Groups are upserted when different and marked removed when gone;
/// memberships and owned content get only their difference. A re-sync with
/// nothing changed writes nothing.
///
/// `owned_items` must be the complete content listing: items not in it are
/// deleted.
pub(crate) async fn apply_sync(
    tx: &mut Tx<'_>,
    site: SiteKey,
    run_id: RunId,
    difference: Difference<'_>,
    now: DateTime<Utc>,
) -> Result<ApplySummary> {
    let Difference {
        previous,
        next,
        changes,
        owned: owned_items,
    } = difference;
    let now_text = time::to_text(now);
    let mut summary = ApplySummary {
        counts: SyncCounts {
            users: next.accounts.len() as u64,
            groups: next.groups.len() as u64,
            memberships: next.memberships.len() as u64,
            ..SyncCounts::default()
        },
        ..ApplySummary::default()
    };

    let started = std::time::Instant::now();
    let at = Stamp {
        site,
        run_id,
        now: &now_text,
    };
    write_accounts(tx, at, previous, next, &mut summary).await?;
    let accounts_ms = started.elapsed().as_millis();
    write_groups_diff(tx, at, previous, next, &mut summary).await?;
    write_memberships_diff(tx, site, previous, next, &mut summary).await?;
    let memberships_ms = started.elapsed().as_millis();

    (summary.owned_written, summary.owned_removed) = write_owned(tx, site, owned_items).await?;
    let owned_ms = started.elapsed().as_millis();
    summary.events = insert_events(tx, site, run_id, changes, &now_text).await?;
    tracing::debug!(
        %site,
        %run_id,
        ?summary,
        accounts_ms,
        memberships_ms,
        owned_ms,
        events_ms = started.elapsed().as_millis(),
        "sync applied (times are cumulative)"
    );
    Ok(summary)
}

/// Where and when a sync's rows are written.
#[derive(Clone, Copy)]
struct Stamp<'a> {
    site: SiteKey,
    run_id: RunId,
    now: &'a str,
}

/// Writes the accounts that joined or changed and marks the leavers
/// deprovisioned, counting each.
async fn write_accounts(
    tx: &mut Tx<'_>,
    at: Stamp<'_>,
    previous: &SiteSnapshot,
    next: &SiteSnapshot,
    summary: &mut ApplySummary,
) -> Result<()> {
    let ids = changed_accounts(previous, next);
    let mut upserts: Vec<&Account> = Vec::new();
    let mut leavers: Vec<&str> = Vec::new();
    for id in &ids {
        match next.accounts.get(id.as_str()) {
            Some(account) => {
                if previous.accounts.contains_key(id.as_str()) {
                    summary.counts.changed += 1;
                } else {
                    summary.counts.joined += 1;
                }
                upserts.push(account);
            }
            None => leavers.push(id.as_str()),
        }
    }
    summary.counts.left = leavers.len() as u64;
    summary.accounts_written = ids.len() as u64;
    upsert_accounts(tx, at.site, at.run_id, at.now, &upserts).await?;
    deprovision_leavers(tx, at.site, at.run_id, at.now, &leavers).await
}

/// Writes the groups that are new or changed and removes those gone.
async fn write_groups_diff(
    tx: &mut Tx<'_>,
    at: Stamp<'_>,
    previous: &SiteSnapshot,
    next: &SiteSnapshot,
    summary: &mut ApplySummary,
) -> Result<()> {
    let changed_groups: Vec<&Group> = next
        .groups
        .values()
        .filter(|g| previous.groups.get(&g.id) != Some(*g))
        .collect();
    let gone_groups: Vec<&str> = previous
        .groups
        .keys()
        .filter(|id| !next.groups.contains_key(*id))
        .map(GroupId::as_str)
        .collect();
    summary.groups_written = (changed_groups.len() + gone_groups.len()) as u64;
    upsert_groups(tx, at.site, at.run_id, &changed_groups).await?;
    remove_groups(tx, at.site, at.run_id, at.now, &gone_groups).await
}

/// Adds and deletes the memberships that differ, with a larger page cache
/// for a large difference.
async fn write_memberships_diff(
    tx: &mut Tx<'_>,
    site: SiteKey,
    previous: &SiteSnapshot,
    next: &SiteSnapshot,
    summary: &mut ApplySummary,
) -> Result<()> {
    // In primary-key order (group, user), so only the smaller
    // (site_id, user_id) index is written out of order.
    let added = next.memberships.difference(&previous.memberships);
    let removed = previous.memberships.difference(&next.memberships);
    summary.memberships_added = added.len() as u64;
    summary.memberships_removed = removed.len() as u64;
    let cache_before = if added.len() + removed.len() >= BULK_ROWS {
        Some(set_cache_size(tx, -BULK_CACHE_KIB).await?)
    } else {
        None
    };
    let written = async {
        memberships::add_by_ids(tx, site, &added).await?;
        memberships::delete_by_ids(tx, site, &removed).await
    }
    .await;
    if let Some(before) = cache_before {
        set_cache_size(tx, before).await?;
    }
    written
}

pub(crate) async fn upsert_accounts(
    tx: &mut Tx<'_>,
    site: SiteKey,
    run_id: RunId,
    now: &str,
    accounts: &[&Account],
) -> Result<()> {
    for chunk in accounts.chunks(ROWS) {
        let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
            "INSERT INTO accounts (site_id, id, name, email, full_name, site_role, license, \
             status, last_login, auth_setting, domain, idp_configuration_id, \
             external_auth_user_id, language, locale, first_seen, updated_run_id) ",
        );
        qb.push_values(chunk, |mut b, a| {
            b.push_bind(site)
                .push_bind(a.id.as_str())
                .push_bind(a.name.as_str())
                .push_bind(a.email.as_deref())
                .push_bind(a.full_name.as_deref())
                .push_bind(a.site_role.as_str())
                .push_bind(a.license().as_str())
                .push_bind(a.status().as_str())
                .push_bind(a.last_login.map(time::to_text))
                .push_bind(a.auth_setting.as_deref())
                .push_bind(a.domain.as_deref())
                .push_bind(a.identity.idp_configuration_id.as_deref())
                .push_bind(a.identity.external_auth_user_id.as_deref())
                .push_bind(a.identity.language.as_deref())
                .push_bind(a.identity.locale.as_deref())
                .push_bind(now)
                .push_bind(run_id);
        });
        qb.push(
            " ON CONFLICT (site_id, id) DO UPDATE SET name = excluded.name, \
             email = excluded.email, full_name = excluded.full_name, \
             site_role = excluded.site_role, license = excluded.license, \
             status = excluded.status, last_login = excluded.last_login, \
             auth_setting = excluded.auth_setting, domain = excluded.domain, \
             idp_configuration_id = excluded.idp_configuration_id, \
             external_auth_user_id = excluded.external_auth_user_id, \
             language = excluded.language, locale = excluded.locale, \
             last_seen = NULL, deprovisioned_at = NULL, \
             updated_run_id = excluded.updated_run_id",
        );
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn deprovision_leavers(
    tx: &mut Tx<'_>,
    site: SiteKey,
    run_id: RunId,
    now: &str,
    ids: &[&str],
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // Leavers were last seen by the previous successful sync.
    let last_success: Option<String> =
        sqlx::query_scalar("SELECT last_success_at FROM sites WHERE id = $1")
            .bind(site)
            .fetch_one(&mut **tx)
            .await?;
    for chunk in ids.chunks(ROWS) {
        let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
            "UPDATE accounts SET status = 'Deprovisioned', license = 'Unlicensed', \
             deprovisioned_at = ",
        );
        qb.push_bind(now)
            .push(", last_seen = COALESCE(")
            .push_bind(last_success.as_deref())
            .push(", first_seen), updated_run_id = ")
            .push_bind(run_id)
            .push(" WHERE site_id = ")
            .push_bind(site)
            .push(" AND id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        qb.push(")");
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

pub(crate) async fn upsert_groups(
    tx: &mut Tx<'_>,
    site: SiteKey,
    run_id: RunId,
    groups: &[&Group],
) -> Result<()> {
    for chunk in groups.chunks(ROWS) {
        let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
            "INSERT INTO groups (site_id, id, name, domain, minimum_site_role, \
             grant_license_mode, updated_run_id) ",
        );
        qb.push_values(chunk, |mut b, g| {
            b.push_bind(site)
                .push_bind(g.id.as_str())
                .push_bind(g.name.as_str())
                .push_bind(g.domain.as_deref())
                .push_bind(g.minimum_site_role.as_ref().map(|r| r.as_str()))
                .push_bind(g.grant_license_mode.as_ref().map(|m| m.as_str()))
                .push_bind(run_id);
        });
        qb.push(
            " ON CONFLICT (site_id, id) DO UPDATE SET name = excluded.name, \
             domain = excluded.domain, minimum_site_role = excluded.minimum_site_role, \
             grant_license_mode = excluded.grant_license_mode, \
             updated_run_id = excluded.updated_run_id, removed_at = NULL",
        );
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn remove_groups(
    tx: &mut Tx<'_>,
    site: SiteKey,
    run_id: RunId,
    now: &str,
    ids: &[&str],
) -> Result<()> {
    for chunk in ids.chunks(ROWS) {
        let mut qb: QueryBuilder<Engine> = QueryBuilder::new("UPDATE groups SET removed_at = ");
        qb.push_bind(now)
            .push(", updated_run_id = ")
            .push_bind(run_id)
            .push(" WHERE site_id = ")
            .push_bind(site)
            .push(" AND id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        qb.push(")");
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Sets SQLite's page cache of this connection (`PRAGMA cache_size`: pages
/// if positive, KiB if negative); returns the setting it replaced.
/// PostgreSQL's shared buffers are the server's: nothing to do there.
pub(crate) async fn set_cache_size(conn: &mut Conn, size: i64) -> Result<i64> {
    if DIALECT == Dialect::Postgres {
        return Ok(size);
    }
    let before: i64 = sqlx::query_scalar("PRAGMA cache_size")
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(&format!("PRAGMA cache_size = {size}"))
        .execute(&mut *conn)
        .await?;
    Ok(before)
}
