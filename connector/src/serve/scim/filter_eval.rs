//! Evaluating a filter against a rendered resource (RFC 7644 §3.4.2.2):
//! what a route does for the filters it cannot push down to an index.
//! Names compare in any case; strings too, unless the attribute is
//! case-exact; a multi-valued attribute matches when one of its values does.

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use super::filter::{AttrPath, CompareOp, Filter};
use super::values::get_ci;
use super::ScimError;

/// The case-exact attributes of the resources tabgov serves: ids, which
/// Tableau and the identity provider echo byte for byte. Takes
/// [`AttrPath::dotted`] names (`meta.version`, `members.value`).
pub fn default_case_exact(dotted: &str) -> bool {
    matches!(
        dotted,
        "id" | "externalid" | "meta.version" | "members.value" | "groups.value"
    ) || dotted.ends_with(".$ref")
}

/// True when `resource` matches `filter`. `case_exact` says, for a dotted
/// attribute name (lower case, as [`AttrPath::dotted`]), whether its
/// strings compare exactly. Comparing booleans by order, or a non-string by
/// `co`/`sw`/`ew`, is 400 invalidFilter.
pub fn matches(
    filter: &Filter,
    resource: &Value,
    case_exact: &dyn Fn(&str) -> bool,
) -> Result<bool, ScimError> {
    Eval { case_exact }.eval(filter, resource, None)
}

/// `attr eq "string"` on an attribute itself (no sub-attribute, no value
/// filter): the filters identity providers send to find one resource
/// (`userName eq "x"`, `externalId eq "x"`, `displayName eq "x"`), which a
/// route answers with an indexed look-up instead of a scan.
pub fn simple_equality(filter: &Filter) -> Option<(&AttrPath, &str)> {
    match filter {
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value: Value::String(s),
        } if path.sub.is_none() => Some((path, s)),
        _ => None,
    }
}

struct Eval<'a> {
    case_exact: &'a dyn Fn(&str) -> bool,
}

/// An array's elements, or the value alone.
fn flatten(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// Present: not null, not an empty string, array or object.
fn is_present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => items.iter().any(is_present),
        Value::Object(fields) => !fields.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

fn bad(op: CompareOp, what: &str) -> ScimError {
    ScimError::invalid_filter(format!("`{op}` cannot compare {what}"))
}

impl Eval<'_> {
    fn eval(
        &self,
        filter: &Filter,
        scope: &Value,
        prefix: Option<&str>,
    ) -> Result<bool, ScimError> {
        match filter {
            Filter::Compare { path, op, value } => {
                let exact = (self.case_exact)(&self.name(path, prefix));
                let values: Vec<&Value> = self
                    .resolve(path, scope, prefix)
                    .into_iter()
                    // `emails eq "x"` compares the elements' `value`.
                    .filter_map(|v| match v {
                        Value::Object(fields) => get_ci(fields, "value"),
                        other => Some(other),
                    })
                    .filter(|v| !v.is_null())
                    .collect();
                compare(&values, *op, value, exact)
            }
            Filter::Present(path) => Ok(self
                .resolve(path, scope, prefix)
                .into_iter()
                .any(is_present)),
            Filter::And(a, b) => {
                let (a, b) = (self.eval(a, scope, prefix)?, self.eval(b, scope, prefix)?);
                Ok(a && b)
            }
            Filter::Or(a, b) => {
                let (a, b) = (self.eval(a, scope, prefix)?, self.eval(b, scope, prefix)?);
                Ok(a || b)
            }
            Filter::Not(inner) => Ok(!self.eval(inner, scope, prefix)?),
            Filter::ValuePath { path, filter } => {
                let name = self.name(path, prefix);
                let mut any = false;
                for element in self.resolve(path, scope, prefix) {
                    // Every element is evaluated, so a type error does not
                    // depend on the order of the values.
                    any |= self.eval(filter, element, Some(&name))?;
                }
                Ok(any)
            }
        }
    }

    /// The dotted, lower-case name of `path` inside the value path `prefix`.
    fn name(&self, path: &AttrPath, prefix: Option<&str>) -> String {
        match prefix {
            Some(prefix) => format!("{prefix}.{}", path.dotted()),
            None => path.dotted(),
        }
    }

    /// The values `path` names in `scope`, arrays flattened. Inside a value
    /// path, paths are relative to the element and any schema is ignored.
    fn resolve<'v>(
        &self,
        path: &AttrPath,
        scope: &'v Value,
        prefix: Option<&str>,
    ) -> Vec<&'v Value> {
        let container = match (&path.schema, prefix) {
            (Some(schema), None) if !path.is_core() => {
                scope.as_object().and_then(|fields| get_ci(fields, schema))
            }
            _ => Some(scope),
        };
        let Some(Value::Object(fields)) = container else {
            return Vec::new();
        };
        let Some(value) = get_ci(fields, &path.name) else {
            return Vec::new();
        };
        match &path.sub {
            None => flatten(value),
            Some(sub) => flatten(value)
                .into_iter()
                .filter_map(|element| element.as_object().and_then(|f| get_ci(f, sub)))
                .flat_map(flatten)
                .collect(),
        }
    }
}

