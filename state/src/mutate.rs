//! Reflecting an action in the store without waiting for the next sync.
//!
//! Each helper changes only what the Tableau call changed, inside the
//! caller's transaction (the one that completes the journal entry).

use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};
use tabgov_mapping::{GroupId, SiteRole, UserId};

use crate::RunId;
use crate::{time, Result, SiteKey};

/// Sets an account's site role (and the licence and status it implies).
/// `run` marks the row as written by that run; `None` keeps the marker.
/// Returns false when no account still on the site has this id.
pub async fn update_account_role(
    tx: &mut Transaction<'_, Sqlite>,
    site: SiteKey,
    id: &UserId,
    role: &SiteRole,
    run: Option<RunId>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE accounts SET site_role = ?, license = ?, status = ?, \
         updated_run_id = COALESCE(?, updated_run_id) \
         WHERE site_id = ? AND id = ? AND deprovisioned_at IS NULL",
    )
    .bind(role.as_str())
    .bind(role.license().as_str())
    .bind(role.status().as_str())
    .bind(run)
    .bind(site)
    .bind(id.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Marks an account removed from the site at `now` (last seen then, by the
/// action itself) and drops its memberships, as Tableau does. Returns false
/// when no account still on the site has this id.
pub async fn mark_deprovisioned(
    tx: &mut Transaction<'_, Sqlite>,
    site: SiteKey,
    id: &UserId,
    now: DateTime<Utc>,
) -> Result<bool> {
    let now = time::to_text(now);
    let done = sqlx::query(
        "UPDATE accounts SET status = 'Deprovisioned', license = 'Unlicensed', \
         deprovisioned_at = ?, last_seen = ? \
         WHERE site_id = ? AND id = ? AND deprovisioned_at IS NULL",
    )
    .bind(&now)
    .bind(&now)
    .bind(site)
    .bind(id.as_str())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM memberships WHERE site_id = ? AND user_id = ?")
        .bind(site)
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Records a membership; returns false when it was already there.
pub async fn add_membership(
    tx: &mut Transaction<'_, Sqlite>,
    site: SiteKey,
    group_id: &GroupId,
    user_id: &UserId,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO memberships (site_id, group_id, user_id) VALUES (?, ?, ?) \
         ON CONFLICT DO NOTHING",
    )
    .bind(site)
    .bind(group_id.as_str())
    .bind(user_id.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Drops a membership; returns false when it was not there.
pub async fn remove_membership(
    tx: &mut Transaction<'_, Sqlite>,
    site: SiteKey,
    group_id: &GroupId,
    user_id: &UserId,
) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM memberships WHERE site_id = ? AND group_id = ? AND user_id = ?")
            .bind(site)
            .bind(group_id.as_str())
            .bind(user_id.as_str())
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Moves every item `from` owns to `to` (a removal with `mapAssetsTo`);
/// returns how many moved.
pub async fn transfer_owned_content(
    tx: &mut Transaction<'_, Sqlite>,
    site: SiteKey,
    from: &UserId,
    to: &UserId,
) -> Result<u64> {
    let done =
        sqlx::query("UPDATE owned_content SET owner_id = ? WHERE site_id = ? AND owner_id = ?")
            .bind(to.as_str())
            .bind(site)
            .bind(from.as_str())
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected())
}
