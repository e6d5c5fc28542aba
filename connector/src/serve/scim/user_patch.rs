//! A PATCH of a user read into the changes Tableau can make: active (a
//! suspension or a restore), sign-in name, full name, email, site role and
//! the identity provider's external id. `active` may come as `"False"`
//! (Entra ID), the full name as `displayName`, `name.formatted` or a
//! `name` object, the email as a list or a filtered path.

use serde_json::Value;
use tabgov_mapping::SiteRole;

use super::filter::{AttrPath, PatchPath};
use super::patch::{apply_operations, read_only, Op};
use super::user_resource::{full_name_of, primary_email};
use super::values::{assignable_site_role, require_bool, require_string};
use super::{ScimError, ENTERPRISE_USER_SCHEMA, TABLEAU_USER_SCHEMA};

/// What a PATCH of a user asks to change; `None` leaves an attribute as
/// it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChanges {
    pub active: Option<bool>,
    pub user_name: Option<String>,
    /// The full name (`displayName` or `name.formatted`); `Some("")` when
    /// removed.
    pub display_name: Option<String>,
    /// `Some("")` when removed.
    pub email: Option<String>,
    pub site_role: Option<SiteRole>,
    /// `Some(None)` when removed.
    pub external_id: Option<Option<String>>,
}

impl UserChanges {
    /// True when the PATCH changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == UserChanges::default()
    }
}

/// Reads a PATCH of a user.
pub fn parse_user_patch(body: &Value) -> Result<UserChanges, ScimError> {
    let mut changes = UserChanges::default();
    apply_operations(body, |op, path, value| {
        set_user(&mut changes, op, path, value)
    })?;
    Ok(changes)
}

const USER_ATTRIBUTES: &str =
    "userName, displayName, name.formatted, emails, active, externalId and the extension's siteRole";

fn unsupported(attr: &AttrPath) -> ScimError {
    ScimError::invalid_path(format!(
        "tabgov cannot change {attr}; it supports {USER_ATTRIBUTES}"
    ))
}

/// Attributes of RFC 7643's User schema that Tableau has no field for.
const LEFT_OUT: &[&str] = &[
    "nickname",
    "profileurl",
    "title",
    "usertype",
    "preferredlanguage",
    "locale",
    "timezone",
    "password",
    "phonenumbers",
    "ims",
    "photos",
    "addresses",
    "entitlements",
    "roles",
    "x509certificates",
];

/// Parts of `name` other than `formatted`: the full name comes from
/// `displayName` or `name.formatted`; a part alone cannot change it.
const NAME_PARTS: &[&str] = &[
    "givenname",
    "familyname",
    "middlename",
    "honorificprefix",
    "honorificsuffix",
];

/// True for a standard attribute Tableau cannot hold (the core User's
/// listed above, any of the enterprise extension's): identity providers
/// map several by default (Entra ID: title, phone numbers, addresses,
/// department, manager), and an update that also deactivates must not be
/// refused for them, so they are accepted and left out.
fn left_out(attr: &AttrPath) -> bool {
    if attr
        .schema
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(ENTERPRISE_USER_SCHEMA))
    {
        return true;
    }
    if !attr.is_core() {
        return false;
    }
    let name = attr.name.to_ascii_lowercase();
    LEFT_OUT.contains(&name.as_str())
        || (name == "name"
            && attr
                .sub
                .as_deref()
                .is_some_and(|sub| NAME_PARTS.contains(&sub.to_ascii_lowercase().as_str())))
}

/// The string a path's value must be; `None` for a removal.
fn string_or_removed(value: Option<&Value>, attr: &AttrPath) -> Result<Option<String>, ScimError> {
    value
        .map(|v| require_string(v, &attr.to_string()))
        .transpose()
}

fn set_user(
    changes: &mut UserChanges,
    op: Op,
    path: &PatchPath,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let attr = &path.attr;
    // A null value (`{"externalId": null}`) removes, as RFC 7644 §3.5.2.3 says.
    let value = if op == Op::Remove {
        None
    } else {
        value.filter(|v| !v.is_null())
    };
    if left_out(attr) {
        return Ok(());
    }
    let tableau = attr
        .schema
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(TABLEAU_USER_SCHEMA));
    if !attr.is_core() && !tableau {
        return Err(unsupported(attr));
    }
    let dotted = attr.dotted();
    if path.filter.is_some() && !(attr.is_core() && attr.name.eq_ignore_ascii_case("emails")) {
        return Err(ScimError::invalid_path(format!(
            "{attr}: a value filter is supported on emails only"
        )));
    }
    if tableau {
        return match dotted.as_str() {
            "siterole" => match value {
                Some(role) => {
                    changes.site_role = Some(assignable_site_role(role)?);
                    Ok(())
                }
                None => Err(ScimError::invalid_value(
                    "siteRole cannot be removed; replace it (Unlicensed takes the licence away)",
                )),
            },
            "license" | "status" | "lastlogin" | "ownedcontent" => Err(read_only(attr)),
            _ => Err(unsupported(attr)),
        };
    }
    match dotted.as_str() {
        "id" | "meta" | "schemas" => Err(read_only(attr)),
        d if d.starts_with("meta.") => Err(read_only(attr)),
        "groups" => Err(ScimError::mutability(
            "groups is read-only: change memberships through the Group",
        )),
        "active" => match value {
            Some(v) => {
                changes.active = Some(require_bool(v, "active")?);
                Ok(())
            }
            None => Err(ScimError::invalid_value(
                "active cannot be removed; replace it with false",
            )),
        },
        "username" => match string_or_removed(value, attr)? {
            Some(name) if !name.trim().is_empty() => {
                changes.user_name = Some(name);
                Ok(())
            }
            _ => Err(ScimError::invalid_value(
                "userName is required and cannot be removed or empty",
            )),
        },
        "displayname" | "name.formatted" => {
            changes.display_name = Some(string_or_removed(value, attr)?.unwrap_or_default());
            Ok(())
        }
        "name" => {
            let full = match value {
                None => String::new(),
                Some(Value::Object(name)) => full_name_of(name)?.unwrap_or_default(),
                Some(_) => return Err(ScimError::invalid_value("name must be an object")),
            };
            changes.display_name = Some(full);
            Ok(())
        }
        "emails" | "emails.value" => {
            changes.email = Some(email_value(value, path.filter.is_some(), attr)?);
            Ok(())
        }
        // The one email is always the primary work address.
        "emails.type" | "emails.primary" => Ok(()),
        "externalid" => {
            changes.external_id = Some(string_or_removed(value, attr)?.filter(|id| !id.is_empty()));
            Ok(())
        }
        _ => Err(unsupported(attr)),
    }
}

/// The address a value for `emails`, `emails.value` or `emails[filter]`
/// carries; empty for a removal.
fn email_value(
    value: Option<&Value>,
    filtered: bool,
    attr: &AttrPath,
) -> Result<String, ScimError> {
    let Some(value) = value else {
        return Ok(String::new());
    };
    let email = match (attr.sub.is_some(), value) {
        (true, v) => Some(require_string(v, "emails.value")?),
        (false, Value::Array(_)) => primary_email(value)?,
        // `emails[type eq "work"]` with one element's object.
        (false, Value::Object(_)) if filtered => primary_email(&Value::Array(vec![value.clone()]))?,
        (false, _) => {
            return Err(ScimError::invalid_value(
                "emails must be an array of {\"value\": ...} objects",
            ))
        }
    };
    Ok(email.unwrap_or_default())
}

#[cfg(test)]
#[path = "user_patch_tests.rs"]
mod tests;
