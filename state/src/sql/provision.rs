//! Recording what a provisioning action made on Tableau (a user added or
//! updated, a group created or deleted) without waiting for the next sync.
//! Each helper writes inside the caller's transaction, the one that
//! completes the action's journal entry.

use chrono::Utc;
use tabgov_mapping::{Account, Group, GroupId};

use super::Tx;
use crate::{time, Result, SiteKey};

/// Writes `account` as Tableau shows it now: a new row (first seen now) or
/// the existing one updated and, if it had left the site, back on it. The
/// licence and status are the ones a sync derives from the site role. An
/// email, full name or last sign-in the answer left out keeps its stored
/// value (Query User does not always return them). The row keeps the run
/// that last wrote it: an action is not a run.
pub(crate) async fn record_account(tx: &mut Tx<'_>, site: SiteKey, a: &Account) -> Result<()> {
    sqlx::query(
        "INSERT INTO accounts (site_id, id, name, email, full_name, site_role, license, \
         status, last_login, auth_setting, domain, idp_configuration_id, \
         external_auth_user_id, language, locale, first_seen) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         ON CONFLICT (site_id, id) DO UPDATE SET name = excluded.name, \
         email = COALESCE(excluded.email, accounts.email), \
         full_name = COALESCE(excluded.full_name, accounts.full_name), \
         site_role = excluded.site_role, license = excluded.license, \
         status = excluded.status, \
         last_login = COALESCE(excluded.last_login, accounts.last_login), \
         auth_setting = COALESCE(excluded.auth_setting, accounts.auth_setting), \
         domain = COALESCE(excluded.domain, accounts.domain), \
         idp_configuration_id = excluded.idp_configuration_id, \
         external_auth_user_id = excluded.external_auth_user_id, \
         language = excluded.language, locale = excluded.locale, \
         last_seen = NULL, deprovisioned_at = NULL",
    )
    .bind(site)
    .bind(a.id.as_str())
    .bind(a.name.as_str())
    .bind(a.email.as_deref())
    .bind(a.full_name.as_deref())
    .bind(a.site_role.as_str())
    .bind(a.license().as_str())
    .bind(a.status().as_str())
    .bind(a.last_login.map(time::to_text))
    .bind(a.auth_setting.as_deref())
    .bind(a.domain.as_deref())
    .bind(a.identity.idp_configuration_id.as_deref())
    .bind(a.identity.external_auth_user_id.as_deref())
    .bind(a.identity.language.as_deref())
    .bind(a.identity.locale.as_deref())
    .bind(time::to_text(Utc::now()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes a group Tableau created (or shows again), without members.
pub(crate) async fn record_group(tx: &mut Tx<'_>, site: SiteKey, g: &Group) -> Result<()> {
    sqlx::query(
        "INSERT INTO groups (site_id, id, name, domain, minimum_site_role, grant_license_mode) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (site_id, id) DO UPDATE SET name = excluded.name, \
         domain = excluded.domain, minimum_site_role = excluded.minimum_site_role, \
         grant_license_mode = excluded.grant_license_mode, removed_at = NULL",
    )
    .bind(site)
    .bind(g.id.as_str())
    .bind(g.name.as_str())
    .bind(g.domain.as_deref())
    .bind(g.minimum_site_role.as_ref().map(|r| r.as_str()))
    .bind(g.grant_license_mode.as_ref().map(|m| m.as_str()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks a group deleted on Tableau (removed now, as a sync marks a group
/// that vanished) and drops its memberships: its members stay on the site.
/// Returns false when the store holds no such live group.
pub(crate) async fn record_group_deleted(
    tx: &mut Tx<'_>,
    site: SiteKey,
    id: &GroupId,
) -> Result<bool> {
    sqlx::query(
        "DELETE FROM memberships WHERE site_id = $1 \
         AND group_key = (SELECT group_key FROM groups WHERE site_id = $1 AND id = $2)",
    )
    .bind(site)
    .bind(id.as_str())
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query(
        "UPDATE groups SET removed_at = $1 WHERE site_id = $2 AND id = $3 AND removed_at IS NULL",
    )
    .bind(time::to_text(Utc::now()))
    .bind(site)
    .bind(id.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}
