//! `GET /Users` and `GET /Users/{id}`: accounts still on the site, from the
//! store, as SCIM Users. The filters identity providers send to find one
//! user (`userName eq`, `externalId eq`, `id eq`) are answered from an
//! index; any other filter is evaluated over the site's rendered users.

use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use serde_json::Value;
use tabgov_mapping::{AccountStatus, GroupId, UserId, ALL_USERS};
use tabgov_state::{AccountFilter, AccountRecord, ScimKind};

use crate::serve::scim::filter_eval::simple_equality;
use crate::serve::scim::list::ListResponse;
use crate::serve::scim::user_resource::render_user;
use crate::serve::scim::{Filter, ScimError, ScimJson};
use crate::serve::scim_session::ScimSite;
use crate::serve::AppState;

use super::request::{list_query, store_error};

pub async fn list(
    State(state): State<AppState>,
    site: ScimSite,
    RawQuery(query): RawQuery,
) -> Result<ScimJson<ListResponse>, ScimError> {
    let q = list_query(query.as_deref())?;
    let Some(filter) = &q.filter else {
        let total = state
            .store
            .count_site_accounts(site.key)
            .await
            .map_err(store_error)? as usize;
        let filter = AccountFilter {
            site: Some(site.key),
            group: Some(ALL_USERS.to_owned()),
            offset: Some(u32::try_from(q.offset()).unwrap_or(u32::MAX)),
            limit: Some(q.count as u32),
            ..AccountFilter::default()
        };
        let records = state
            .store
            .list_accounts(&filter)
            .await
            .map_err(store_error)?;
        let page = render_all(&state, &site, &records).await?;
        return Ok(ScimJson::ok(q.answer(total, page)));
    };
    let candidates = candidates(&state, &site, filter).await?;
    let rendered = render_all(&state, &site, &candidates).await?;
    Ok(ScimJson::ok(q.answer_filtered(rendered)?))
}

pub async fn get(
    State(state): State<AppState>,
    site: ScimSite,
    Path((_, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<ScimJson<Value>, ScimError> {
    let q = list_query(query.as_deref())?;
    let record = live_account(&state, &site, &id).await?;
    let user = render_one(&state, &site, &record).await?;
    Ok(ScimJson::ok(q.attributes.apply(user)))
}

/// The account `id` names, if it is still on the site; else 404.
pub async fn live_account(
    state: &AppState,
    site: &ScimSite,
    id: &str,
) -> Result<AccountRecord, ScimError> {
    state
        .store
        .account(site.key, &UserId::from(id.to_owned()))
        .await
        .map_err(store_error)?
        .filter(|r| r.status != AccountStatus::Deprovisioned)
        .ok_or_else(|| ScimError::not_found(format!("no user {id:?} on this site")))
}

/// One account as a SCIM User.
pub async fn render_one(
    state: &AppState,
    site: &ScimSite,
    record: &AccountRecord,
) -> Result<Value, ScimError> {
    let mut users = render_all(state, site, std::slice::from_ref(record)).await?;
    Ok(users.pop().expect("one record renders one user"))
}

/// Accounts as SCIM Users, with their external ids and group references
/// read in one query each.
async fn render_all(
    state: &AppState,
    site: &ScimSite,
    records: &[AccountRecord],
) -> Result<Vec<Value>, ScimError> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = records
        .iter()
        .map(|r| r.account.id.as_str().to_owned())
        .collect();
    let external = state
        .store
        .external_ids(site.key, ScimKind::User, &ids)
        .await
        .map_err(store_error)?;
    let groups: HashMap<String, GroupId> = state
        .store
        .group_index(site.key)
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|(id, name)| (name, id))
        .collect();
    Ok(records
        .iter()
        .map(|r| {
            let refs: Vec<(GroupId, String)> = r
                .groups
                .iter()
                .filter_map(|name| groups.get(name).map(|id| (id.clone(), name.clone())))
                .collect();
            let external_id = external.get(r.account.id.as_str()).map(String::as_str);
            render_user(r, external_id, &refs, &site.base_url)
        })
        .collect())
}

/// The accounts a filter can match: by index for the look-ups identity
/// providers make, else every account still on the site.
async fn candidates(
    state: &AppState,
    site: &ScimSite,
    filter: &Filter,
) -> Result<Vec<AccountRecord>, ScimError> {
    let store = &state.store;
    let live = |r: &AccountRecord| r.status != AccountStatus::Deprovisioned;
    if let Some((path, value)) = simple_equality(filter) {
        if path.is_attr("userName") {
            let found = store
                .find_accounts(site.key, value)
                .await
                .map_err(store_error)?;
            return Ok(found
                .into_iter()
                .filter(|r| live(r) && r.account.name.eq_ignore_ascii_case(value))
                .collect());
        }
        if path.is_attr("id") || path.is_attr("externalId") {
            let ids = if path.is_attr("id") {
                vec![value.to_owned()]
            } else {
                store
                    .find_by_external_id(site.key, ScimKind::User, value)
                    .await
                    .map_err(store_error)?
            };
            let mut found = Vec::new();
            for id in ids {
                if let Some(r) = store
                    .account(site.key, &UserId::from(id))
                    .await
                    .map_err(store_error)?
                    .filter(live)
                {
                    found.push(r);
                }
            }
            return Ok(found);
        }
    }
    let filter = AccountFilter {
        site: Some(site.key),
        group: Some(ALL_USERS.to_owned()),
        ..AccountFilter::default()
    };
    store.list_accounts(&filter).await.map_err(store_error)
}
