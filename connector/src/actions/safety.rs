//! The last-site-administrator rail: how many site administrators stay
//! when a batch is done. The domain's planner refuses a target that is a
//! site administrator when none would remain.

use std::collections::HashSet;

use tabgov_mapping::{SiteLuid, SiteRole, UserId};

use super::ActionContext;
use crate::api::{users, ApiRequest, PageRequest};
use crate::listing::fetch_all;
use crate::{Error, Result};

/// One page of the site's administrators: a user listing filtered by every
/// site role that administers a site.
pub fn site_admins_request(site_id: &SiteLuid, page: PageRequest) -> ApiRequest {
    let roles: Vec<&str> = SiteRole::known()
        .filter(|r| r.is_site_admin())
        .map(SiteRole::as_str)
        .collect();
    users::list_users(site_id, page).query("filter", format!("siteRole:in:[{}]", roles.join(",")))
}

/// Site administrators outside `leaving` (the users the batch suspends or
/// removes).
pub fn other_site_admins(admin_ids: &[UserId], leaving: &HashSet<UserId>) -> usize {
    admin_ids.iter().filter(|id| !leaving.contains(*id)).count()
}

/// The LUIDs of every site administrator, from Tableau. Should a server
/// refuse the `siteRole:in:[...]` filter (a 400, e.g. over the legacy
/// `SiteAdministrator` value), the whole user listing is read and filtered
/// here instead: the rail must never be skipped.
pub(crate) async fn site_admin_ids(ctx: &ActionContext<'_>) -> Result<Vec<UserId>> {
    let site = ctx.site_luid.clone();
    let filtered = fetch_all(
        ctx.transport,
        "site administrators",
        |p| site_admins_request(&site, p),
        users::decode_users,
        |a| a.id.as_str(),
    )
    .await;
    let admins = match filtered {
        Err(Error::Tableau(t)) if t.status == 400 => {
            tracing::info!("the site-role filter was refused ({t}); reading every user instead");
            fetch_all(
                ctx.transport,
                "users",
                |p| users::list_users(&site, p),
                users::decode_users,
                |a| a.id.as_str(),
            )
            .await?
            .into_iter()
            .filter(|a| a.site_role.is_site_admin())
            .collect()
        }
        other => other?,
    };
    Ok(admins.into_iter().map(|a| a.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_administering_role() {
        let r = site_admins_request(&SiteLuid::new("s"), PageRequest::new(1, 1000));
        assert_eq!(r.path, "sites/s/users");
        let filter = r
            .query
            .iter()
            .find(|(k, _)| k == "filter")
            .map(|(_, v)| v.as_str());
        assert_eq!(
            filter,
            Some(
                "siteRole:in:[SiteAdministratorCreator,SiteAdministratorExplorer,ServerAdministrator,SiteAdministrator]"
            )
        );
        assert!(r.query.iter().any(|(k, v)| k == "pageSize" && v == "1000"));
    }

    #[test]
    fn counts_admins_who_stay() {
        let admins: Vec<UserId> = vec!["a".into(), "b".into(), "c".into()];
        let leaving: HashSet<UserId> = ["b".into(), "x".into()].into();
        assert_eq!(other_site_admins(&admins, &leaving), 2);
        assert_eq!(other_site_admins(&[], &leaving), 0);
    }
}