/// Whether some of `values` (non-null) compares with `operand` by `op`.
/// An attribute without values equals nothing, so `ne` matches it.
fn compare(
    values: &[&Value],
    op: CompareOp,
    operand: &Value,
    exact: bool,
) -> Result<bool, ScimError> {
    match operand {
        Value::Null => {
            return match op {
                CompareOp::Eq => Ok(values.is_empty()),
                CompareOp::Ne => Ok(!values.is_empty()),
                _ => Err(bad(op, "with null (only eq and ne can)")),
            }
        }
        Value::Bool(_) if op.is_ordering() => return Err(bad(op, "booleans")),
        Value::Array(_) | Value::Object(_) => return Err(bad(op, "with arrays or objects")),
        Value::String(_) => {}
        _ if matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) => {
            return Err(bad(op, "anything but strings"))
        }
        _ => {}
    }
    if values.is_empty() {
        return Ok(op == CompareOp::Ne);
    }
    let mut any = false;
    for value in values {
        any |= compare_one(value, op, operand, exact)?;
    }
    Ok(any)
}

fn compare_one(
    value: &Value,
    op: CompareOp,
    operand: &Value,
    exact: bool,
) -> Result<bool, ScimError> {
    let fold = |s: &str| {
        if exact {
            s.to_owned()
        } else {
            s.to_lowercase()
        }
    };
    if let (Value::String(a), Value::String(b)) = (value, operand) {
        let (a, b) = (fold(a), fold(b));
        match op {
            CompareOp::Co => return Ok(a.contains(&b)),
            CompareOp::Sw => return Ok(a.starts_with(&b)),
            CompareOp::Ew => return Ok(a.ends_with(&b)),
            _ => {}
        }
    }
    let ordering = match (value, operand) {
        (Value::Bool(_), _) if op.is_ordering() => return Err(bad(op, "booleans")),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::Number(a), Value::Number(b)) => a
            .as_f64()
            .zip(b.as_f64())
            .and_then(|(a, b)| a.partial_cmp(&b)),
        (Value::String(a), Value::String(b)) => match (date_time(a), date_time(b)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => Some(fold(a).cmp(&fold(b))),
        },
        _ => None,
    };
    let Some(ordering) = ordering else {
        // Values of different types are never equal.
        return Ok(op == CompareOp::Ne);
    };
    Ok(match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        // Strings were answered above, other operands refused by `compare`.
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    })
}

/// An RFC 3339 dateTime (SCIM's `dateTime` type), else `None`.
fn date_time(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

#[cfg(test)]
#[path = "filter_eval_tests.rs"]
mod tests;
