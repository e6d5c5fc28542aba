//! PATCHes of a user in the dialects of real identity providers.

use serde_json::json;

use super::*;
use crate::serve::scim::ScimType;

fn patch(operations: Value) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations
    })
}

fn user(operations: Value) -> Result<UserChanges, ScimError> {
    parse_user_patch(&patch(operations))
}

#[test]
fn user_patches_in_every_dialect_read_the_same() {
    let deactivate = UserChanges {
        active: Some(false),
        ..UserChanges::default()
    };
    let table = [
        // Okta: a value object without a path.
        (
            json!([{"op": "replace", "value": {"active": false}}]),
            deactivate.clone(),
        ),
        // Entra ID: a path, the operation capitalised, the boolean a string.
        (
            json!([{"op": "Replace", "path": "active", "value": "False"}]),
            deactivate.clone(),
        ),
        (
            json!([{"op": "replace", "path": "ACTIVE", "value": "false"}]),
            deactivate.clone(),
        ),
        (
            json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:active", "value": false}]),
            deactivate.clone(),
        ),
        (
            json!([{"op": "replace", "value": {"urn:ietf:params:scim:schemas:core:2.0:User:active": false}}]),
            deactivate.clone(),
        ),
        (
            json!([{"op": "Add", "path": "active", "value": true}]),
            UserChanges {
                active: Some(true),
                ..UserChanges::default()
            },
        ),
        (
            json!([
                {"op": "Replace", "path": "userName", "value": "a@contoso.com"},
                {"op": "Replace", "path": "displayName", "value": "Ann Lee"},
                {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "ann@contoso.com"},
                {"op": "Add", "path": "externalId", "value": "ann"}
            ]),
            UserChanges {
                user_name: Some("a@contoso.com".into()),
                display_name: Some("Ann Lee".into()),
                email: Some("ann@contoso.com".into()),
                external_id: Some(Some("ann".into())),
                ..UserChanges::default()
            },
        ),
        (
            json!([{"op": "replace", "path": "name.formatted", "value": "Ann Lee"}]),
            UserChanges {
                display_name: Some("Ann Lee".into()),
                ..UserChanges::default()
            },
        ),
        (
            json!([{"op": "replace", "value": {"name": {"givenName": "Ann", "familyName": "Lee"}}}]),
            UserChanges {
                display_name: Some("Ann Lee".into()),
                ..UserChanges::default()
            },
        ),
        (
            json!([{"op": "replace", "value": {"name.formatted": "Ann Lee", "id": "u1", "schemas": []}}]),
            UserChanges {
                display_name: Some("Ann Lee".into()),
                ..UserChanges::default()
            },
        ),
        (
            json!([{"op": "replace", "path": "emails", "value": [
                {"value": "home@example.com", "type": "home"},
                {"value": "work@example.com", "type": "work", "primary": true}
            ]}]),
            UserChanges {
                email: Some("work@example.com".into()),
                ..UserChanges::default()
            },
        ),
        (
            json!([{"op": "replace", "path": "emails[type eq \"work\"]", "value": {"value": "w@example.com", "type": "work"}}]),
            UserChanges {
                email: Some("w@example.com".into()),
                ..UserChanges::default()
            },
        ),
        (
            json!([{"op": "replace", "path": "emails[type eq \"work\"].primary", "value": true}]),
            UserChanges::default(),
        ),
        // The tabgov extension, by path and by value object.
        (
            json!([{"op": "replace", "path": "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:siteRole", "value": "Viewer"}]),
            UserChanges {
                site_role: Some(SiteRole::Viewer),
                ..UserChanges::default()
            },
        ),
        (
            json!([{"op": "replace", "value": {"urn:tabgov:params:scim:schemas:extension:tableau:2.0:User": {"siteRole": "creator"}}}]),
            UserChanges {
                site_role: Some(SiteRole::Creator),
                ..UserChanges::default()
            },
        ),
        // Removals.
        (
            json!([
                {"op": "remove", "path": "externalId"},
                {"op": "Remove", "path": "displayName"},
                {"op": "remove", "path": "emails[type eq \"work\"]"}
            ]),
            UserChanges {
                external_id: Some(None),
                display_name: Some(String::new()),
                email: Some(String::new()),
                ..UserChanges::default()
            },
        ),
        (
            json!([{"op": "replace", "value": {"externalId": null}}]),
            UserChanges {
                external_id: Some(None),
                ..UserChanges::default()
            },
        ),
        // Later operations win.
        (
            json!([
                {"op": "replace", "path": "active", "value": false},
                {"op": "replace", "path": "active", "value": true}
            ]),
            UserChanges {
                active: Some(true),
                ..UserChanges::default()
            },
        ),
        (json!([]), UserChanges::default()),
    ];
    for (operations, expected) in table {
        assert_eq!(user(operations.clone()).unwrap(), expected, "{operations}");
    }
    assert!(user(json!([])).unwrap().is_empty());
    assert!(!deactivate.is_empty());
}

