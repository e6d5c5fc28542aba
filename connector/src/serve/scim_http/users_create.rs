//! `POST /Users`: adds the user to the site (Tableau's Add User to Site,
//! then Update User for the full name and email) with the extension's
//! `siteRole` or the site's default, journalled; a user created with
//! `active: false` is then suspended through the action engine.

use axum::extract::State;
use axum::Extension;
use serde_json::Value;
use tabgov_mapping::AccountStatus;
use tabgov_state::ScimKind;

use crate::actions::provision::{add_user, NewSiteUser};
use crate::actions::{run_batch, scopes, TargetRequest, Verb};
use crate::credentials::Scope;
use crate::serve::auth::Caller;
use crate::serve::scim::user_resource::parse_new_user;
use crate::serve::scim::{ScimError, ScimJson};
use crate::serve::scim_session::ScimSite;
use crate::serve::AppState;

use super::request::{actor, from_library, store_error, ScimBody};
use super::users_read::{live_account, render_one};
use super::users_write::check_result;

pub async fn create(
    State(state): State<AppState>,
    site: ScimSite,
    Extension(caller): Extension<Caller>,
    ScimBody(body): ScimBody,
) -> Result<ScimJson<Value>, ScimError> {
    let user = parse_new_user(&body)?;
    let taken = state
        .store
        .find_accounts(site.key, &user.user_name)
        .await
        .map_err(store_error)?
        .into_iter()
        .any(|r| {
            r.status != AccountStatus::Deprovisioned
                && r.account.name.eq_ignore_ascii_case(&user.user_name)
        });
    if taken {
        return Err(ScimError::conflict_uniqueness(format!(
            "a user named {:?} is already on the site",
            user.user_name
        )));
    }
    let policy = &site.handle.site.scim;
    let new = NewSiteUser {
        name: user.user_name.clone(),
        site_role: user
            .site_role
            .clone()
            .unwrap_or_else(|| policy.default_role.clone()),
        full_name: user.display_name.clone(),
        email: user.email.clone(),
        auth_setting: None,
    };
    let mut needed: Vec<Scope> = scopes::ADD_USER.to_vec();
    if !user.active {
        needed.extend_from_slice(scopes::SUSPEND);
    }
    let mut session = site.session(&state, &needed).await.map_err(from_library)?;
    let outcome = async {
        let ctx = session.context(&state, &actor(&caller)).await?;
        let added = add_user(&ctx, new).await?;
        let suspended = if user.active {
            None
        } else {
            let request = TargetRequest::new(added.account.id.as_str(), Verb::Suspend);
            run_batch(&ctx, vec![request]).await?.pop()
        };
        Ok::<_, crate::Error>((added, suspended))
    }
    .await;
    session.close().await;
    let (added, suspended) = outcome.map_err(from_library)?;
    if let Some(result) = suspended {
        check_result(&result)?;
    }
    let id = added.account.id.as_str().to_owned();
    if let Some(external_id) = &user.external_id {
        state
            .store
            .set_external_id(site.key, ScimKind::User, &id, Some(external_id))
            .await
            .map_err(store_error)?;
    }
    let record = live_account(&state, &site, &id).await?;
    let rendered = render_one(&state, &site, &record).await?;
    let location = format!("{}/Users/{id}", site.base_url);
    Ok(ScimJson::created(rendered, location))
}
