//! Statements reading accounts for the command line and the reports.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, Utc};
use futures::TryStreamExt;
use sqlx::QueryBuilder;
use tabgov_mapping::{ContentKind, ALL_USERS};

use super::{Engine, Pool, DIALECT};
use crate::accounts::{Row, SELECT};
use crate::backend::Dialect;
use crate::owned::set_count;
use crate::{time, AccountFilter, AccountRecord, Error, Result, SiteKey};

/// Accounts matching `filter`, by site then name, with groups and owned
/// content attached (one query each, not one per account).
pub(crate) async fn list_accounts(
    pool: &Pool,
    filter: &AccountFilter,
) -> Result<Vec<AccountRecord>> {
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(SELECT);
    if let Some(site) = filter.site {
        qb.push(" AND a.site_id = ").push_bind(site);
    }
    if let Some(status) = filter.status {
        qb.push(" AND a.status = ").push_bind(status.as_str());
    }
    if let Some(license) = filter.license {
        qb.push(" AND a.license = ").push_bind(license.as_str());
    }
    if let Some(group) = &filter.group {
        if group.eq_ignore_ascii_case(ALL_USERS) {
            qb.push(" AND a.deprovisioned_at IS NULL");
        } else {
            qb.push(
                " AND EXISTS (SELECT 1 FROM memberships m JOIN groups g \
                 ON g.group_key = m.group_key \
                 WHERE m.account_key = a.account_key \
                 AND g.removed_at IS NULL AND LOWER(g.name) = LOWER(",
            )
            .push_bind(group.clone())
            .push("))");
        }
    }
    if let Some(days) = filter.inactive_days {
        let now = filter.now.unwrap_or_else(Utc::now);
        let cutoff = time::to_text(now - Duration::days(i64::from(days)));
        qb.push(" AND (a.last_login < ")
            .push_bind(cutoff.clone())
            .push(" OR (a.last_login IS NULL AND a.first_seen < ")
            .push_bind(cutoff)
            .push("))");
    }
    // Pages walk the (site_id, name, id) index: with one site by (name, id),
    // across sites by (site_id, name, id). Sorting by content URL would
    // sort every account of every site for each page.
    let paged = filter.after.is_some() || filter.limit.is_some() || filter.offset.is_some();
    match (&filter.after, filter.site.is_some()) {
        (Some(c), true) => {
            qb.push(" AND (a.name, a.id) > (")
                .push_bind(c.name.clone())
                .push(", ")
                .push_bind(c.id.clone())
                .push(")");
        }
        (Some(c), false) => {
            qb.push(" AND (a.site_id, a.name, a.id) > (")
                .push_bind(c.site)
                .push(", ")
                .push_bind(c.name.clone())
                .push(", ")
                .push_bind(c.id.clone())
                .push(")");
        }
        (None, _) => {}
    }
    if filter.site.is_some() {
        qb.push(" ORDER BY a.name, a.id");
    } else if paged {
        qb.push(" ORDER BY a.site_id, a.name, a.id");
    } else {
        qb.push(" ORDER BY s.content_url, a.name, a.id");
    }
    match (filter.limit, filter.offset) {
        (Some(limit), offset) => {
            qb.push(" LIMIT ").push_bind(i64::from(limit));
            if let Some(offset) = offset {
                qb.push(" OFFSET ").push_bind(i64::from(offset));
            }
        }
        // SQLite takes OFFSET only after a LIMIT; -1 is none on SQLite,
        // and PostgreSQL takes LIMIT ALL.
        (None, Some(offset)) => {
            qb.push(match DIALECT {
                Dialect::Sqlite => " LIMIT -1 OFFSET ",
                Dialect::Postgres => " LIMIT ALL OFFSET ",
            })
            .push_bind(i64::from(offset));
        }
        (None, None) => {}
    }
    fetch(pool, qb).await
}

/// One account by its Tableau id.
pub(crate) async fn account(pool: &Pool, site: SiteKey, id: &str) -> Result<Option<AccountRecord>> {
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(SELECT);
    qb.push(" AND a.site_id = ")
        .push_bind(site)
        .push(" AND a.id = ")
        .push_bind(id.to_owned());
    Ok(fetch(pool, qb).await?.pop())
}