#[test]
fn bad_user_patches_are_refused_with_their_type() {
    let table = [
        (
            patch(json!([{"op": "replace", "path": "active", "value": "yes"}])),
            ScimType::InvalidValue,
            "active must be true or false",
        ),
        (
            patch(json!([{"op": "remove", "path": "active"}])),
            ScimType::InvalidValue,
            "active cannot be removed",
        ),
        (
            patch(json!([{"op": "replace", "path": "userName", "value": ""}])),
            ScimType::InvalidValue,
            "userName is required",
        ),
        (
            patch(json!([{"op": "remove", "path": "userName"}])),
            ScimType::InvalidValue,
            "userName is required",
        ),
        (
            patch(json!([{"op": "replace", "path": "displayName", "value": 5}])),
            ScimType::InvalidValue,
            "displayName must be a string",
        ),
        (
            patch(json!([{"op": "replace", "path": "id", "value": "u2"}])),
            ScimType::Mutability,
            "id is read-only",
        ),
        (
            patch(json!([{"op": "replace", "path": "meta.created", "value": "x"}])),
            ScimType::Mutability,
            "read-only",
        ),
        (
            patch(json!([{"op": "add", "path": "groups", "value": [{"value": "g"}]}])),
            ScimType::Mutability,
            "through the Group",
        ),
        (
            patch(
                json!([{"op": "replace", "path": "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:license", "value": "Creator"}]),
            ),
            ScimType::Mutability,
            "read-only",
        ),
        (
            patch(
                json!([{"op": "replace", "path": "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:siteRole", "value": "Boss"}]),
            ),
            ScimType::InvalidValue,
            "use one of Creator",
        ),
        (
            patch(
                json!([{"op": "remove", "path": "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:siteRole"}]),
            ),
            ScimType::InvalidValue,
            "cannot be removed",
        ),
        (
            patch(
                json!([{"op": "replace", "path": "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:nickName", "value": "x"}]),
            ),
            ScimType::InvalidPath,
            "cannot change",
        ),
        (
            patch(
                json!([{"op": "replace", "value": {"urn:tabgov:params:scim:schemas:extension:tableau:2.0:User": "Creator"}}]),
            ),
            ScimType::InvalidValue,
            "must be an object",
        ),
        (
            patch(json!([{"op": "replace", "path": "emails", "value": "a@x"}])),
            ScimType::InvalidValue,
            "emails must be an array",
        ),
        (
            patch(json!([{"op": "replace", "path": "name", "value": "Ann"}])),
            ScimType::InvalidValue,
            "name must be an object",
        ),
        (
            patch(
                json!([{"op": "replace", "path": "active", "value": true}, {"op": "replace", "path": "favouriteColour", "value": "x"}]),
            ),
            ScimType::InvalidPath,
            "operation 2:",
        ),
        (
            patch(
                json!([{"op": "replace", "path": "groups[value eq \"g1\"].display", "value": "x"}]),
            ),
            ScimType::InvalidPath,
            "emails only",
        ),
    ];
    for (body, scim_type, detail) in table {
        let e = parse_user_patch(&body).unwrap_err();
        assert_eq!(e.scim_type, Some(scim_type), "{body}: {}", e.detail);
        assert!(e.detail.contains(detail), "{body}: {}", e.detail);
    }
}

/// Standard attributes Tableau has no field for, which identity providers
/// map by default (Entra ID: title, phone numbers, addresses, department,
/// manager), are accepted and left out: an update that also deactivates
/// must not be refused for them.
#[test]
fn standard_attributes_tableau_cannot_hold_are_left_out() {
    let table = [
        json!([{"op": "Replace", "path": "title", "value": "CFO"}, {"op": "Replace", "path": "active", "value": "False"}]),
        json!([{"op": "Add", "path": "phoneNumbers[type eq \"work\"].value", "value": "+1 555"}, {"op": "replace", "path": "active", "value": false}]),
        json!([{"op": "replace", "path": "addresses[type eq \"work\"].country", "value": "FR"}, {"op": "replace", "path": "active", "value": false}]),
        json!([{"op": "replace", "path": "name.givenName", "value": "Ann"}, {"op": "replace", "path": "active", "value": false}]),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "F"}, {"op": "replace", "path": "active", "value": false}]),
        json!([{"op": "replace", "value": {"active": false, "preferredLanguage": "en-US", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m1"}}}}]),
    ];
    for ops in table {
        let changes = parse_user_patch(&json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": ops
        }))
        .unwrap_or_else(|e| panic!("{ops}: {}", e.detail));
        assert_eq!(
            changes,
            UserChanges {
                active: Some(false),
                ..UserChanges::default()
            },
            "{ops}"
        );
    }
}
