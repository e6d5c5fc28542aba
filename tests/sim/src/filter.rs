//! `filter=field:op:value[,…]` and `sort=field:asc|desc`, checked against the
//! fields and operators each resource accepts.

use crate::error::ApiError;
use chrono::{DateTime, Utc};
use std::cmp::Ordering;

/// Filter operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Equal.
    Eq,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Gte,
    /// Less than.
    Lt,
    /// Less than or equal.
    Lte,
    /// One of a `[a,b]` list.
    In,
    /// Contains (case-insensitive).
    Has,
    /// Case-insensitive equal.
    Cieq,
    /// Wildcard match with `*` (case-insensitive).
    Like,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "eq" => Op::Eq,
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            "in" => Op::In,
            "has" => Op::Has,
            "cieq" => Op::Cieq,
            "like" => Op::Like,
            _ => return None,
        })
    }
}

/// Value type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Text.
    Str,
    /// ISO 8601 instant.
    Date,
    /// Integer.
    Num,
    /// `true` / `false`.
    Bool,
}

/// A filterable field and the operators it takes.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Field name in the query.
    pub name: &'static str,
    /// Value type.
    pub ty: Ty,
    /// Accepted operators.
    pub ops: &'static [Op],
}

/// A field's value on one item.
#[derive(Debug, Clone, Copy)]
pub enum Val<'a> {
    /// Text.
    Str(&'a str),
    /// Instant, `None` when absent (never signed in).
    Date(Option<DateTime<Utc>>),
    /// Integer.
    Num(i64),
    /// Boolean.
    Bool(bool),
}

/// One checked condition.
#[derive(Debug, Clone)]
pub struct Cond {
    /// Field name.
    pub field: &'static str,
    /// Operator.
    pub op: Op,
    values: Vec<String>,
    dates: Vec<DateTime<Utc>>,
    nums: Vec<i64>,
}

fn bad(detail: String) -> ApiError {
    ApiError::bad_request(detail)
}

/// Splits on commas outside `[...]`.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// Parses and checks a filter expression against `specs`.
pub fn parse_filter(expr: &str, specs: &[FieldSpec]) -> Result<Vec<Cond>, ApiError> {
    let mut out = Vec::new();
    for part in split_top(expr).into_iter().filter(|p| !p.is_empty()) {
        let mut it = part.splitn(3, ':');
        let (Some(field), Some(op), Some(value)) = (it.next(), it.next(), it.next()) else {
            return Err(bad(format!(
                "Invalid filter expression '{part}': expected field:operator:value."
            )));
        };
        let spec = specs.iter().find(|s| s.name == field).ok_or_else(|| {
            bad(format!(
                "Filter field '{field}' is not supported for this resource."
            ))
        })?;
        let op = Op::parse(op).ok_or_else(|| bad(format!("Unknown filter operator '{op}'.")))?;
        if !spec.ops.contains(&op) {
            return Err(bad(format!(
                "Filter operator '{op:?}' is not supported for field '{field}'."
            )
            .replace("'Eq'", "'eq'")));
        }
        let values: Vec<String> = if op == Op::In {
            let inner = value
                .strip_prefix('[')
                .and_then(|v| v.strip_suffix(']'))
                .ok_or_else(|| {
                    bad(format!(
                        "The 'in' operator needs a [a,b] list, got '{value}'."
                    ))
                })?;
            inner.split(',').map(|s| s.to_string()).collect()
        } else {
            vec![value.to_string()]
        };
        let mut dates = Vec::new();
        let mut nums = Vec::new();
        for v in &values {
            match spec.ty {
                Ty::Date => dates.push(
                    DateTime::parse_from_rfc3339(v)
                        .map_err(|_| bad(format!("'{v}' is not an ISO 8601 date-time.")))?
                        .with_timezone(&Utc),
                ),
                Ty::Num => nums.push(
                    v.parse()
                        .map_err(|_| bad(format!("'{v}' is not an integer.")))?,
                ),
                Ty::Bool if v != "true" && v != "false" => {
                    return Err(bad(format!("'{v}' is not true or false.")))
                }
                _ => {}
            }
        }
        out.push(Cond {
            field: spec.name,
            op,
            values,
            dates,
            nums,
        });
    }
    Ok(out)
}

fn like(pattern: &str, s: &str) -> bool {
    let p = pattern.to_lowercase();
    let s = s.to_lowercase();
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == s;
    }
    let mut rest = s.as_str();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(pos) => rest = &rest[pos + part.len()..],
                None => return false,
            }
        }
    }
    true
}

fn cmp_op(op: Op, ord: Ordering) -> bool {
    match op {
        Op::Eq | Op::In | Op::Cieq => ord == Ordering::Equal,
        Op::Gt => ord == Ordering::Greater,
        Op::Gte => ord != Ordering::Less,
        Op::Lt => ord == Ordering::Less,
        Op::Lte => ord != Ordering::Greater,
        Op::Has | Op::Like => false,
    }
}

impl Cond {
    /// Whether an item whose field has value `v` passes.
    pub fn matches(&self, v: Val<'_>) -> bool {
        match v {
            Val::Str(s) => self.values.iter().any(|want| match self.op {
                Op::Cieq => s.eq_ignore_ascii_case(want) || s.to_lowercase() == want.to_lowercase(),
                Op::Has => s.to_lowercase().contains(&want.to_lowercase()),
                Op::Like => like(want, s),
                op => cmp_op(op, s.cmp(want.as_str())),
            }),
            Val::Date(None) => false,
            Val::Date(Some(d)) => self.dates.iter().any(|w| cmp_op(self.op, d.cmp(w))),
            Val::Num(n) => self.nums.iter().any(|w| cmp_op(self.op, n.cmp(w))),
            Val::Bool(b) => self.values.iter().any(|w| (w == "true") == b),
        }
    }
}

