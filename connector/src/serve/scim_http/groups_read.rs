//! `GET /Groups` and `GET /Groups/{id}`: the site's live groups from the
//! store as SCIM Groups, with their members unless the caller excludes
//! them (`excludedAttributes=members`, as Okta and Entra ID do when they
//! look a group up).

use axum::extract::{Path, RawQuery, State};
use serde_json::Value;
use tabgov_state::{GroupRecord, ScimKind};

use crate::serve::scim::filter_eval::{default_case_exact, matches, simple_equality};
use crate::serve::scim::group_resource::render_group;
use crate::serve::scim::list::{ListQuery, ListResponse};
use crate::serve::scim::{Filter, ScimError, ScimJson};
use crate::serve::scim_session::ScimSite;
use crate::serve::AppState;

use super::request::{query_pairs, store_error};

pub async fn list(
    State(state): State<AppState>,
    site: ScimSite,
    RawQuery(query): RawQuery,
) -> Result<ScimJson<ListResponse>, ScimError> {
    let pairs = query_pairs(query.as_deref());
    let q = ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let groups = candidates(&state, &site, q.filter.as_ref()).await?;
    // Members are rendered for the filter only when it looks at them, and
    // for the page only when the caller did not exclude them.
    let filter_members = q.filter.as_ref().is_some_and(names_members);
    let mut found = Vec::new();
    for group in &groups {
        let rendered = render(&state, &site, group, filter_members).await?;
        let keep = match &q.filter {
            Some(filter) => matches(filter, &rendered, &default_case_exact)?,
            None => true,
        };
        if keep {
            found.push((group, rendered));
        }
    }
    let probe = serde_json::json!({"id": "", "members": [{"value": ""}]});
    let page_members = q.attributes.apply(probe).get("members").is_some();
    let mut resources = Vec::new();
    for (group, rendered) in q.page(&found) {
        let rendered = if page_members && !filter_members {
            render(&state, &site, group, true).await?
        } else {
            rendered.clone()
        };
        resources.push(q.attributes.apply(rendered));
    }
    Ok(ScimJson::ok(ListResponse {
        total_results: found.len(),
        start_index: q.start_index,
        resources,
    }))
}

pub async fn get(
    State(state): State<AppState>,
    site: ScimSite,
    Path((_, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<ScimJson<Value>, ScimError> {
    let pairs = query_pairs(query.as_deref());
    let q = ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
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
        .list_groups(site.key)
        .await
        .map_err(store_error)?
        .into_iter()
        .find(|g| g.id.as_str() == id)
        .ok_or_else(|| ScimError::not_found(format!("no group {id:?} on this site")))
}

/// One group as a SCIM Group, its members listed when `with_members`.
pub async fn render(
    state: &AppState,
    site: &ScimSite,
    group: &GroupRecord,
    with_members: bool,
) -> Result<Value, ScimError> {
    let members = if with_members {
        state
            .store
            .group_members(site.key, &group.id)
            .await
            .map_err(store_error)?
    } else {
        Vec::new()
    };
    let mut rendered = render_group(group, &members, &site.base_url);
    let external = state
        .store
        .external_id(site.key, ScimKind::Group, group.id.as_str())
        .await
        .map_err(store_error)?;
    if let (Some(external), Value::Object(map)) = (external, &mut rendered) {
        map.insert("externalId".into(), external.into());
    }
    Ok(rendered)
}

/// The groups a filter can match: by name or id when it asks for one.
async fn candidates(
    state: &AppState,
    site: &ScimSite,
    filter: Option<&Filter>,
) -> Result<Vec<GroupRecord>, ScimError> {
    let all = state
        .store
        .list_groups(site.key)
        .await
        .map_err(store_error)?;
    let Some((path, value)) = filter.and_then(simple_equality) else {
        return Ok(all);
    };
    if path.is_attr("displayName") {
        return Ok(all
            .into_iter()
            .filter(|g| g.name.eq_ignore_ascii_case(value))
            .collect());
    }
    if path.is_attr("id") {
        return Ok(all.into_iter().filter(|g| g.id.as_str() == value).collect());
    }
    Ok(all)
}

/// True when the filter looks at members (they must then be rendered).
fn names_members(filter: &Filter) -> bool {
    match filter {
        Filter::Compare { path, .. } | Filter::Present(path) => {
            path.name.eq_ignore_ascii_case("members")
        }
        Filter::ValuePath { path, .. } => path.name.eq_ignore_ascii_case("members"),
        Filter::And(a, b) | Filter::Or(a, b) => names_members(a) || names_members(b),
        Filter::Not(f) => names_members(f),
    }
}
