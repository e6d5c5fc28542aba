//! The attribute definitions of the schemas tabgov serves (RFC 7643 §7):
//! only what tabgov keeps and renders, each with every characteristic, so
//! an identity provider's schema discovery maps exactly what works.

use serde_json::{json, Map, Value};
use tabgov_mapping::{AccountStatus, License, SiteRole};

use super::values::ASSIGNABLE_ROLES;

/// One attribute's definition; built with defaults (a single-valued,
/// optional, case-insensitive, read-write string returned by default,
/// not unique) and changed where it differs.
#[derive(Debug, Clone)]
pub(super) struct AttrDef {
    name: &'static str,
    kind: &'static str,
    description: &'static str,
    multi_valued: bool,
    required: bool,
    case_exact: bool,
    mutability: &'static str,
    returned: &'static str,
    uniqueness: &'static str,
    canonical: Vec<String>,
    reference_types: Vec<&'static str>,
    sub: Vec<AttrDef>,
}

fn attr(name: &'static str, kind: &'static str, description: &'static str) -> AttrDef {
    AttrDef {
        name,
        kind,
        description,
        multi_valued: false,
        required: false,
        case_exact: false,
        mutability: "readWrite",
        returned: "default",
        uniqueness: "none",
        canonical: Vec::new(),
        reference_types: Vec::new(),
        sub: Vec::new(),
    }
}

impl AttrDef {
    fn multi(mut self) -> AttrDef {
        self.multi_valued = true;
        self
    }

    fn required(mut self) -> AttrDef {
        self.required = true;
        self
    }

    fn case_exact(mut self) -> AttrDef {
        self.case_exact = true;
        self
    }

    fn mutability(mut self, mutability: &'static str) -> AttrDef {
        self.mutability = mutability;
        self
    }

    fn unique(mut self) -> AttrDef {
        self.uniqueness = "server";
        self
    }

    fn canonical<S: ToString>(mut self, values: impl IntoIterator<Item = S>) -> AttrDef {
        self.canonical = values.into_iter().map(|v| v.to_string()).collect();
        self
    }

