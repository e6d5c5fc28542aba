//! A SCIM User (RFC 7643 §4.1) rendered from the store's record of a
//! Tableau account, and a User body (POST, PUT) read into what Tableau can
//! be told: a sign-in name, a full name, an email, a site role.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use tabgov_mapping::{AccountStatus, GroupId, SiteRole};
use tabgov_state::AccountRecord;

use super::values::{assignable_site_role, get_ci, require_bool, require_string, scim_bool};
use super::{ScimError, TABLEAU_USER_SCHEMA, USER_SCHEMA};

/// A User body of a POST or PUT, as Tableau will be asked to hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The sign-in name; required.
    pub user_name: String,
    /// The full name: `displayName`, else `name.formatted`, else the given
    /// and family names joined.
    pub display_name: Option<String>,
    /// The primary email, else the first.
    pub email: Option<String>,
    /// `false` asks for a suspended (Unlicensed) account; absent is `true`.
    pub active: bool,
    /// From the tabgov extension; `None` leaves the choice to the route
    /// (the site's default role).
    pub site_role: Option<SiteRole>,
    pub external_id: Option<String>,
}

/// SCIM's timestamp form: RFC 3339, seconds, `Z`.
pub(super) fn timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The user `record` as a SCIM User. `external_id` is the identity
/// provider's id the service keeps beside the account; `groups` are the
/// groups the account is in (id, name); `base_url` is
/// `https://host/scim/v2/{site}`, without a trailing slash.
///
/// `active` is false for a suspended (Unlicensed) or deprovisioned account.
/// The store keeps no modification time, so `meta.lastModified` is when
/// tabgov last saw the account as it is: the deprovisioning, else the last
/// sync that listed it, else its first sighting.
pub fn render_user(
    record: &AccountRecord,
    external_id: Option<&str>,
    groups: &[(GroupId, String)],
    base_url: &str,
) -> Value {
    let account = &record.account;
    let id = account.id.as_str();
    let mut user = Map::new();
    user.insert("schemas".into(), json!([USER_SCHEMA, TABLEAU_USER_SCHEMA]));
    user.insert("id".into(), id.into());
    if let Some(external_id) = external_id {
        user.insert("externalId".into(), external_id.into());
    }
    user.insert("userName".into(), account.name.as_str().into());
    if let Some(full_name) = account.full_name.as_deref().filter(|n| !n.is_empty()) {
        user.insert("name".into(), json!({ "formatted": full_name }));
        user.insert("displayName".into(), full_name.into());
    }
    if let Some(email) = account.email.as_deref().filter(|e| !e.is_empty()) {
        user.insert("emails".into(), json!([{ "value": email, "type": "work" }]));
    }
    user.insert(
        "active".into(),
        (record.status == AccountStatus::Active).into(),
    );
    if !groups.is_empty() {
        let refs: Vec<Value> = groups
            .iter()
            .map(|(gid, name)| {
                json!({
                    "value": gid.as_str(),
                    "display": name,
                    "$ref": format!("{base_url}/Groups/{gid}"),
                    "type": "direct",
                })
            })
            .collect();
        user.insert("groups".into(), refs.into());
    }
    let last_modified = record
        .deprovisioned_at
        .or(record.last_seen)
        .unwrap_or(record.first_seen);
    user.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": timestamp(&record.first_seen),
            "lastModified": timestamp(&last_modified),
            "location": format!("{base_url}/Users/{id}"),
        }),
    );
    let mut tableau = Map::new();
    tableau.insert("siteRole".into(), account.site_role.as_str().into());
    tableau.insert("license".into(), record.license.as_str().into());
    tableau.insert("status".into(), record.status.as_str().into());
    if let Some(last_login) = &account.last_login {
        tableau.insert("lastLogin".into(), timestamp(last_login).into());
    }
    tableau.insert("ownedContent".into(), record.owned.total().into());
    user.insert(TABLEAU_USER_SCHEMA.into(), tableau.into());
    Value::Object(user)
}

