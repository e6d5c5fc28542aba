//! `PATCH`, `PUT` and `DELETE /Users/{id}`: each a tabgov action through
//! the one action engine (journalled, under the site's lock, with the
//! safety rules), answered with the user as the store holds it afterwards.
//! `active: false` suspends, `active: true` restores, DELETE deprovisions
//! under the site's content policy and the removal guard.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::Value;
use tabgov_mapping::{AccountStatus, OnContent};
use tabgov_state::{AccountRecord, ScimKind};

use crate::actions::provision::update_user;
use crate::actions::{run_batch, scopes, ActionResult, Outcome, TargetRequest, Verb};
use crate::credentials::Scope;
use crate::serve::auth::Caller;
use crate::serve::removal_guard::{allow_removal, GuardError};
use crate::serve::scim::user_patch::{parse_user_patch, UserChanges};
use crate::serve::scim::user_resource::parse_new_user;
use crate::serve::scim::{ScimError, ScimJson};
use crate::serve::scim_session::ScimSite;
use crate::serve::{AppState, DeleteOnContent};

use super::profile::profile_update;
use super::request::{actor, from_library, store_error, ScimBody};
use super::users_read::{live_account, render_one};

pub async fn patch(
    State(state): State<AppState>,
    site: ScimSite,
    Extension(caller): Extension<Caller>,
    Path((_, id)): Path<(String, String)>,
    ScimBody(body): ScimBody,
) -> Result<ScimJson<Value>, ScimError> {
    let record = live_account(&state, &site, &id).await?;
    let changes = parse_user_patch(&body)?;
    apply(&state, &site, &caller, &record, changes).await
}

pub async fn put(
    State(state): State<AppState>,
    site: ScimSite,
    Extension(caller): Extension<Caller>,
    Path((_, id)): Path<(String, String)>,
    ScimBody(body): ScimBody,
) -> Result<ScimJson<Value>, ScimError> {
    let record = live_account(&state, &site, &id).await?;
    let user = parse_new_user(&body)?;
    if !user.user_name.eq_ignore_ascii_case(&record.account.name) {
        return Err(ScimError::mutability(format!(
            "userName cannot change ({:?} to {:?}): Tableau does not rename users",
            record.account.name, user.user_name
        )));
    }
    // A replace sets every supported attribute: one absent is removed.
    let changes = UserChanges {
        active: Some(user.active),
        user_name: None,
        display_name: Some(user.display_name.unwrap_or_default()),
        email: Some(user.email.unwrap_or_default()),
        site_role: user.site_role,
        external_id: Some(user.external_id),
    };
    apply(&state, &site, &caller, &record, changes).await
}

/// Carries out `changes` on `record`'s user: profile first (name, email,
/// role), then `active`, then the external id; answers the user as the
/// store holds it afterwards.
async fn apply(
    state: &AppState,
    site: &ScimSite,
    caller: &Caller,
    record: &AccountRecord,
    changes: UserChanges,
) -> Result<ScimJson<Value>, ScimError> {
    if let Some(name) = &changes.user_name {
        if !name.eq_ignore_ascii_case(&record.account.name) {
            return Err(ScimError::mutability(
                "userName cannot change: Tableau does not rename users",
            ));
        }
    }
    let update = profile_update(record, &changes);
    let activity = match changes.active {
        Some(false) if record.status == AccountStatus::Active => Some(Verb::Suspend),
        Some(true) if record.status == AccountStatus::Suspended => Some(Verb::Restore),
        _ => None,
    };
    if update.is_some() || activity.is_some() {
        let policy = &site.handle.site.scim;
        let request = activity.map(|verb| TargetRequest {
            sticky: verb == Verb::Suspend && policy.sticky_suspend,
            ..TargetRequest::new(record.account.id.as_str(), verb)
        });
        let mut needed: Vec<Scope> = request.iter().flat_map(scopes::for_request).collect();
        needed.extend_from_slice(scopes::UPDATE_USER);
        let mut session = site.session(state, &needed).await.map_err(from_library)?;
        let outcome = async {
            let ctx = session.context(state, &actor(caller)).await?;
            if let Some(update) = update {
                update_user(&ctx, &record.account.id, update).await?;
            }
            match request {
                Some(request) => run_batch(&ctx, vec![request]).await.map(|mut r| r.pop()),
                None => Ok(None),
            }
        }
        .await;
        session.close().await;
        if let Some(result) = outcome.map_err(from_library)? {
            check_result(&result)?;
        }
    }
    if let Some(external_id) = &changes.external_id {
        state
            .store
            .set_external_id(
                site.key,
                ScimKind::User,
                record.account.id.as_str(),
                external_id.as_deref(),
            )
            .await
            .map_err(store_error)?;
    }
    let now = live_account(state, site, record.account.id.as_str()).await?;
    Ok(ScimJson::ok(render_one(state, site, &now).await?))
}