/// The value of the first `field:eq:value` condition: every item passing
/// `conds` has exactly that value (lets a listing look one name up instead of
/// scanning).
pub fn eq_value<'a>(conds: &'a [Cond], field: &str) -> Option<&'a str> {
    conds
        .iter()
        .find(|c| c.field == field && c.op == Op::Eq && c.values.len() == 1)
        .map(|c| c.values[0].as_str())
}

/// Whether an item passes every condition; `get` yields a field's value.
pub fn matches_all<'a>(conds: &[Cond], get: impl Fn(&str) -> Val<'a>) -> bool {
    conds.iter().all(|c| c.matches(get(c.field)))
}

/// Parses `sort=field:asc|desc[,…]` against the sortable fields.
pub fn parse_sort(
    expr: &str,
    fields: &[&'static str],
) -> Result<Vec<(&'static str, bool)>, ApiError> {
    let mut out = Vec::new();
    for part in expr.split(',').filter(|p| !p.is_empty()) {
        let (field, dir) = part.split_once(':').unwrap_or((part, "asc"));
        let f = fields.iter().find(|f| **f == field).ok_or_else(|| {
            bad(format!(
                "Sort field '{field}' is not supported for this resource."
            ))
        })?;
        let desc = match dir {
            "asc" => false,
            "desc" => true,
            _ => return Err(bad(format!("Sort direction '{dir}' must be asc or desc."))),
        };
        out.push((*f, desc));
    }
    Ok(out)
}

/// Compares two field values for sorting (absent dates sort first).
pub fn cmp_vals(a: Val<'_>, b: Val<'_>) -> Ordering {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => x.to_lowercase().cmp(&y.to_lowercase()).then(x.cmp(y)),
        (Val::Date(x), Val::Date(y)) => x.cmp(&y),
        (Val::Num(x), Val::Num(y)) => x.cmp(&y),
        (Val::Bool(x), Val::Bool(y)) => x.cmp(&y),
        _ => Ordering::Equal,
    }
}

/// The operators of comparable fields.
pub const CMP_OPS: &[Op] = &[Op::Eq, Op::Gt, Op::Gte, Op::Lt, Op::Lte];
/// The operators of name-like fields.
pub const NAME_OPS: &[Op] = &[Op::Eq, Op::Cieq, Op::In, Op::Has, Op::Like];
/// Equality and lists.
pub const EQ_IN: &[Op] = &[Op::Eq, Op::In];
/// Equality only.
pub const EQ: &[Op] = &[Op::Eq];

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[FieldSpec] = &[
        FieldSpec {
            name: "name",
            ty: Ty::Str,
            ops: NAME_OPS,
        },
        FieldSpec {
            name: "lastLogin",
            ty: Ty::Date,
            ops: CMP_OPS,
        },
        FieldSpec {
            name: "userCount",
            ty: Ty::Num,
            ops: CMP_OPS,
        },
        FieldSpec {
            name: "isLocal",
            ty: Ty::Bool,
            ops: EQ,
        },
    ];

    fn one(expr: &str, v: Val<'_>) -> bool {
        let c = parse_filter(expr, SPECS).unwrap();
        matches_all(&c, |_| v)
    }

    #[test]
    fn every_operator() {
        assert!(one("name:eq:bob", Val::Str("bob")));
        assert!(!one("name:eq:Bob", Val::Str("bob")));
        assert!(one("name:cieq:BOB", Val::Str("bob")));
        assert!(one("name:in:[al,bob]", Val::Str("bob")));
        assert!(!one("name:in:[al,carl]", Val::Str("bob")));
        assert!(one("name:has:OB", Val::Str("bob")));
        assert!(one("name:like:b*b", Val::Str("bob")));
        assert!(!one("name:like:a*", Val::Str("bob")));
        let d = DateTime::parse_from_rfc3339("2024-05-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(one(
            "lastLogin:gte:2024-05-01T00:00:00Z",
            Val::Date(Some(d))
        ));
        assert!(one("lastLogin:gt:2024-04-01T00:00:00Z", Val::Date(Some(d))));
        assert!(one("lastLogin:lt:2024-06-01T00:00:00Z", Val::Date(Some(d))));
        assert!(one(
            "lastLogin:lte:2024-05-01T00:00:00Z",
            Val::Date(Some(d))
        ));
        assert!(one("lastLogin:eq:2024-05-01T00:00:00Z", Val::Date(Some(d))));
        assert!(!one("lastLogin:gte:2000-01-01T00:00:00Z", Val::Date(None)));
        assert!(one("userCount:gt:3", Val::Num(4)));
        assert!(one("isLocal:eq:true", Val::Bool(true)));
    }

    #[test]
    fn rejects_bad_expressions() {
        for e in [
            "email:eq:x",
            "name:zz:x",
            "name",
            "lastLogin:gte:yesterday",
            "name:in:a,b",
            "lastLogin:has:x",
            "userCount:gt:x",
        ] {
            assert_eq!(parse_filter(e, SPECS).unwrap_err().code, 400000, "{e}");
        }
        assert_eq!(
            parse_filter("name:eq:a,userCount:gt:1", SPECS)
                .unwrap()
                .len(),
            2
        );
        assert!(parse_sort("name:asc,lastLogin:desc", &["name", "lastLogin"]).is_ok());
        assert!(parse_sort("email:asc", &["name"]).is_err());
    }
}
