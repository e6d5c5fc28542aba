//! PATCHes of a group in the dialects of real identity providers.

use serde_json::json;

use super::*;
use crate::serve::scim::ScimType;

fn group(operations: Value) -> Result<GroupChanges, ScimError> {
    parse_group_patch(&json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations
    }))
}

fn ids(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn group_patches_in_every_dialect_read_the_same() {
    let table = [
        (
            json!([{"op": "Replace", "path": "externalId", "value": "entra-g1"}]),
            GroupChanges {
                external_id: Some(Some("entra-g1".into())),
                ..GroupChanges::default()
            },
        ),
        (
            json!([{"op": "remove", "path": "externalId"}]),
            GroupChanges {
                external_id: Some(None),
                ..GroupChanges::default()
            },
        ),
        (
            json!([{"op": "add", "path": "members", "value": [{"value": "u1"}, {"value": "u2", "display": "bob"}]}]),
            GroupChanges {
                add_members: ids(&["u1", "u2"]),
                ..GroupChanges::default()
            },
        ),
        (
            json!([{"op": "remove", "path": "members[value eq \"u1\"]"}]),
            GroupChanges {
                remove_members: ids(&["u1"]),
                ..GroupChanges::default()
            },
        ),
        (
            json!([{"op": "remove", "path": "members[value eq \"u1\" or value eq \"u2\"]"}]),
            GroupChanges {
                remove_members: ids(&["u1", "u2"]),
                ..GroupChanges::default()
            },
        ),
        // Entra ID removes by value list.
        (
            json!([{"op": "Remove", "path": "members", "value": [{"value": "u1"}]}]),
            GroupChanges {
                remove_members: ids(&["u1"]),
                ..GroupChanges::default()
            },
        ),
        (
            json!([{"op": "remove", "path": "members"}]),
            GroupChanges {
                replace_members: Some(vec![]),
                ..GroupChanges::default()
            },
        ),
        (
            json!([{"op": "replace", "path": "members", "value": [{"value": "u3"}, {"value": "u3"}]}]),
            GroupChanges {
                replace_members: Some(ids(&["u3"])),
                ..GroupChanges::default()
            },
        ),
        // Okta renames with a value object echoing the id.
        (
            json!([{"op": "replace", "value": {"id": "g1", "displayName": "Finance EU"}}]),
            GroupChanges {
                display_name: Some("Finance EU".into()),
                ..GroupChanges::default()
            },
        ),
        (
            json!([{"op": "Replace", "path": "displayName", "value": "Finance EU"}]),
            GroupChanges {
                display_name: Some("Finance EU".into()),
                ..GroupChanges::default()
            },
        ),
        (
            json!([{"op": "add", "value": {"members": [{"value": "u1"}]}}]),
            GroupChanges {
                add_members: ids(&["u1"]),
                ..GroupChanges::default()
            },
        ),
        // Net change, in order.
        (
            json!([
                {"op": "add", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}]},
                {"op": "remove", "path": "members[value eq \"u1\"]"},
                {"op": "remove", "path": "members", "value": [{"value": "u9"}]},
                {"op": "add", "path": "members", "value": {"value": "u9"}}
            ]),
            GroupChanges {
                add_members: ids(&["u2", "u9"]),
                remove_members: ids(&["u1"]),
                ..GroupChanges::default()
            },
        ),
        (
            json!([
                {"op": "add", "path": "members", "value": [{"value": "u1"}]},
                {"op": "replace", "path": "members", "value": [{"value": "u2"}]},
                {"op": "add", "path": "members", "value": [{"value": "u3"}]},
                {"op": "remove", "path": "members[value eq \"u2\"]"}
            ]),
            GroupChanges {
                replace_members: Some(ids(&["u3"])),
                ..GroupChanges::default()
            },
        ),
    ];
    for (operations, expected) in table {
        assert_eq!(group(operations.clone()).unwrap(), expected, "{operations}");
    }
    assert!(group(json!([])).unwrap().is_empty());
}

#[test]
fn bad_group_patches_are_refused_with_their_type() {
    let table = [
        (
            json!([{"op": "remove", "path": "displayName"}]),
            ScimType::InvalidValue,
            "cannot be removed",
        ),
        (
            json!([{"op": "replace", "path": "displayName", "value": " "}]),
            ScimType::InvalidValue,
            "cannot be empty",
        ),
        (
            json!([{"op": "add", "path": "members", "value": ["u1"]}]),
            ScimType::InvalidValue,
            "members must be",
        ),
        (
            json!([{"op": "add", "path": "members", "value": [{"value": ""}]}]),
            ScimType::InvalidValue,
            "members must be",
        ),
        (
            json!([{"op": "add", "path": "members", "value": "u1"}]),
            ScimType::InvalidValue,
            "members must be",
        ),
        (
            json!([{"op": "add", "path": "members[value eq \"u1\"]", "value": [{"value": "u1"}]}]),
            ScimType::InvalidPath,
            "can only be removed",
        ),
        (
            json!([{"op": "remove", "path": "members[display eq \"bob\"]"}]),
            ScimType::InvalidPath,
            "value eq",
        ),
        (
            json!([{"op": "remove", "path": "members[value eq \"u1\" and value eq \"u2\"]"}]),
            ScimType::InvalidPath,
            "value eq",
        ),
        (
            json!([{"op": "replace", "path": "id", "value": "g2"}]),
            ScimType::Mutability,
            "read-only",
        ),
        (
            json!([{"op": "replace", "path": "externalId", "value": 7}]),
            ScimType::InvalidValue,
            "externalId",
        ),
        (
            json!([{"op": "replace", "value": {"urn:tabgov:params:scim:schemas:extension:tableau:2.0:Group": {"domain": "x"}}}]),
            ScimType::InvalidPath,
            "cannot change",
        ),
    ];
    for (operations, scim_type, detail) in table {
        let e = group(operations.clone()).unwrap_err();
        assert_eq!(e.scim_type, Some(scim_type), "{operations}: {}", e.detail);
        assert!(e.detail.contains(detail), "{operations}: {}", e.detail);
    }
}
