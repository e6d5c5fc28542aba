//! PATCH bodies (RFC 7644 §3.5.2) read into operations. Identity
//! providers write PATCH in dialects: the operation in any case, a value
//! object whose keys are paths (Okta) or one path per operation (Entra
//! ID). Both reach the user and group readers (`user_patch.rs`,
//! `group_patch.rs`) as the same (operation, path, value) triples, in
//! order, so the change sets they build are the net change.

use serde_json::Value;

use super::filter::{parse_path, AttrPath, PatchPath};
use super::values::get_ci;
use super::{
    ScimError, ScimType, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_OP, TABLEAU_GROUP_SCHEMA,
    TABLEAU_USER_SCHEMA, USER_SCHEMA,
};

/// Reads a PatchOp body and calls `set` with each (operation, path,
/// value) it holds, in order: an operation with a `path` once, one without
/// once per key of its value object. A refusal names its operation.
pub(super) fn apply_operations(
    body: &Value,
    mut set: impl FnMut(Op, &PatchPath, Option<&Value>) -> Result<(), ScimError>,
) -> Result<(), ScimError> {
    for (i, operation) in operations(body)?.into_iter().enumerate() {
        let applied = match &operation.path {
            Some(path) => set(operation.op, path, operation.value.as_ref()),
            None => keyed_values(operation.value.as_ref()).and_then(|pairs| {
                pairs
                    .iter()
                    .try_for_each(|(path, value)| set(operation.op, path, Some(value)))
            }),
        };
        applied.map_err(|e| in_operation(i, e))?;
    }
    Ok(())
}

/// 400 mutability: `attr` is read-only.
pub(super) fn read_only(attr: &AttrPath) -> ScimError {
    ScimError::mutability(format!("{attr} is read-only"))
}

/// The three PATCH operations (the name is read in any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Add,
    Remove,
    Replace,
}

struct Operation {
    op: Op,
    path: Option<PatchPath>,
    value: Option<Value>,
}

/// The operations of a PatchOp body, checked for shape.
fn operations(body: &Value) -> Result<Vec<Operation>, ScimError> {
    let Value::Object(body) = body else {
        return Err(ScimError::invalid_syntax(
            "a PATCH body must be a JSON object",
        ));
    };
    let names_patch = get_ci(body, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| {
            s.iter()
                .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(PATCH_OP)))
        });
    if !names_patch {
        return Err(ScimError::invalid_syntax(format!(
            "schemas must be an array containing {PATCH_OP}"
        )));
    }
    let Some(Value::Array(items)) = get_ci(body, "Operations") else {
        return Err(ScimError::invalid_syntax("Operations must be an array"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| operation(item).map_err(|e| in_operation(i, e)))
        .collect()
}

fn operation(item: &Value) -> Result<Operation, ScimError> {
    let Value::Object(item) = item else {
        return Err(ScimError::invalid_syntax("an operation must be an object"));
    };
    let op = match get_ci(item, "op").and_then(Value::as_str) {
        Some(op) if op.eq_ignore_ascii_case("add") => Op::Add,
        Some(op) if op.eq_ignore_ascii_case("remove") => Op::Remove,
        Some(op) if op.eq_ignore_ascii_case("replace") => Op::Replace,
        _ => {
            return Err(ScimError::invalid_syntax(
                "op must be add, remove or replace",
            ))
        }
    };
    let path = match get_ci(item, "path") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) if p.trim().is_empty() => None,
        Some(Value::String(p)) => Some(parse_path(p)?),
        Some(_) => return Err(ScimError::invalid_path("path must be a string")),
    };
    let value = get_ci(item, "value").cloned().filter(|v| !v.is_null());
    if path.is_none() && op == Op::Remove {
        return Err(ScimError::bad_request(
            ScimType::NoTarget,
            "remove needs a path",
        ));
    }
    if op != Op::Remove && value.is_none() {
        return Err(ScimError::invalid_value("add and replace need a value"));
    }
    Ok(Operation { op, path, value })
}

/// `error` as the refusal of operation `index` (0-based).
fn in_operation(index: usize, mut error: ScimError) -> ScimError {
    error.detail = format!("operation {}: {}", index + 1, error.detail);
    error
}

/// The (path, value) pairs an operation without `path` sets: each key of
/// its value object is a path, and a key that is a schema URN holds an
/// object of that schema's attributes. `id`, `meta` and `schemas` keys are
/// skipped: identity providers echo them, and they name the resource
/// rather than change it.
fn keyed_values(value: Option<&Value>) -> Result<Vec<(PatchPath, Value)>, ScimError> {
    let Some(Value::Object(fields)) = value else {
        return Err(ScimError::invalid_value(
            "without a path, the value must be an object of attributes",
        ));
    };
    let mut pairs = Vec::new();
    for (key, value) in fields {
        if ["id", "meta", "schemas"]
            .iter()
            .any(|k| key.eq_ignore_ascii_case(k))
        {
            continue;
        }
        let is_schema = [
            USER_SCHEMA,
            ENTERPRISE_USER_SCHEMA,
            TABLEAU_USER_SCHEMA,
            GROUP_SCHEMA,
            TABLEAU_GROUP_SCHEMA,
        ]
        .iter()
        .any(|s| key.eq_ignore_ascii_case(s));
        if is_schema {
            let Value::Object(inner) = value else {
                return Err(ScimError::invalid_value(format!("{key} must be an object")));
            };
            for (name, value) in inner {
                pairs.push((parse_path(&format!("{key}:{name}"))?, value.clone()));
            }
        } else {
            pairs.push((parse_path(key)?, value.clone()));
        }
    }
    Ok(pairs)
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
