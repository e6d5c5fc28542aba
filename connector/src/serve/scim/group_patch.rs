//! A PATCH of a group read into the changes Tableau can make: a new name
//! and member changes. Members are added by value list, removed by value
//! filter (`members[value eq "id"]`) or by value list (Entra ID), or
//! replaced; removing `members` without either empties the group.

use serde_json::{Map, Value};

use super::filter::{CompareOp, Filter, PatchPath};
use super::patch::{apply_operations, read_only, Op};
use super::values::{get_ci, require_string};
use super::ScimError;

/// What a PATCH of a group asks to change, as a net change: an id is in
/// at most one of `add_members` and `remove_members`, and once the members
/// are replaced, later adds and removals edit `replace_members`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupChanges {
    pub display_name: Option<String>,
    /// User ids to add.
    pub add_members: Vec<String>,
    /// User ids to remove.
    pub remove_members: Vec<String>,
    /// The complete new member list (`Some(vec![])` removes every member).
    pub replace_members: Option<Vec<String>>,
    /// The identity provider's id for the group; `Some(None)` when removed.
    pub external_id: Option<Option<String>>,
}

impl GroupChanges {
    fn add(&mut self, id: String) {
        if let Some(members) = &mut self.replace_members {
            if !members.contains(&id) {
                members.push(id);
            }
            return;
        }
        self.remove_members.retain(|m| *m != id);
        if !self.add_members.contains(&id) {
            self.add_members.push(id);
        }
    }

    fn remove(&mut self, id: String) {
        if let Some(members) = &mut self.replace_members {
            members.retain(|m| *m != id);
            return;
        }
        self.add_members.retain(|m| *m != id);
        if !self.remove_members.contains(&id) {
            self.remove_members.push(id);
        }
    }

    fn replace(&mut self, ids: Vec<String>) {
        self.add_members.clear();
        self.remove_members.clear();
        self.replace_members = Some(Vec::new());
        for id in ids {
            self.add(id);
        }
    }

    /// True when the PATCH changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == GroupChanges::default()
    }
}

/// Reads a PATCH of a group.
pub fn parse_group_patch(body: &Value) -> Result<GroupChanges, ScimError> {
    let mut changes = GroupChanges::default();
    apply_operations(body, |op, path, value| {
        set_group(&mut changes, op, path, value)
    })?;
    Ok(changes)
}

fn set_group(
    changes: &mut GroupChanges,
    op: Op,
    path: &PatchPath,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let attr = &path.attr;
    if !attr.is_core() {
        return Err(ScimError::invalid_path(format!(
            "tabgov cannot change {attr}; it supports displayName, members and externalId"
        )));
    }
    match (attr.dotted().as_str(), &path.filter) {
        ("id" | "meta" | "schemas", _) => Err(read_only(attr)),
        ("externalid", None) => {
            changes.external_id = Some(match (op, value) {
                (Op::Remove, _) => None,
                (_, Some(v)) => Some(require_string(v, "externalId")?),
                (_, None) => return Err(ScimError::invalid_value("add and replace need a value")),
            });
            Ok(())
        }
        ("displayname", None) => match (op, value) {
            (Op::Remove, _) | (_, None) => Err(ScimError::invalid_value(
                "displayName is required and cannot be removed",
            )),
            (_, Some(v)) => {
                let name = require_string(v, "displayName")?;
                if name.trim().is_empty() {
                    return Err(ScimError::invalid_value("displayName cannot be empty"));
                }
                changes.display_name = Some(name);
                Ok(())
            }
        },
        ("members", None) => {
            match (op, value) {
                (Op::Remove, None) => changes.replace(Vec::new()),
                (Op::Remove, Some(v)) => {
                    member_ids(v)?.into_iter().for_each(|id| changes.remove(id))
                }
                (Op::Add, Some(v)) => member_ids(v)?.into_iter().for_each(|id| changes.add(id)),
                (Op::Replace, Some(v)) => changes.replace(member_ids(v)?),
                (_, None) => return Err(ScimError::invalid_value("add and replace need a value")),
            }
            Ok(())
        }
        ("members" | "members.value", Some(filter)) if op == Op::Remove => {
            let ids = filtered_ids(filter).ok_or_else(|| {
                ScimError::invalid_path(
                    "a members filter must be `value eq \"id\"`, or several joined by `or`",
                )
            })?;
            ids.into_iter().for_each(|id| changes.remove(id));
            Ok(())
        }
        ("members" | "members.value", Some(_)) => Err(ScimError::invalid_path(
            "members[...] can only be removed; add members with the path members",
        )),
        _ => Err(ScimError::invalid_path(format!(
            "tabgov cannot change {attr}; it supports displayName, members and externalId"
        ))),
    }
}

/// The user ids of a members value: `[{"value": id}, ...]` or one object.
pub(super) fn member_ids(value: &Value) -> Result<Vec<String>, ScimError> {
    let bad =
        || ScimError::invalid_value("members must be an array of {\"value\": user id} objects");
    let items = match value {
        Value::Array(items) => items.iter().collect::<Vec<_>>(),
        Value::Object(_) => vec![value],
        _ => return Err(bad()),
    };
    items
        .into_iter()
        .map(|item| {
            item.as_object()
                .and_then(|m: &Map<String, Value>| get_ci(m, "value"))
                .and_then(Value::as_str)
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .ok_or_else(bad)
        })
        .collect()
}

/// The ids a `value eq "id" [or value eq "id2" ...]` filter names.
fn filtered_ids(filter: &Filter) -> Option<Vec<String>> {
    match filter {
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value: Value::String(id),
        } if path.is_attr("value") => Some(vec![id.clone()]),
        Filter::Or(a, b) => {
            let mut ids = filtered_ids(a)?;
            ids.extend(filtered_ids(b)?);
            Some(ids)
        }
        _ => None,
    }
}

#[cfg(test)]
#[path = "group_patch_tests.rs"]
mod tests;