/// Accounts named by `query`: its id, or its sign-in name or email compared
/// case-insensitively (as Tableau does). Several can match (a name equal to
/// another account's email), so the caller decides.
pub(crate) async fn find_accounts(
    pool: &Pool,
    site: SiteKey,
    query: &str,
) -> Result<Vec<AccountRecord>> {
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(SELECT);
    qb.push(" AND a.site_id = ")
        .push_bind(site)
        .push(" AND (a.id = ")
        .push_bind(query.to_owned())
        .push(" OR LOWER(a.name) = LOWER(")
        .push_bind(query.to_owned())
        .push(") OR LOWER(a.email) = LOWER(")
        .push_bind(query.to_owned())
        .push(")) ORDER BY a.deprovisioned_at IS NOT NULL, a.name, a.id");
    fetch(pool, qb).await
}

/// How many accounts of `site` are still on it (as of the last sync).
pub(crate) async fn count_site_accounts(pool: &Pool, site: SiteKey) -> Result<u64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM accounts WHERE site_id = $1 AND deprovisioned_at IS NULL",
    )
    .bind(site)
    .fetch_one(pool)
    .await?;
    Ok(u64::try_from(n).unwrap_or_default())
}

/// Up to this many accounts, groups and content are looked up by account id;
/// beyond it, for the whole of each site involved. As large as the service's
/// largest page, so a page never reads every membership of its site.
const BY_ID: usize = 1000;

async fn fetch(pool: &Pool, mut qb: QueryBuilder<'_, Engine>) -> Result<Vec<AccountRecord>> {
    let rows: Vec<Row> = qb.build_query_as().fetch_all(pool).await?;
    let mut records = rows
        .into_iter()
        .map(AccountRecord::try_from)
        .collect::<Result<Vec<_>>>()?;
    if records.is_empty() {
        return Ok(records);
    }
    let index: HashMap<(SiteKey, String), usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.site_key, r.account.id.as_str().to_owned()), i))
        .collect();
    let sites: BTreeSet<SiteKey> = records.iter().map(|r| r.site_key).collect();
    let ids: Option<Vec<String>> = (records.len() <= BY_ID).then(|| {
        records
            .iter()
            .map(|r| r.account.id.as_str().to_owned())
            .collect()
    });

    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
        "SELECT a.site_id, a.id, g.name FROM memberships m \
         JOIN accounts a ON a.account_key = m.account_key \
         JOIN groups g ON g.group_key = m.group_key AND g.removed_at IS NULL WHERE ",
    );
    scope(&mut qb, "a.site_id", "a.id", &sites, ids.as_deref());
    {
        let mut rows = qb.build_query_as::<(SiteKey, String, String)>().fetch(pool);
        while let Some((site, user, group)) = rows.try_next().await? {
            if let Some(&i) = index.get(&(site, user)) {
                records[i].groups.push(group);
            }
        }
    }

    let mut qb: QueryBuilder<Engine> =
        QueryBuilder::new("SELECT site_id, owner_id, kind, COUNT(*) FROM owned_content WHERE ");
    scope(&mut qb, "site_id", "owner_id", &sites, ids.as_deref());
    qb.push(" GROUP BY site_id, owner_id, kind");
    {
        let mut rows = qb
            .build_query_as::<(SiteKey, String, String, i64)>()
            .fetch(pool);
        while let Some((site, owner, kind, count)) = rows.try_next().await? {
            let Some(&i) = index.get(&(site, owner)) else {
                continue;
            };
            let kind = ContentKind::parse(&kind).ok_or_else(|| Error::Corrupt {
                what: "owned_content.kind",
                value: kind.clone(),
            })?;
            set_count(&mut records[i].owned, kind, count);
        }
    }

    for r in &mut records {
        r.groups.sort();
    }
    Ok(records)
}

/// `site_col IN (sites)` and, when given, `user_col IN (ids)`.
fn scope(
    qb: &mut QueryBuilder<'_, Engine>,
    site_col: &str,
    user_col: &str,
    sites: &BTreeSet<SiteKey>,
    ids: Option<&[String]>,
) {
    qb.push(site_col).push(" IN (");
    let mut list = qb.separated(", ");
    for site in sites {
        list.push_bind(*site);
    }
    qb.push(")");
    if let Some(ids) = ids {
        qb.push(" AND ").push(user_col).push(" IN (");
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(id.clone());
        }
        qb.push(")");
    }
}
