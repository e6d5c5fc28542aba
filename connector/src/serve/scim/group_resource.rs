//! A SCIM Group (RFC 7643 §4.2) rendered from the store's record of a
//! Tableau group, and a Group body (POST, PUT) read into a name and
//! members. What Tableau adds to a group (its directory domain, the role
//! it grants on sign-in) is in tabgov's Group extension, read-only.

use serde_json::{json, Map, Value};
use tabgov_mapping::UserId;
use tabgov_state::GroupRecord;

use super::group_patch::member_ids;
use super::values::{get_ci, require_string};
use super::{ScimError, GROUP_SCHEMA, TABLEAU_GROUP_SCHEMA};

/// A Group body of a POST or PUT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    pub display_name: String,
    /// User ids, each once, in the order sent.
    pub members: Vec<String>,
}

/// The group `record` as a SCIM Group. `members` are (user id, sign-in
/// name); `base_url` is `https://host/scim/v2/{site}`, without a trailing
/// slash. The store keeps no times for groups, so `meta` has none.
pub fn render_group(record: &GroupRecord, members: &[(UserId, String)], base_url: &str) -> Value {
    let id = record.id.as_str();
    let mut group = Map::new();
    group.insert(
        "schemas".into(),
        json!([GROUP_SCHEMA, TABLEAU_GROUP_SCHEMA]),
    );
    group.insert("id".into(), id.into());
    group.insert("displayName".into(), record.name.as_str().into());
    if !members.is_empty() {
        let refs: Vec<Value> = members
            .iter()
            .map(|(uid, _)| {
                json!({
                    "value": uid.as_str(),
                    "$ref": format!("{base_url}/Users/{uid}"),
                    "type": "User",
                })
            })
            .collect();
        group.insert("members".into(), refs.into());
    }
    group.insert(
        "meta".into(),
        json!({
            "resourceType": "Group",
            "location": format!("{base_url}/Groups/{id}"),
        }),
    );
    let mut tableau = Map::new();
    if let Some(domain) = &record.domain {
        tableau.insert("domain".into(), domain.as_str().into());
    }
    tableau.insert("directorySynced".into(), record.directory_synced.into());
    if let Some(role) = &record.minimum_site_role {
        tableau.insert("minimumSiteRole".into(), role.as_str().into());
    }
    if let Some(mode) = &record.grant_license_mode {
        tableau.insert("grantLicenseMode".into(), mode.as_str().into());
    }
    group.insert(TABLEAU_GROUP_SCHEMA.into(), tableau.into());
    Value::Object(group)
}

