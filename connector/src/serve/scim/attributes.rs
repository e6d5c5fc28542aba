//! The `attributes` and `excludedAttributes` query parameters
//! (RFC 7644 §3.4.2.5, §3.9): which attributes a response carries.
//! Names compare in any case and may be schema-prefixed or name a
//! sub-attribute (`name.formatted`); a name the resource lacks selects
//! nothing and is no error. `id` and `schemas` are always returned
//! (RFC 7643 §7, `returned: always`).

use serde_json::{Map, Value};

use super::{GROUP_SCHEMA, USER_SCHEMA};

/// The parsed parameters, names lower-cased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeSelection {
    attributes: Vec<String>,
    excluded: Vec<String>,
}

/// Always returned, whatever is asked for.
const ALWAYS: [&str; 2] = ["id", "schemas"];

fn names(list: Option<&str>) -> Vec<String> {
    list.unwrap_or_default()
        .split(',')
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect()
}

impl AttributeSelection {
    /// Reads the two parameters' comma-separated lists.
    pub fn parse(
        attributes: Option<&str>,
        excluded_attributes: Option<&str>,
    ) -> AttributeSelection {
        AttributeSelection {
            attributes: names(attributes),
            excluded: names(excluded_attributes),
        }
    }

    /// True when nothing was asked for: resources go out whole.
    pub fn is_default(&self) -> bool {
        self.attributes.is_empty() && self.excluded.is_empty()
    }

    /// `resource` with only the selected attributes: those of `attributes`
    /// (all when it is empty), less those of `excludedAttributes`.
    pub fn apply(&self, resource: Value) -> Value {
        let Value::Object(fields) = resource else {
            return resource;
        };
        let mut fields = fields;
        if !self.attributes.is_empty() {
            let paths = segments(&self.attributes, &fields);
            fields = include(&fields, &borrowed(&paths), true);
        }
        if !self.excluded.is_empty() {
            let paths = segments(&self.excluded, &fields);
            exclude(&mut fields, &borrowed(&paths), true);
        }
        Value::Object(fields)
    }
}

/// Each name as the keys it descends through: an extension's URN (when it
/// prefixes the name), the attribute, the sub-attribute. A core schema's
/// prefix is dropped: its attributes are top-level.
fn segments(names: &[String], fields: &Map<String, Value>) -> Vec<Vec<String>> {
    let extensions: Vec<String> = fields
        .keys()
        .map(|k| k.to_ascii_lowercase())
        .filter(|k| k.starts_with("urn:"))
        .collect();
    let cores = [
        USER_SCHEMA.to_ascii_lowercase(),
        GROUP_SCHEMA.to_ascii_lowercase(),
    ];
    names
        .iter()
        .map(|name| {
            if let Some(ext) = extensions.iter().find(|e| *e == name) {
                return vec![ext.clone()];
            }
            for ext in &extensions {
                if let Some(rest) = name.strip_prefix(&format!("{ext}:")) {
                    let mut path = vec![ext.clone()];
                    path.extend(rest.split('.').map(str::to_owned));
                    return path;
                }
            }
            let rest = cores
                .iter()
                .find_map(|core| name.strip_prefix(&format!("{core}:")))
                .unwrap_or(name);
            rest.split('.').map(str::to_owned).collect()
        })
        .collect()
}

fn borrowed(paths: &[Vec<String>]) -> Vec<&[String]> {
    paths.iter().map(Vec::as_slice).collect()
}

/// The paths below `key`: `None` when one of them is `key` itself.
fn below<'p>(key: &str, paths: &[&'p [String]]) -> Option<Vec<&'p [String]>> {
    let lower = key.to_ascii_lowercase();
    let mut rest = Vec::new();
    for path in paths {
        match path.split_first() {
            Some((first, tail)) if *first == lower => {
                if tail.is_empty() {
                    return None;
                }
                rest.push(tail);
            }
            _ => {}
        }
    }
    Some(rest)
}

fn include(fields: &Map<String, Value>, paths: &[&[String]], top: bool) -> Map<String, Value> {
    let mut kept = Map::new();
    for (key, value) in fields {
        if top && ALWAYS.iter().any(|a| key.eq_ignore_ascii_case(a)) {
            kept.insert(key.clone(), value.clone());
            continue;
        }
        match below(key, paths) {
            None => {
                kept.insert(key.clone(), value.clone());
            }
            Some(rest) if rest.is_empty() => {}
            Some(rest) => match value {
                Value::Object(inner) => {
                    kept.insert(key.clone(), Value::Object(include(inner, &rest, false)));
                }
                Value::Array(items) => {
                    let items = items
                        .iter()
                        .filter_map(Value::as_object)
                        .map(|inner| Value::Object(include(inner, &rest, false)))
                        .collect();
                    kept.insert(key.clone(), Value::Array(items));
                }
                // A sub-attribute of a simple value selects nothing.
                _ => {}
            },
        }
    }
    kept
}