/// An action's result as an answer: done (or nothing to do) passes; a
/// safety rule's refusal is 409, Tableau's failure 502, each with the
/// action's own sentence.
pub(super) fn check_result(result: &ActionResult) -> Result<(), ScimError> {
    match result.result {
        Outcome::Completed | Outcome::Noop | Outcome::Planned => Ok(()),
        Outcome::Refused | Outcome::Kept => Err(ScimError::new(
            StatusCode::CONFLICT,
            None,
            result.detail.clone(),
        )),
        Outcome::Failed => Err(ScimError::new(
            StatusCode::BAD_GATEWAY,
            None,
            match &result.tableau_code {
                Some(code) => format!("{} (Tableau error {code})", result.detail),
                None => result.detail.clone(),
            },
        )),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    site: ScimSite,
    Extension(caller): Extension<Caller>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, ScimError> {
    let record = live_account(&state, &site, &id).await?;
    allow_removal(&state, &site).await.map_err(|e| match e {
        GuardError::Exceeded(exceeded) => ScimError::unavailable(exceeded.message()),
        GuardError::Store(e) => ScimError::internal(format!("cannot count removals: {e}")),
    })?;
    let policy = &site.handle.site.scim;
    let mut request = TargetRequest::new(record.account.id.as_str(), Verb::Deprovision);
    match policy.on_content {
        DeleteOnContent::Refuse => request.on_content = OnContent::Refuse,
        DeleteOnContent::Suspend => {
            request.on_content = OnContent::Suspend;
            request.sticky = policy.sticky_suspend;
        }
        DeleteOnContent::Transfer => request.transfer_to = policy.transfer_to.clone(),
    }
    let needed = scopes::for_request(&request);
    let mut session = site.session(&state, &needed).await.map_err(from_library)?;
    let outcome = async {
        let ctx = session.context(&state, &actor(&caller)).await?;
        run_batch(&ctx, vec![request]).await
    }
    .await;
    session.close().await;
    let result = outcome
        .map_err(from_library)?
        .pop()
        .ok_or_else(|| ScimError::internal("the removal produced no result"))?;
    match (result.result, result.action) {
        (Outcome::Completed | Outcome::Noop, Verb::Deprovision) => {
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        // Suspended instead, or kept by Tableau: the user is not gone.
        (Outcome::Completed | Outcome::Noop | Outcome::Kept, _) => Err(ScimError::new(
            StatusCode::CONFLICT,
            None,
            format!("not removed: {}", result.detail),
        )),
        (Outcome::Refused, _) if !result.owned_items.is_empty() => Err(ScimError::new(
            StatusCode::CONFLICT,
            None,
            format!(
                "{}; owned content: {}",
                result.detail,
                result.owned_items.join(", ")
            ),
        )),
        _ => check_result(&result).map(|()| StatusCode::NO_CONTENT.into_response()),
    }
}
