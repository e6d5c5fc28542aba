//! Reflecting an action in the store without waiting for the next sync.
//!
//! Each helper changes only what the Tableau call changed, inside the
//! caller's transaction (the one that completes the journal entry).

use chrono::{DateTime, Utc};
use tabgov_mapping::{GroupId, SiteRole, UserId};

use super::{provision, Tx};
use crate::{time, Result, RunId, SiteKey, StoreChange};

/// Sets an account's site role (and the licence and status it implies).
/// `run` marks the row as written by that run; `None` keeps the marker.
/// Returns false when no account still on the site has this id.
pub(crate) async fn update_account_role(
    tx: &mut Tx<'_>,
    site: SiteKey,
    id: &UserId,
    role: &SiteRole,
    run: Option<RunId>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE accounts SET site_role = $1, license = $2, status = $3, \
         updated_run_id = COALESCE($4, updated_run_id) \
         WHERE site_id = $5 AND id = $6 AND deprovisioned_at IS NULL",
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
pub(crate) async fn mark_deprovisioned(
    tx: &mut Tx<'_>,
    site: SiteKey,
    id: &UserId,
    now: DateTime<Utc>,
) -> Result<bool> {
    let now = time::to_text(now);
    let done = sqlx::query(
        "UPDATE accounts SET status = 'Deprovisioned', license = 'Unlicensed', \
         deprovisioned_at = $1, last_seen = $2 \
         WHERE site_id = $3 AND id = $4 AND deprovisioned_at IS NULL",
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
    sqlx::query(
        "DELETE FROM memberships WHERE account_key = \
         (SELECT account_key FROM accounts WHERE site_id = $1 AND id = $2)",
    )
    .bind(site)
    .bind(id.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Records a membership; returns false when it was already there.
pub(crate) async fn add_membership(
    tx: &mut Tx<'_>,
    site: SiteKey,
    group_id: &GroupId,
    user_id: &UserId,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO memberships (site_id, group_key, account_key) \
         SELECT g.site_id, g.group_key, a.account_key FROM groups g, accounts a \
         WHERE g.site_id = $1 AND g.id = $2 AND a.site_id = $1 AND a.id = $3 \
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
pub(crate) async fn remove_membership(
    tx: &mut Tx<'_>,
    site: SiteKey,
    group_id: &GroupId,
    user_id: &UserId,
) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM memberships WHERE site_id = $1 \
         AND group_key = (SELECT group_key FROM groups WHERE site_id = $1 AND id = $2) \
         AND account_key = (SELECT account_key FROM accounts WHERE site_id = $1 AND id = $3)",
    )
    .bind(site)
    .bind(group_id.as_str())
    .bind(user_id.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Moves every item `from` owns to `to` (a removal with `mapAssetsTo`);
/// returns how many moved.
pub(crate) async fn transfer_owned_content(
    tx: &mut Tx<'_>,
    site: SiteKey,
    from: &UserId,
    to: &UserId,
) -> Result<u64> {
    let done =
        sqlx::query("UPDATE owned_content SET owner_id = $1 WHERE site_id = $2 AND owner_id = $3")
            .bind(to.as_str())
            .bind(site)
            .bind(from.as_str())
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected())
}

/// Reflects what an action changed on Tableau: an account or group it
/// added (or updated) and a group it deleted; then a removal (with its
/// heir's content), or a new role with the groups left and joined. An
/// account the store does not hold is left alone.
pub(crate) async fn reflect(
    tx: &mut Tx<'_>,
    site: SiteKey,
    user_id: &UserId,
    change: &StoreChange,
) -> Result<()> {
    if let Some(account) = &change.account {
        provision::record_account(tx, site, account).await?;
    }
    if let Some(group) = &change.created_group {
        provision::record_group(tx, site, group).await?;
    }
    if let Some(group) = &change.deleted_group {
        provision::record_group_deleted(tx, site, group).await?;
    }
    if change.removed {
        mark_deprovisioned(tx, site, user_id, Utc::now()).await?;
        if let Some(heir) = &change.transfer_to {
            transfer_owned_content(tx, site, user_id, heir).await?;
        }
        return Ok(());
    }
    let Some(role) = &change.role else {
        return Ok(());
    };
    if !update_account_role(tx, site, user_id, role, None).await? {
        tracing::debug!(
            user_id = user_id.as_str(),
            "account not in the store; journalled only"
        );
        return Ok(());
    }
    for group in &change.left_groups {
        remove_membership(tx, site, group, user_id).await?;
    }
    for group in &change.joined_groups {
        add_membership(tx, site, group, user_id).await?;
    }
    Ok(())
}