    fn references(mut self, types: &[&'static str]) -> AttrDef {
        self.reference_types = types.to_vec();
        self
    }

    fn sub(mut self, sub: Vec<AttrDef>) -> AttrDef {
        self.sub = sub;
        self
    }

    /// The definition as /Schemas lists it.
    pub(super) fn json(&self) -> Value {
        let mut def = Map::new();
        def.insert("name".into(), self.name.into());
        def.insert("type".into(), self.kind.into());
        def.insert("multiValued".into(), self.multi_valued.into());
        def.insert("description".into(), self.description.into());
        def.insert("required".into(), self.required.into());
        def.insert("caseExact".into(), self.case_exact.into());
        def.insert("mutability".into(), self.mutability.into());
        def.insert("returned".into(), self.returned.into());
        def.insert("uniqueness".into(), self.uniqueness.into());
        if !self.canonical.is_empty() {
            def.insert("canonicalValues".into(), json!(self.canonical));
        }
        if !self.reference_types.is_empty() {
            def.insert("referenceTypes".into(), json!(self.reference_types));
        }
        if !self.sub.is_empty() {
            let sub: Vec<Value> = self.sub.iter().map(AttrDef::json).collect();
            def.insert("subAttributes".into(), sub.into());
        }
        Value::Object(def)
    }
}

/// The core User attributes tabgov supports (`id`, `externalId` and
/// `meta` are common attributes, defined by RFC 7643 §3.1, not here).
pub(super) fn user_attributes() -> Vec<AttrDef> {
    vec![
        attr(
            "userName",
            "string",
            "The Tableau sign-in name; set at creation, as Tableau does not rename users.",
        )
        .required()
        .unique()
        .mutability("immutable"),
        attr(
            "name",
            "complex",
            "The user's name; Tableau keeps the full name only.",
        )
        .sub(vec![attr(
            "formatted",
            "string",
            "The full name (Tableau's fullName).",
        )]),
        attr(
            "displayName",
            "string",
            "The full name (Tableau's fullName).",
        ),
        attr("emails", "complex", "The user's email; Tableau keeps one.")
            .multi()
            .sub(vec![
                attr("value", "string", "The email address."),
                attr("type", "string", "Always work.").canonical(["work"]),
            ]),
        attr(
            "active",
            "boolean",
            "False when the account is suspended (site role Unlicensed) or removed from the site.",
        ),
        attr(
            "groups",
            "complex",
            "The Tableau groups the user is in; change them through the Group.",
        )
        .multi()
        .mutability("readOnly")
        .sub(vec![
            attr("value", "string", "The group's id.")
                .case_exact()
                .mutability("readOnly"),
            attr("$ref", "reference", "The group's URI.")
                .case_exact()
                .mutability("readOnly")
                .references(&["Group"]),
            attr("display", "string", "The group's name.").mutability("readOnly"),
            attr(
                "type",
                "string",
                "Always direct: Tableau groups do not nest.",
            )
            .mutability("readOnly")
            .canonical(["direct"]),
        ]),
    ]
}

/// The core Group attributes tabgov supports.
pub(super) fn group_attributes() -> Vec<AttrDef> {
    vec![
        attr(
            "displayName",
            "string",
            "The Tableau group's name; set at creation (rename it in Tableau).",
        )
        .required()
        .unique()
        .mutability("immutable"),
        attr("members", "complex", "The users in the group.")
            .multi()
            .sub(vec![
                attr("value", "string", "The user's id.")
                    .case_exact()
                    .mutability("immutable"),
                attr("$ref", "reference", "The user's URI.")
                    .case_exact()
                    .mutability("immutable")
                    .references(&["User"]),
                attr(
                    "type",
                    "string",
                    "Always User: Tableau groups hold users only.",
                )
                .mutability("immutable")
                .canonical(["User"]),
            ]),
    ]
}

/// tabgov's User extension.
pub(super) fn tableau_user_attributes() -> Vec<AttrDef> {
    vec![
        attr(
            "siteRole",
            "string",
            "The Tableau site role; set it to give or change a licence.",
        )
        .canonical(ASSIGNABLE_ROLES.iter().map(SiteRole::as_str)),
        attr("license", "string", "The licence the site role consumes.")
            .mutability("readOnly")
            .canonical(License::ALL.iter().map(|l| l.as_str())),
        attr("status", "string", "Where the account stands on the site.")
            .mutability("readOnly")
            .canonical(AccountStatus::ALL.iter().map(|s| s.as_str())),
        attr(
            "lastLogin",
            "dateTime",
            "The last interactive sign-in; absent if never.",
        )
        .mutability("readOnly"),
        attr(
            "ownedContent",
            "integer",
            "Content items the user owns (projects, workbooks, data sources, flows, ...).",
        )
        .mutability("readOnly"),
    ]
}

/// tabgov's Group extension.
pub(super) fn tableau_group_attributes() -> Vec<AttrDef> {
    vec![
        attr("domain", "string", "The group's identity-store domain (local for local groups).")
            .mutability("readOnly"),
        attr(
            "directorySynced",
            "boolean",
            "True when the group is synchronised from a directory: memberships removed in Tableau come back.",
        )
        .mutability("readOnly"),
        attr(
            "minimumSiteRole",
            "string",
            "The site role the group grants on sign-in or on sync.",
        )
        .mutability("readOnly"),
        attr("grantLicenseMode", "string", "When the group grants its role.")
            .mutability("readOnly")
            .canonical(["onLogin", "onSync"]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_render_defaults_and_what_was_changed() {
        let table = [
            (
                attr("a", "string", "d"),
                json!({"name": "a", "type": "string", "multiValued": false, "description": "d",
                       "required": false, "caseExact": false, "mutability": "readWrite",
                       "returned": "default", "uniqueness": "none"}),
            ),
            (
                attr("r", "reference", "d")
                    .multi()
                    .required()
                    .case_exact()
                    .mutability("immutable")
                    .unique()
                    .references(&["User"])
                    .canonical(["x"]),
                json!({"name": "r", "type": "reference", "multiValued": true, "description": "d",
                       "required": true, "caseExact": true, "mutability": "immutable",
                       "returned": "default", "uniqueness": "server",
                       "referenceTypes": ["User"], "canonicalValues": ["x"]}),
            ),
        ];
        for (def, expected) in table {
            assert_eq!(def.json(), expected);
        }
        let complex = attr("c", "complex", "d").sub(vec![attr("s", "boolean", "e")]);
        assert_eq!(complex.json()["subAttributes"][0]["type"], "boolean");
    }
}
