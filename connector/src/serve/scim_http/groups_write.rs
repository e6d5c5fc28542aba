//! `POST`, `PATCH`, `PUT` and `DELETE /Groups`: local groups created and
//! deleted, members added (Add User to Group) and removed (the action
//! engine's journalled membership removal). Groups synchronised from a
//! directory are read-only: a change made in Tableau would be undone by
//! the next directory sync.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::Value;
use tabgov_mapping::{GroupId, UserId};
use tabgov_state::{GroupRecord, ScimKind};

use crate::actions::group_admin::{add_member, create_group, delete_group};
use crate::actions::remove_member::{remove_from_group, MembershipRequest};
use crate::actions::{scopes, ActionContext};
use crate::credentials::Scope;
use crate::serve::auth::Caller;
use crate::serve::scim::group_patch::{parse_group_patch, GroupChanges};
use crate::serve::scim::group_resource::parse_new_group;
use crate::serve::scim::{ScimError, ScimJson};
use crate::serve::scim_session::ScimSite;
use crate::serve::AppState;

use super::groups_read::{live_group, render};
use super::request::{actor, from_library, store_error, ScimBody};
use super::users_read::live_account;
use super::users_write::check_result;

pub async fn create(
    State(state): State<AppState>,
    site: ScimSite,
    Extension(caller): Extension<Caller>,
    ScimBody(body): ScimBody,
) -> Result<ScimJson<Value>, ScimError> {
    let new = parse_new_group(&body)?;
    let external_id = body
        .get("externalId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let taken = state
        .store
        .group_index(site.key)
        .await
        .map_err(store_error)?
        .into_iter()
        .any(|(_, name)| name.eq_ignore_ascii_case(&new.display_name));
    if taken {
        return Err(ScimError::conflict_uniqueness(format!(
            "a group named {:?} is already on the site",
            new.display_name
        )));
    }
    for member in &new.members {
        live_account(&state, &site, member).await?;
    }
    let needed = group_scopes(&[scopes::CREATE_GROUP, scopes::ADD_MEMBER]);
    let mut session = site.session(&state, &needed).await.map_err(from_library)?;
    let outcome = async {
        let ctx = session.context(&state, &actor(&caller)).await?;
        let group = create_group(&ctx, &new.display_name).await?;
        for member in &new.members {
            add_member(&ctx, &group.id, &UserId::from(member.clone())).await?;
        }
        Ok::<_, crate::Error>(group)
    }
    .await;
    session.close().await;
    let group = outcome.map_err(from_library)?;
    if let Some(external_id) = &external_id {
        state
            .store
            .set_external_id(
                site.key,
                ScimKind::Group,
                group.id.as_str(),
                Some(external_id),
            )
            .await
            .map_err(store_error)?;
    }
    let group = live_group(&state, &site, group.id.as_str()).await?;
    let rendered = render(&state, &site, &group, true).await?;
    let location = format!("{}/Groups/{}", site.base_url, group.id);
    Ok(ScimJson::created(rendered, location))
}

pub async fn patch(
    State(state): State<AppState>,
    site: ScimSite,
    Extension(caller): Extension<Caller>,
    Path((_, id)): Path<(String, String)>,
    ScimBody(body): ScimBody,
) -> Result<ScimJson<Value>, ScimError> {
    let group = writable_group(&state, &site, &id).await?;
    let changes = parse_group_patch(&body)?;
    apply(&state, &site, &caller, &group, changes).await
}

pub async fn put(
    State(state): State<AppState>,
    site: ScimSite,
    Extension(caller): Extension<Caller>,
    Path((_, id)): Path<(String, String)>,
    ScimBody(body): ScimBody,
) -> Result<ScimJson<Value>, ScimError> {
    let group = writable_group(&state, &site, &id).await?;
    let new = parse_new_group(&body)?;
    let external_id = body
        .get("externalId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let changes = GroupChanges {
        display_name: Some(new.display_name),
        replace_members: Some(new.members),
        external_id: Some(external_id),
        ..GroupChanges::default()
    };
    apply(&state, &site, &caller, &group, changes).await
}

pub async fn delete(
    State(state): State<AppState>,
    site: ScimSite,
    Extension(caller): Extension<Caller>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, ScimError> {
    let group = writable_group(&state, &site, &id).await?;
    let needed = group_scopes(&[scopes::DELETE_GROUP]);
    let mut session = site.session(&state, &needed).await.map_err(from_library)?;
    let outcome = async {
        let ctx = session.context(&state, &actor(&caller)).await?;
        delete_group(&ctx, &group.id).await
    }
    .await;
    session.close().await;
    outcome.map_err(from_library)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The live group `id`, if tabgov may change it: a local one.
async fn writable_group(
    state: &AppState,
    site: &ScimSite,
    id: &str,
) -> Result<GroupRecord, ScimError> {
    let group = live_group(state, site, id).await?;
    if group.directory_synced {
        return Err(ScimError::bad_request(
            crate::serve::scim::ScimType::Mutability,
            format!(
                "group {:?} is synchronised from the directory {:?}: change it there, not in Tableau",
                group.name,
                group.domain.as_deref().unwrap_or("")
            ),
        ));
    }
    Ok(group)
}

/// Carries out a group's changes: a rename is refused (Tableau keeps the
/// name), members are added, then removed.
async fn apply(
    state: &AppState,
    site: &ScimSite,
    caller: &Caller,
    group: &GroupRecord,
    changes: GroupChanges,
) -> Result<ScimJson<Value>, ScimError> {
    if let Some(name) = &changes.display_name {
        if name != &group.name {
            return Err(ScimError::mutability(format!(
                "displayName cannot change ({:?} to {:?}): rename the group in Tableau",
                group.name, name
            )));
        }
    }
    let now: BTreeSet<String> = state
        .store
        .group_members(site.key, &group.id)
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|(id, _)| id.as_str().to_owned())
        .collect();
    let (add, remove): (BTreeSet<String>, BTreeSet<String>) = match &changes.replace_members {
        Some(wanted) => {
            let wanted: BTreeSet<String> = wanted.iter().cloned().collect();
            (&wanted - &now, &now - &wanted)
        }
        None => (
            changes
                .add_members
                .iter()
                .filter(|m| !now.contains(*m))
                .cloned()
                .collect(),
            changes
                .remove_members
                .iter()
                .filter(|m| now.contains(*m))
                .cloned()
                .collect(),
        ),
    };
    for member in &add {
        live_account(state, site, member).await?;
    }
    if !add.is_empty() || !remove.is_empty() {
        let needed = group_scopes(&[scopes::ADD_MEMBER, scopes::REMOVE_MEMBER]);
        let mut session = site.session(state, &needed).await.map_err(from_library)?;
        let outcome = async {
            let ctx = session.context(state, &actor(caller)).await?;
            change_members(&ctx, group, &add, &remove).await
        }
        .await;
        session.close().await;
        outcome.map_err(from_library)??;
    }
    if let Some(external_id) = &changes.external_id {
        state
            .store
            .set_external_id(
                site.key,
                ScimKind::Group,
                group.id.as_str(),
                external_id.as_deref(),
            )
            .await
            .map_err(store_error)?;
    }
    let group = live_group(state, site, group.id.as_str()).await?;
    Ok(ScimJson::ok(render(state, site, &group, true).await?))
}

/// Adds then removes members; the first refused removal is the answer.
async fn change_members(
    ctx: &ActionContext<'_>,
    group: &GroupRecord,
    add: &BTreeSet<String>,
    remove: &BTreeSet<String>,
) -> crate::Result<Result<(), ScimError>> {
    for member in add {
        add_member(ctx, &group.id, &UserId::from(member.clone())).await?;
    }
    for member in remove {
        let request = MembershipRequest {
            user_id: UserId::from(member.clone()),
            group_id: GroupId::from(group.id.as_str().to_owned()),
            group_name: group.name.clone(),
            reason: None,
            ticket: None,
        };
        let result = remove_from_group(ctx, &request).await;
        if let Err(e) = check_result(&result) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(()))
}

/// The least scopes of a group write made of `parts`.
fn group_scopes(parts: &[&[Scope]]) -> Vec<Scope> {
    let mut scopes: Vec<Scope> = parts.concat();
    scopes.sort();
    scopes.dedup();
    scopes
}
