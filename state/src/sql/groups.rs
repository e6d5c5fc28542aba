//! Statements reading groups and their members.

use std::collections::HashMap;

use futures::TryStreamExt;
use sqlx::QueryBuilder;
use tabgov_mapping::GroupId;

use super::{Engine, Pool};
use crate::groups::Row;
use crate::{GroupRecord, Result, SiteKey};

/// The site's groups (not removed), by name, with their members (one query
/// for the groups, one for every membership).
pub(crate) async fn list_groups(pool: &Pool, site: SiteKey) -> Result<Vec<GroupRecord>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.content_url, g.id, g.name, g.domain, g.minimum_site_role, \
         g.grant_license_mode FROM groups g JOIN sites s ON s.id = g.site_id \
         WHERE g.site_id = $1 AND g.removed_at IS NULL AND s.last_success_run_id IS NOT NULL \
         ORDER BY g.name, g.id",
    )
    .bind(site)
    .fetch_all(pool)
    .await?;
    let mut groups: Vec<GroupRecord> = rows.into_iter().map(GroupRecord::from).collect();
    let index: HashMap<GroupId, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.clone(), i))
        .collect();
    let mut rows = sqlx::query_as::<_, (String, String)>(
        "SELECT g.id, a.name FROM memberships m \
         JOIN accounts a ON a.account_key = m.account_key \
         JOIN groups g ON g.group_key = m.group_key \
         WHERE m.site_id = $1 ORDER BY a.name",
    )
    .bind(site)
    .fetch(pool);
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
