//! What provisioning shares: a journalled action's result turned into a
//! typed answer, the records it answers with, and the site's groups as
//! Tableau lists them now.

use chrono::Utc;
use tabgov_mapping::{is_directory_domain, Account, Group};
use tabgov_state::{AccountRecord, GroupRecord};

use super::engine::Acted;
use super::{ActionContext, ActionResult, Outcome};
use crate::api::groups;
use crate::listing::fetch_all;
use crate::{Error, Result};

/// The result of a provisioning action as a typed answer: done (or
/// nothing to do) is `Ok`; a dry run, a refusal and a failure are the
/// errors callers map to their own answers (the journal holds the rest).
pub(crate) fn concluded(acted: Acted) -> Result<ActionResult> {
    let Acted { result, error } = acted;
    match result.result {
        Outcome::Completed | Outcome::Noop => Ok(result),
        Outcome::Planned => Err(Error::Planned(result.detail)),
        Outcome::Refused | Outcome::Kept => Err(Error::Refused(result.detail)),
        Outcome::Failed => Err(error.unwrap_or(Error::NotDone(result.detail))),
    }
}

/// The store's record of `account`, which an action just wrote; on a site
/// no sync has published yet (the store shows none of its accounts), the
/// record the store will show.
pub(crate) async fn account_record(
    ctx: &ActionContext<'_>,
    account: Account,
) -> Result<AccountRecord> {
    let Some(site) = ctx.site else {
        return Err(Error::Internal("the site has no row in the store".into()));
    };
    if let Some(record) = ctx.store.account(site, &account.id).await? {
        return Ok(record);
    }
    Ok(AccountRecord {
        site: ctx.transport.options().site.clone(),
        license: account.license(),
        status: account.status(),
        account,
        groups: Vec::new(),
        owned: Default::default(),
        first_seen: Utc::now(),
        last_seen: None,
        deprovisioned_at: None,
        site_key: site,
        updated_run_id: None,
    })
}

/// The record of a group Tableau just created (it has no members yet).
pub(crate) fn group_record(ctx: &ActionContext<'_>, group: Group) -> GroupRecord {
    GroupRecord {
        site: ctx.transport.options().site.clone(),
        directory_synced: is_directory_domain(group.domain.as_deref()),
        id: group.id,
        name: group.name,
        domain: group.domain,
        minimum_site_role: group.minimum_site_role.map(|r| r.to_string()),
        grant_license_mode: group.grant_license_mode.map(|m| m.as_str().to_owned()),
        member_count: 0,
        members: Vec::new(),
    }
}

/// The site's groups as Tableau lists them now (not the context's cached
/// listing: a creation or deletion is read back from this one).
pub(crate) async fn site_groups_now(ctx: &ActionContext<'_>) -> Result<Vec<Group>> {
    fetch_all(
        ctx.transport,
        "groups",
        |p| groups::list_groups(&ctx.site_luid, p),
        groups::decode_groups,
        |g| g.id.as_str(),
    )
    .await
}
