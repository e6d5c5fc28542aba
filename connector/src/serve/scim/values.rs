//! Reading the values identity providers send, as leniently as they need:
//! attribute names in any case, booleans as `"True"`/`"False"` (Entra ID),
//! and the site roles Tableau lets a SCIM client assign.

use serde_json::{Map, Value};
use tabgov_mapping::SiteRole;

use super::ScimError;

/// The site roles a SCIM client may set: the ones Tableau accepts when a
/// user is added or updated. Administrator roles of the server, support
/// and legacy roles are Tableau's own to give.
pub const ASSIGNABLE_ROLES: [SiteRole; 7] = [
    SiteRole::Creator,
    SiteRole::Explorer,
    SiteRole::ExplorerCanPublish,
    SiteRole::SiteAdministratorCreator,
    SiteRole::SiteAdministratorExplorer,
    SiteRole::Viewer,
    SiteRole::Unlicensed,
];

/// The value of `key` in `object`, the key matched in any case
/// (RFC 7643 §2.1: attribute names are case-insensitive).
pub fn get_ci<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// A boolean as JSON's `true`/`false` or as the strings Entra ID sends
/// (`"True"`, `"False"`, in any case).
pub fn scim_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// `value` as a boolean for the attribute `name`, else 400 invalidValue.
pub fn require_bool(value: &Value, name: &str) -> Result<bool, ScimError> {
    scim_bool(value).ok_or_else(|| {
        ScimError::invalid_value(format!("{name} must be true or false, not {value}"))
    })
}

/// `value` as a string for the attribute `name`, else 400 invalidValue.
pub fn require_string(value: &Value, name: &str) -> Result<String, ScimError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        other => Err(ScimError::invalid_value(format!(
            "{name} must be a string, not {other}"
        ))),
    }
}

/// A site role a SCIM client asked for: one of [`ASSIGNABLE_ROLES`] in any
/// letter case, else 400 invalidValue naming the accepted ones.
pub fn assignable_site_role(value: &Value) -> Result<SiteRole, ScimError> {
    let accepted = || {
        ASSIGNABLE_ROLES
            .iter()
            .map(SiteRole::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Value::String(written) = value else {
        return Err(ScimError::invalid_value(format!(
            "siteRole must be a string, one of {}",
            accepted()
        )));
    };
    ASSIGNABLE_ROLES
        .iter()
        .find(|role| role.is_written_as(written))
        .cloned()
        .ok_or_else(|| {
            ScimError::invalid_value(format!(
                "unknown siteRole {written:?}: use one of {}",
                accepted()
            ))
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::serve::scim::ScimType;

    #[test]
    fn booleans_are_read_as_idps_send_them() {
        let table = [
            (json!(true), Some(true)),
            (json!(false), Some(false)),
            (json!("True"), Some(true)),
            (json!("False"), Some(false)),
            (json!("true"), Some(true)),
            (json!("FALSE"), Some(false)),
            (json!("yes"), None),
            (json!(1), None),
            (json!(null), None),
        ];
        for (value, expected) in table {
            assert_eq!(scim_bool(&value), expected, "{value}");
        }
        let e = require_bool(&json!("no"), "active").unwrap_err();
        assert_eq!(e.scim_type, Some(ScimType::InvalidValue));
        assert!(e.detail.contains("active"), "{e}");
    }

    #[test]
    fn keys_are_found_in_any_case() {
        let object = json!({"userName": "a", "Active": true});
        let object = object.as_object().unwrap();
        assert_eq!(get_ci(object, "username"), Some(&json!("a")));
        assert_eq!(get_ci(object, "ACTIVE"), Some(&json!(true)));
        assert_eq!(get_ci(object, "name"), None);
    }

    #[test]
    fn strings_are_required_where_strings_are_meant() {
        assert_eq!(require_string(&json!("x"), "userName").unwrap(), "x");
        for bad in [json!(1), json!(null), json!(["x"]), json!({"value": "x"})] {
            let e = require_string(&bad, "userName").unwrap_err();
            assert_eq!(e.scim_type, Some(ScimType::InvalidValue), "{bad}");
        }
    }

    #[test]
    fn only_assignable_roles_are_accepted_in_any_case() {
        let table = [
            ("Creator", Some(SiteRole::Creator)),
            ("explorer", Some(SiteRole::Explorer)),
            ("ExplorerCanPublish", Some(SiteRole::ExplorerCanPublish)),
            (
                "siteadministratorcreator",
                Some(SiteRole::SiteAdministratorCreator),
            ),
            (
                "SiteAdministratorExplorer",
                Some(SiteRole::SiteAdministratorExplorer),
            ),
            ("Viewer", Some(SiteRole::Viewer)),
            ("UNLICENSED", Some(SiteRole::Unlicensed)),
            ("ServerAdministrator", None),
            ("SupportUser", None),
            ("Interactor", None),
            ("Admin", None),
            ("", None),
        ];
        for (written, expected) in table {
            let got = assignable_site_role(&json!(written));
            match expected {
                Some(role) => assert_eq!(got.unwrap(), role, "{written}"),
                None => {
                    let e = got.unwrap_err();
                    assert_eq!(e.scim_type, Some(ScimType::InvalidValue), "{written}");
                    assert!(e.detail.contains("Creator, Explorer"), "{e}");
                }
            }
        }
        assert!(assignable_site_role(&json!(3)).is_err());
    }
}
