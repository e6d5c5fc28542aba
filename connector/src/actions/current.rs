//! What Tableau shows now for one user: the account and the groups it is
//! in. Actions plan from it and read their change back from it.

use tabgov_mapping::{Account, Group, GroupId, SiteRole, UserId};

use super::ActionContext;
use crate::api::outcome::found;
use crate::api::{groups, users};
use crate::listing::fetch_all;
use crate::Result;

/// The account `user_id` as Tableau shows it; `None` when Tableau has no
/// such user.
pub(crate) async fn account_now(
    ctx: &ActionContext<'_>,
    user_id: &UserId,
) -> Result<Option<Account>> {
    let read = users::get_user(&ctx.site_luid, user_id);
    found(ctx.transport.send(&read).await, users::decode_user)
}

/// The site role Tableau shows for `user_id`, who must exist: a
/// read-back after changing it.
pub(crate) async fn role_now(ctx: &ActionContext<'_>, user_id: &UserId) -> Result<SiteRole> {
    let read = users::get_user(&ctx.site_luid, user_id);
    Ok(users::decode_user(&ctx.transport.send(&read).await?)?.site_role)
}

/// The groups `user_id` is in, from Tableau, with their grant-licence
/// settings.
pub(crate) async fn groups_of(ctx: &ActionContext<'_>, user_id: &UserId) -> Result<Vec<Group>> {
    let mine = fetch_all(
        ctx.transport,
        "groups of the user",
        |p| users::groups_of_user(&ctx.site_luid, user_id, p),
        groups::decode_groups,
        |g| g.id.as_str(),
    )
    .await?;
    // Tableau's groups-of-a-user answer leaves out the grant-licence
    // settings (`<import>`, minimum site role); the site listing has them.
    let site = ctx
        .site_groups
        .get_or_try_init(|| async {
            let all = fetch_all(
                ctx.transport,
                "groups",
                |p| groups::list_groups(&ctx.site_luid, p),
                groups::decode_groups,
                |g| g.id.as_str(),
            )
            .await?;
            Ok::<_, crate::Error>(all.into_iter().map(|g| (g.id.clone(), g)).collect())
        })
        .await?;
    Ok(mine
        .into_iter()
        .map(|g| site.get(&g.id).cloned().unwrap_or(g))
        .collect())
}

/// Whether Tableau lists `user_id` in `group_id` now.
pub async fn is_member(
    ctx: &ActionContext<'_>,
    user_id: &UserId,
    group_id: &GroupId,
) -> Result<bool> {
    Ok(groups_of(ctx, user_id)
        .await?
        .iter()
        .any(|g| g.id == *group_id))
}