/// The full name a `name` object carries: `formatted`, else the given
/// and family names joined by a space. Non-strings are 400 invalidValue.
pub(super) fn full_name_of(name: &Map<String, Value>) -> Result<Option<String>, ScimError> {
    let part =
        |key: &str| -> Result<Option<String>, ScimError> {
            match get_ci(name, key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => Ok(Some(require_string(v, &format!("name.{key}"))?)
                    .filter(|s| !s.trim().is_empty())),
            }
        };
    if let Some(formatted) = part("formatted")? {
        return Ok(Some(formatted));
    }
    let joined = [part("givenName")?, part("familyName")?]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Some(joined).filter(|s| !s.is_empty()))
}

/// The address of an `emails` array: the element marked primary, else the
/// first. 400 invalidValue when it is not an array of `{value}` objects.
pub(super) fn primary_email(emails: &Value) -> Result<Option<String>, ScimError> {
    let bad = || ScimError::invalid_value("emails must be an array of {\"value\": ...} objects");
    let items = match emails {
        Value::Null => return Ok(None),
        Value::Array(items) => items,
        _ => return Err(bad()),
    };
    let mut objects = Vec::with_capacity(items.len());
    for item in items {
        objects.push(item.as_object().ok_or_else(bad)?);
    }
    let chosen = objects
        .iter()
        .find(|o| get_ci(o, "primary").and_then(scim_bool) == Some(true))
        .or(objects.first());
    match chosen.and_then(|o| get_ci(o, "value")) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => Ok(Some(require_string(v, "emails.value")?).filter(|e| !e.is_empty())),
    }
}

/// Reads a User body of a POST or PUT. Read-only attributes (`id`,
/// `meta`, `groups`) and attributes tabgov does not keep are ignored, as
/// RFC 7644 §3.3 lets a service provider do.
pub fn parse_new_user(body: &Value) -> Result<NewUser, ScimError> {
    let Value::Object(user) = body else {
        return Err(ScimError::invalid_syntax("a User must be a JSON object"));
    };
    if let Some(schemas) = get_ci(user, "schemas") {
        let names_user = schemas.as_array().is_some_and(|s| {
            s.iter().any(|s| {
                s.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(USER_SCHEMA))
            })
        });
        if !names_user {
            return Err(ScimError::invalid_syntax(format!(
                "schemas must be an array containing {USER_SCHEMA}"
            )));
        }
    }
    let user_name = match get_ci(user, "userName") {
        None | Some(Value::Null) => None,
        Some(v) => Some(require_string(v, "userName")?),
    }
    .filter(|n| !n.trim().is_empty())
    .ok_or_else(|| ScimError::invalid_value("userName is required and cannot be empty"))?;
    let display_name = match get_ci(user, "displayName") {
        None | Some(Value::Null) => None,
        Some(v) => Some(require_string(v, "displayName")?).filter(|n| !n.trim().is_empty()),
    };
    let display_name = match (display_name, get_ci(user, "name")) {
        (Some(name), _) => Some(name),
        (None, None | Some(Value::Null)) => None,
        (None, Some(Value::Object(name))) => full_name_of(name)?,
        (None, Some(_)) => return Err(ScimError::invalid_value("name must be an object")),
    };
    let email = match get_ci(user, "emails") {
        None => None,
        Some(emails) => primary_email(emails)?,
    };
    let active = match get_ci(user, "active") {
        None | Some(Value::Null) => true,
        Some(v) => require_bool(v, "active")?,
    };
    let site_role = match get_ci(user, TABLEAU_USER_SCHEMA) {
        None | Some(Value::Null) => None,
        Some(Value::Object(extension)) => match get_ci(extension, "siteRole") {
            None | Some(Value::Null) => None,
            Some(role) => Some(assignable_site_role(role)?),
        },
        Some(_) => {
            return Err(ScimError::invalid_value(format!(
                "{TABLEAU_USER_SCHEMA} must be an object"
            )))
        }
    };
    let external_id = match get_ci(user, "externalId") {
        None | Some(Value::Null) => None,
        Some(v) => Some(require_string(v, "externalId")?).filter(|e| !e.is_empty()),
    };
    Ok(NewUser {
        user_name,
        display_name,
        email,
        active,
        site_role,
        external_id,
    })
}

#[cfg(test)]
#[path = "user_resource_tests.rs"]
mod tests;