fn exclude(fields: &mut Map<String, Value>, paths: &[&[String]], top: bool) {
    let keys: Vec<String> = fields.keys().cloned().collect();
    for key in keys {
        if top && ALWAYS.iter().any(|a| key.eq_ignore_ascii_case(a)) {
            continue;
        }
        match below(&key, paths) {
            None => {
                fields.remove(&key);
            }
            Some(rest) if rest.is_empty() => {}
            Some(rest) => match fields.get_mut(&key) {
                Some(Value::Object(inner)) => exclude(inner, &rest, false),
                Some(Value::Array(items)) => {
                    for inner in items.iter_mut().filter_map(Value::as_object_mut) {
                        exclude(inner, &rest, false);
                    }
                }
                _ => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const EXT: &str = "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User";

    fn user() -> Value {
        json!({
            "schemas": [USER_SCHEMA, EXT],
            "id": "u1",
            "userName": "alice",
            "name": {"formatted": "Alice Cook"},
            "displayName": "Alice Cook",
            "emails": [{"value": "a@x", "type": "work", "primary": true}],
            "active": true,
            "meta": {"resourceType": "User", "location": "https://h/Users/u1"},
            EXT: {"siteRole": "Creator", "license": "Creator"}
        })
    }

    fn apply(attributes: Option<&str>, excluded: Option<&str>) -> Value {
        AttributeSelection::parse(attributes, excluded).apply(user())
    }

    #[test]
    fn attributes_keep_only_what_is_asked_and_what_is_always_returned() {
        let base = json!({"schemas": [USER_SCHEMA, EXT], "id": "u1"});
        let with = |extra: Value| {
            let mut v = base.clone();
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            v
        };
        let table = [
            ("userName", with(json!({"userName": "alice"}))),
            (
                "USERNAME, active",
                with(json!({"userName": "alice", "active": true})),
            ),
            (
                "name.formatted",
                with(json!({"name": {"formatted": "Alice Cook"}})),
            ),
            ("emails.value", with(json!({"emails": [{"value": "a@x"}]}))),
            (
                "emails",
                with(json!({"emails": [{"value": "a@x", "type": "work", "primary": true}]})),
            ),
            (
                "urn:ietf:params:scim:schemas:core:2.0:User:userName",
                with(json!({"userName": "alice"})),
            ),
            (
                "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:siteRole",
                with(json!({EXT: {"siteRole": "Creator"}})),
            ),
            (
                "urn:tabgov:params:scim:schemas:extension:tableau:2.0:user",
                with(json!({EXT: {"siteRole": "Creator", "license": "Creator"}})),
            ),
            (
                "meta.location",
                with(json!({"meta": {"location": "https://h/Users/u1"}})),
            ),
            ("nickName", base.clone()),
            ("userName.first", base.clone()),
            ("id", base.clone()),
        ];
        for (attributes, expected) in table {
            assert_eq!(apply(Some(attributes), None), expected, "{attributes}");
        }
    }

    #[test]
    fn excluded_attributes_drop_all_but_what_is_always_returned() {
        let table: [(&str, &[&str]); 7] = [
            ("emails", &["emails"]),
            ("Name, META", &["name", "meta"]),
            ("id,schemas", &[]),
            ("nickName", &[]),
            (EXT, &[EXT]),
            (
                "urn:ietf:params:scim:schemas:core:2.0:User:active",
                &["active"],
            ),
            ("groups", &[]),
        ];
        for (excluded, gone) in table {
            let got = apply(None, Some(excluded));
            let mut expected = user();
            for key in gone {
                expected.as_object_mut().unwrap().remove(*key);
            }
            assert_eq!(got, expected, "{excluded}");
        }
        let got = apply(
            None,
            Some("emails.type,urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:license"),
        );
        assert_eq!(got["emails"], json!([{"value": "a@x", "primary": true}]));
        assert_eq!(got[EXT], json!({"siteRole": "Creator"}));
    }

    #[test]
    fn both_lists_apply_and_nothing_asked_changes_nothing() {
        let got = apply(Some("userName,name,meta"), Some("meta"));
        assert_eq!(
            got,
            json!({"schemas": [USER_SCHEMA, EXT], "id": "u1", "userName": "alice", "name": {"formatted": "Alice Cook"}})
        );
        let none = AttributeSelection::parse(None, Some(" , "));
        assert!(none.is_default());
        assert_eq!(none.apply(user()), user());
        assert!(!AttributeSelection::parse(Some("id"), None).is_default());
    }
}
