//! PatchOp bodies read into (operation, path, value) triples.

use serde_json::json;

use super::*;

fn patch(operations: Value) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations
    })
}

/// The triples of `body`, paths printed (a filtered path marked).
fn triples(body: &Value) -> Result<Vec<(Op, String, Option<Value>)>, ScimError> {
    let mut seen = Vec::new();
    apply_operations(body, |op, path, value| {
        let mut printed = path.attr.to_string();
        if path.filter.is_some() {
            printed.push_str("[filtered]");
        }
        seen.push((op, printed, value.cloned()));
        Ok(())
    })?;
    Ok(seen)
}

#[test]
fn operations_become_triples_in_order() {
    let ext = "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User";
    let table = [
        (
            json!([{"op": "Replace", "path": "active", "value": "False"}]),
            vec![(Op::Replace, "active".to_owned(), Some(json!("False")))],
        ),
        (
            json!([{"op": "ADD", "path": "emails[type eq \"work\"].value", "value": "a@x"}]),
            vec![(
                Op::Add,
                "emails.value[filtered]".to_owned(),
                Some(json!("a@x")),
            )],
        ),
        (
            json!([{"op": "remove", "path": "members", "value": null}]),
            vec![(Op::Remove, "members".to_owned(), None)],
        ),
        (json!([{"op": "add", "value": {}}]), vec![]),
        (
            json!([{"op": "replace", "value": {
                "id": "u1", "meta": {}, "schemas": [],
                "active": false,
                ext: {"siteRole": "Viewer"}
            }}]),
            vec![
                (Op::Replace, "active".to_owned(), Some(json!(false))),
                (
                    Op::Replace,
                    format!("{ext}:siteRole"),
                    Some(json!("Viewer")),
                ),
            ],
        ),
        (
            json!([
                {"op": "add", "path": "displayName", "value": "A"},
                {"op": "remove", "path": "externalId"}
            ]),
            vec![
                (Op::Add, "displayName".to_owned(), Some(json!("A"))),
                (Op::Remove, "externalId".to_owned(), None),
            ],
        ),
    ];
    for (operations, expected) in table {
        assert_eq!(
            triples(&patch(operations.clone())).unwrap(),
            expected,
            "{operations}"
        );
    }
}

#[test]
fn a_refusal_in_a_setter_names_its_operation() {
    let body = patch(json!([
        {"op": "add", "path": "a", "value": 1},
        {"op": "add", "path": "b", "value": 2}
    ]));
    let e = apply_operations(&body, |_, path, _| {
        if path.attr.name == "b" {
            Err(read_only(&path.attr))
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    assert_eq!(e.scim_type, Some(ScimType::Mutability));
    assert_eq!(e.detail, "operation 2: b is read-only");
}

#[test]
fn the_operations_key_may_be_lower_case() {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "operations": [{"op": "replace", "value": {"active": true}}]
    });
    assert_eq!(triples(&body).unwrap().len(), 1);
}

#[test]
fn malformed_bodies_are_refused_with_their_type() {
    let table = [
        (
            json!({"Operations": []}),
            ScimType::InvalidSyntax,
            "schemas must be",
        ),
        (
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "Operations": []}),
            ScimType::InvalidSyntax,
            "PatchOp",
        ),
        (
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}),
            ScimType::InvalidSyntax,
            "Operations must be an array",
        ),
        (json!("x"), ScimType::InvalidSyntax, "JSON object"),
        (
            patch(json!([{"op": "merge", "path": "active", "value": true}])),
            ScimType::InvalidSyntax,
            "operation 1: op must be",
        ),
        (
            patch(json!(["replace"])),
            ScimType::InvalidSyntax,
            "an operation must be an object",
        ),
        (
            patch(json!([{"op": "remove"}])),
            ScimType::NoTarget,
            "remove needs a path",
        ),
        (
            patch(json!([{"op": "replace", "path": "active"}])),
            ScimType::InvalidValue,
            "need a value",
        ),
        (
            patch(json!([{"op": "replace", "value": [true]}])),
            ScimType::InvalidValue,
            "object of attributes",
        ),
        (
            patch(json!([{"op": "replace", "path": 3, "value": true}])),
            ScimType::InvalidPath,
            "path must be a string",
        ),
        (
            patch(json!([{"op": "replace", "path": "emails[type eq", "value": "x"}])),
            ScimType::InvalidPath,
            "invalid path",
        ),
    ];
    for (body, scim_type, detail) in table {
        let e = triples(&body).unwrap_err();
        assert_eq!(e.scim_type, Some(scim_type), "{body}: {}", e.detail);
        assert!(e.detail.contains(detail), "{body}: {}", e.detail);
    }
}
