//! The tree a SCIM filter or PATCH path parses into (RFC 7644
//! §3.4.2.2, §3.5.2): attribute paths, operators and the boolean
//! structure, shared by the parser, the evaluator and the PATCH reader.

use std::fmt;

use serde_json::Value;

use super::is_core_schema;

/// An attribute as a filter or path names it: an optional schema URN, the
/// attribute and an optional sub-attribute (`name.familyName`). Names are
/// kept as written; they compare in any case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// The schema URN the attribute was prefixed with, as written.
    pub schema: Option<String>,
    pub name: String,
    pub sub: Option<String>,
}

impl AttrPath {
    /// True when the path is unprefixed or prefixed with a core schema: it
    /// names a top-level attribute, not one inside an extension.
    pub fn is_core(&self) -> bool {
        self.schema.as_deref().is_none_or(is_core_schema)
    }

    /// True when the path names the top-level attribute `name` itself (no
    /// sub-attribute), in any case: what routes test to push `userName eq`
    /// down to an index.
    pub fn is_attr(&self, name: &str) -> bool {
        self.is_core() && self.sub.is_none() && self.name.eq_ignore_ascii_case(name)
    }

    /// `name` or `name.sub`, lower-cased: the attribute's key for
    /// case-exactness and schema look-ups.
    pub fn dotted(&self) -> String {
        match &self.sub {
            Some(sub) => format!("{}.{}", self.name, sub).to_ascii_lowercase(),
            None => self.name.to_ascii_lowercase(),
        }
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            write!(f, "{schema}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// The comparison operators (RFC 7644 §3.4.2.2, table 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    const ALL: [CompareOp; 9] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Co,
        CompareOp::Sw,
        CompareOp::Ew,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "eq",
            CompareOp::Ne => "ne",
            CompareOp::Co => "co",
            CompareOp::Sw => "sw",
            CompareOp::Ew => "ew",
            CompareOp::Gt => "gt",
            CompareOp::Ge => "ge",
            CompareOp::Lt => "lt",
            CompareOp::Le => "le",
        }
    }

    /// The operator written as `word`, in any case.
    pub fn parse(word: &str) -> Option<CompareOp> {
        CompareOp::ALL
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(word))
    }

    /// True for gt, ge, lt and le.
    pub fn is_ordering(self) -> bool {
        matches!(
            self,
            CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
        )
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `path op value`; the value is a JSON string, number, boolean or null.
    Compare {
        path: AttrPath,
        op: CompareOp,
        value: Value,
    },
    /// `path pr`.
    Present(AttrPath),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `path[filter]`: some element of the multi-valued `path` matches
    /// `filter`, whose paths are relative to the element.
    ValuePath {
        path: AttrPath,
        filter: Box<Filter>,
    },
}

/// A PATCH operation's `path`: an attribute, optionally narrowed to the
/// elements a filter selects (`emails[type eq "work"].value` is the
/// attribute `emails.value` with the filter `type eq "work"`).
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    pub attr: AttrPath,
    pub filter: Option<Filter>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as a path: `[urn:...:]name[.sub]`.
    fn path(text: &str) -> AttrPath {
        let (schema, rest) = match text.rfind(':') {
            Some(i) => (Some(text[..i].to_owned()), &text[i + 1..]),
            None => (None, text),
        };
        let (name, sub) = match rest.split_once('.') {
            Some((n, s)) => (n.to_owned(), Some(s.to_owned())),
            None => (rest.to_owned(), None),
        };
        AttrPath { schema, name, sub }
    }

    #[test]
    fn attr_paths_know_core_and_extension_and_print_as_written() {
        let table = [
            ("userName", true, "username"),
            (
                "urn:ietf:params:scim:schemas:core:2.0:User:userName",
                true,
                "username",
            ),
            (
                "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
                true,
                "displayname",
            ),
            (
                "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:siteRole",
                false,
                "siterole",
            ),
            ("name.familyName", true, "name.familyname"),
        ];
        for (text, core, dotted) in table {
            let parsed = path(text);
            assert_eq!(parsed.is_core(), core, "{text}");
            assert_eq!(parsed.dotted(), dotted, "{text}");
            assert_eq!(parsed.to_string(), text);
        }
        assert!(path("USERNAME").is_attr("userName"));
        assert!(!path("name.formatted").is_attr("name"));
        assert!(!path("urn:x:y:userName").is_attr("userName"));
    }

    #[test]
    fn operators_are_read_in_any_case() {
        let table = [
            ("eq", Some(CompareOp::Eq)),
            ("NE", Some(CompareOp::Ne)),
            ("Co", Some(CompareOp::Co)),
            ("sw", Some(CompareOp::Sw)),
            ("eW", Some(CompareOp::Ew)),
            ("gt", Some(CompareOp::Gt)),
            ("GE", Some(CompareOp::Ge)),
            ("lt", Some(CompareOp::Lt)),
            ("le", Some(CompareOp::Le)),
            ("pr", None),
            ("equals", None),
            ("", None),
        ];
        for (word, expected) in table {
            assert_eq!(CompareOp::parse(word), expected, "{word}");
        }
        for op in CompareOp::ALL {
            assert_eq!(CompareOp::parse(op.as_str()), Some(op));
            assert_eq!(
                op.is_ordering(),
                matches!(op.as_str(), "gt" | "ge" | "lt" | "le")
            );
        }
    }
}