/// Reads a Group body of a POST or PUT: `displayName` is required,
/// `members` optional. Read-only and unknown attributes are ignored.
pub fn parse_new_group(body: &Value) -> Result<NewGroup, ScimError> {
    let Value::Object(group) = body else {
        return Err(ScimError::invalid_syntax("a Group must be a JSON object"));
    };
    if let Some(schemas) = get_ci(group, "schemas") {
        let names_group = schemas.as_array().is_some_and(|s| {
            s.iter().any(|s| {
                s.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(GROUP_SCHEMA))
            })
        });
        if !names_group {
            return Err(ScimError::invalid_syntax(format!(
                "schemas must be an array containing {GROUP_SCHEMA}"
            )));
        }
    }
    let display_name = match get_ci(group, "displayName") {
        None | Some(Value::Null) => None,
        Some(v) => Some(require_string(v, "displayName")?),
    }
    .filter(|n| !n.trim().is_empty())
    .ok_or_else(|| ScimError::invalid_value("displayName is required and cannot be empty"))?;
    let mut members = Vec::new();
    if let Some(value) = get_ci(group, "members").filter(|v| !v.is_null()) {
        for id in member_ids(value)? {
            if !members.contains(&id) {
                members.push(id);
            }
        }
    }
    Ok(NewGroup {
        display_name,
        members,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::scim::ScimType;

    const BASE: &str = "https://h/scim/v2/finance";

    fn record(domain: Option<&str>, synced: bool) -> GroupRecord {
        GroupRecord {
            site: "finance".into(),
            id: "g1".into(),
            name: "Finance".into(),
            domain: domain.map(Into::into),
            directory_synced: synced,
            minimum_site_role: Some("Explorer".into()),
            grant_license_mode: Some("onLogin".into()),
            member_count: 1,
            members: vec!["alice".into()],
        }
    }

    #[test]
    fn a_group_renders_its_members_and_tableau_settings() {
        let members = [(UserId::from("u1"), "alice".to_owned())];
        let group = render_group(&record(Some("example.com"), true), &members, BASE);
        assert_eq!(
            group,
            json!({
                "schemas": [
                    "urn:ietf:params:scim:schemas:core:2.0:Group",
                    "urn:tabgov:params:scim:schemas:extension:tableau:2.0:Group"
                ],
                "id": "g1",
                "displayName": "Finance",
                "members": [{
                    "value": "u1",
                    "$ref": "https://h/scim/v2/finance/Users/u1",
                    "type": "User"
                }],
                "meta": {"resourceType": "Group", "location": "https://h/scim/v2/finance/Groups/g1"},
                "urn:tabgov:params:scim:schemas:extension:tableau:2.0:Group": {
                    "domain": "example.com",
                    "directorySynced": true,
                    "minimumSiteRole": "Explorer",
                    "grantLicenseMode": "onLogin"
                }
            })
        );
    }

    #[test]
    fn absent_settings_and_members_are_left_out() {
        let mut bare = record(None, false);
        bare.minimum_site_role = None;
        bare.grant_license_mode = None;
        let group = render_group(&bare, &[], BASE);
        assert!(group.get("members").is_none());
        assert_eq!(
            group[TABLEAU_GROUP_SCHEMA],
            json!({"directorySynced": false})
        );
    }

    #[test]
    fn group_bodies_are_read_as_idps_send_them() {
        let table = [
            (
                json!({
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                    "displayName": "Finance",
                    "members": [{"value": "u1", "display": "alice"}, {"value": "u2"}, {"value": "u1"}]
                }),
                NewGroup {
                    display_name: "Finance".into(),
                    members: vec!["u1".into(), "u2".into()],
                },
            ),
            (
                json!({"DISPLAYNAME": "Sales", "members": null, "externalId": "okta-g", "id": "x"}),
                NewGroup {
                    display_name: "Sales".into(),
                    members: vec![],
                },
            ),
            (
                json!({"displayName": "Sales", "members": []}),
                NewGroup {
                    display_name: "Sales".into(),
                    members: vec![],
                },
            ),
        ];
        for (body, expected) in table {
            assert_eq!(parse_new_group(&body).unwrap(), expected, "{body}");
        }
    }

    #[test]
    fn bad_group_bodies_are_refused_with_their_type() {
        let table = [
            (json!("Finance"), ScimType::InvalidSyntax, "JSON object"),
            (
                json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "displayName": "F"}),
                ScimType::InvalidSyntax,
                "schemas",
            ),
            (
                json!({"members": []}),
                ScimType::InvalidValue,
                "displayName is required",
            ),
            (
                json!({"displayName": ""}),
                ScimType::InvalidValue,
                "displayName is required",
            ),
            (
                json!({"displayName": ["F"]}),
                ScimType::InvalidValue,
                "must be a string",
            ),
            (
                json!({"displayName": "F", "members": ["u1"]}),
                ScimType::InvalidValue,
                "members must be",
            ),
        ];
        for (body, scim_type, detail) in table {
            let e = parse_new_group(&body).unwrap_err();
            assert_eq!(e.scim_type, Some(scim_type), "{body}");
            assert!(e.detail.contains(detail), "{body}: {}", e.detail);
        }
    }
}
