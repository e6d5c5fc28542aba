//! `GET /Groups` and `GET /Groups/{id}`: the site's live groups from the
//! store as SCIM Groups, with their members unless the caller excludes
//! them (`excludedAttributes=members`, as Okta and Entra ID do when they
//! look a group up). A listing reads only its page's groups, chosen from
//! the site's index of names, unless a filter needs every group rendered.

use axum::extract::{Path, RawQuery, State};
use serde_json::Value;
use tabgov_mapping::GroupId;
use tabgov_state::{GroupRecord, ScimKind};

use crate::serve::scim::filter_eval::simple_equality;
use crate::serve::scim::group_resource::render_group;
use crate::serve::scim::list::ListResponse;
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
    let probe = serde_json::json!({"id": "", "members": [{"value": ""}]});
    let with_members = q.attributes.apply(probe).get("members").is_some();
    // No filter, or one naming a group: the page is chosen from the index
    // of names, and only its groups are read.
    if let Some(ids) = indexed(&state, &site, q.filter.as_ref()).await? {
        let page: Vec<GroupId> = q.page(&ids).to_vec();
        let groups = state
            .store
            .groups_by_id(site.key, &page)
            .await
            .map_err(store_error)?;
        let rendered = render_all(&state, &site, &groups, with_members).await?;
        return Ok(ScimJson::ok(q.answer(ids.len(), rendered)));
    }
    // Any other filter is evaluated over every group, rendered.
    let groups = state
        .store
        .list_groups(site.key)
        .await
        .map_err(store_error)?;
    let rendered = render_all(&state, &site, &groups, true).await?;
    Ok(ScimJson::ok(q.answer_filtered(rendered)?))
}

pub async fn get(
    State(state): State<AppState>,
    site: ScimSite,
    Path((_, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<ScimJson<Value>, ScimError> {
    let q = list_query(query.as_deref())?;
    let group = live_group(&state, &site, &id).await?;
    let rendered = render(&state, &site, &group, true).await?;
    Ok(ScimJson::ok(q.attributes.apply(rendered)))
}

/// The live group `id` names; else 404.
pub async fn live_group(
    state: &AppState,
    site: &ScimSite,
    id: &str,
) -> Result<GroupRecord, ScimError> {
    state
        .store
        .groups_by_id(site.key, &[GroupId::from(id)])
        .await
        .map_err(store_error)?
        .pop()
        .ok_or_else(|| ScimError::not_found(format!("no group {id:?} on this site")))
}

/// One group as a SCIM Group, its members listed when `with_members`.
pub async fn render(
    state: &AppState,
    site: &ScimSite,
    group: &GroupRecord,
    with_members: bool,
) -> Result<Value, ScimError> {
    let mut rendered = render_all(state, site, std::slice::from_ref(group), with_members).await?;
    Ok(rendered.pop().expect("one group renders one resource"))
}

/// Groups as SCIM Groups, their external ids read in one query (members,
/// when listed, one query a group).
async fn render_all(
    state: &AppState,
    site: &ScimSite,
    groups: &[GroupRecord],
    with_members: bool,
) -> Result<Vec<Value>, ScimError> {
    let ids: Vec<String> = groups.iter().map(|g| g.id.as_str().to_owned()).collect();
    let external = state
        .store
        .external_ids(site.key, ScimKind::Group, &ids)
        .await
        .map_err(store_error)?;
    let mut rendered = Vec::with_capacity(groups.len());
    for group in groups {
        let members = if with_members {
            state
                .store
                .group_members(site.key, &group.id)
                .await
                .map_err(store_error)?
        } else {
            Vec::new()
        };
        let mut resource = render_group(group, &members, &site.base_url);
        if let (Some(external), Value::Object(map)) =
            (external.get(group.id.as_str()), &mut resource)
        {
            map.insert("externalId".into(), external.as_str().into());
        }
        rendered.push(resource);
    }
    Ok(rendered)
}

/// The ids of the groups a filter (or none) selects, in the listing's
/// order, when the index of names answers it: no filter, `displayName eq`
/// or `id eq`. `None` for any other filter.
async fn indexed(
    state: &AppState,
    site: &ScimSite,
    filter: Option<&Filter>,
) -> Result<Option<Vec<GroupId>>, ScimError> {
    /// What the index answers.
    enum Wanted<'a> {
        All,
        Name(&'a str),
        Id(&'a str),
    }
    let wanted = match filter.map(simple_equality) {
        None => Wanted::All,
        Some(Some((path, value))) if path.is_attr("displayName") => Wanted::Name(value),
        Some(Some((path, value))) if path.is_attr("id") => Wanted::Id(value),
        Some(_) => return Ok(None),
    };
    let index = state
        .store
        .group_index(site.key)
        .await
        .map_err(store_error)?;
    Ok(Some(
        index
            .into_iter()
            .filter(|(id, name)| match wanted {
                Wanted::All => true,
                Wanted::Name(value) => name.eq_ignore_ascii_case(value),
                Wanted::Id(value) => id.as_str() == value,
            })
            .map(|(id, _)| id)
            .collect(),
    ))
}
