//! Statements reading groups and their members.

use std::collections::HashMap;

use futures::TryStreamExt;
use sqlx::QueryBuilder;
use tabgov_mapping::{GroupId, UserId};

use super::{Engine, Pool};
use crate::groups::Row;
use crate::{GroupCursor, GroupRecord, Result, SiteKey};

/// Up to this many groups of a page are named in the memberships query;
/// beyond it, the site's memberships are read.
const BY_ID: usize = 500;

/// Which of a site's live groups [`list_groups`] reads.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Which<'a> {
    All,
    /// After the cursor, up to the limit.
    Page(Option<&'a GroupCursor>, u32),
    /// These ids (those still live).
    Ids(&'a [GroupId]),
}

/// The site's groups (not removed) that `which` names, by name and id,
/// with their members (one query for the groups, one for the
/// memberships: of the groups read, unless there are too many to name).
pub(crate) async fn list_groups(
    pool: &Pool,
    site: SiteKey,
    which: Which<'_>,
) -> Result<Vec<GroupRecord>> {
    let page = match which {
        Which::Page(after, limit) => Some((after, limit)),
        _ => None,
    };
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
        "SELECT s.content_url, g.id, g.name, g.domain, g.minimum_site_role, \
         g.grant_license_mode FROM groups g JOIN sites s ON s.id = g.site_id \
         WHERE g.removed_at IS NULL AND s.last_success_run_id IS NOT NULL AND g.site_id = ",
    );
    qb.push_bind(site);
    if let Some((Some(after), _)) = page {
        qb.push(" AND (g.name, g.id) > (")
            .push_bind(after.name.clone())
            .push(", ")
            .push_bind(after.id.clone())
            .push(")");
    }
    if let Which::Ids(ids) = which {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        qb.push(" AND g.id IN (");
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(id.as_str().to_owned());
        }
        qb.push(")");
    }
    qb.push(" ORDER BY g.name, g.id");
    if let Some((_, limit)) = page {
        qb.push(" LIMIT ").push_bind(i64::from(limit));
    }
    let rows: Vec<Row> = qb.build_query_as().fetch_all(pool).await?;
    let mut groups: Vec<GroupRecord> = rows.into_iter().map(GroupRecord::from).collect();
    let index: HashMap<GroupId, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.clone(), i))
        .collect();
    if groups.is_empty() {
        return Ok(groups);
    }
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
        "SELECT g.id, a.name FROM memberships m \
         JOIN accounts a ON a.account_key = m.account_key \
         JOIN groups g ON g.group_key = m.group_key WHERE m.site_id = ",
    );
    qb.push_bind(site);
    // A page's groups by id, unless there are too many to name.
    if !matches!(which, Which::All) && groups.len() <= BY_ID {
        qb.push(" AND g.site_id = ")
            .push_bind(site)
            .push(" AND g.id IN (");
        let mut list = qb.separated(", ");
        for g in &groups {
            list.push_bind(g.id.as_str().to_owned());
        }
        qb.push(")");
    }
    qb.push(" ORDER BY a.name");
    let mut rows = qb.build_query_as::<(String, String)>().fetch(pool);
    while let Some((group, member)) = rows.try_next().await? {
        if let Some(&i) = index.get(group.as_str()) {
            groups[i].members.push(member);
        }
    }
    for g in &mut groups {
        g.member_count = g.members.len() as u64;
    }
    Ok(groups)
}

/// The names of the live groups among `ids`, by id: one keyed query that
/// reads those groups only, not the site's groups and memberships (an
/// action naming the groups a user left calls it once per user).
/// Every live group of the site as (id, name), without members.
pub(crate) async fn group_index(pool: &Pool, site: SiteKey) -> Result<Vec<(GroupId, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT g.id, g.name FROM groups g JOIN sites s ON s.id = g.site_id \
         WHERE g.site_id = $1 AND g.removed_at IS NULL AND s.last_success_run_id IS NOT NULL \
         ORDER BY g.name, g.id",
    )
    .bind(site)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (GroupId::from(id), name))
        .collect())
}

/// The members of one live group as (user id, sign-in name), by name.
pub(crate) async fn group_members(
    pool: &Pool,
    site: SiteKey,
    group: &GroupId,
) -> Result<Vec<(UserId, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.id, a.name FROM memberships m \
         JOIN groups g ON g.group_key = m.group_key \
         JOIN accounts a ON a.account_key = m.account_key \
         WHERE g.site_id = $1 AND g.id = $2 AND g.removed_at IS NULL \
         AND a.deprovisioned_at IS NULL ORDER BY a.name, a.id",
    )
    .bind(site)
    .bind(group.as_str())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (UserId::from(id), name))
        .collect())
}

pub(crate) async fn group_names(
    pool: &Pool,
    site: SiteKey,
    ids: &[GroupId],
) -> Result<HashMap<GroupId, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
        "SELECT g.id, g.name FROM groups g JOIN sites s ON s.id = g.site_id \
         WHERE g.site_id = ",
    );
    qb.push_bind(site)
        .push(" AND g.removed_at IS NULL AND s.last_success_run_id IS NOT NULL AND g.id IN (");
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(id.as_str().to_owned());
    }
    qb.push(")");
    let rows: Vec<(String, String)> = qb.build_query_as().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (GroupId::from(id), name))
        .collect())
}
