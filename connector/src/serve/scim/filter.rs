//! SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2) parsed into a
//! tree. The parser is hand-written so an identity provider's malformed
//! filter gets a 400 naming the character where it went wrong and what was
//! expected there; length and nesting are capped so a filter cannot make
//! the service recurse without bound.

use serde_json::Value;

pub use super::filter_ast::{AttrPath, CompareOp, Filter, PatchPath};
use super::{ScimError, ScimType};

/// The longest filter or path accepted, in bytes.
pub const MAX_FILTER_LEN: usize = 4096;
/// The deepest nesting of parentheses, `not` and value paths accepted.
pub const MAX_DEPTH: usize = 32;

/// Parses a `filter` query parameter (or a `filter` of a search body).
pub fn parse_filter(text: &str) -> Result<Filter, ScimError> {
    let mut parser = Parser::new(text, ScimType::InvalidFilter)?;
    let filter = parser.or()?;
    parser.skip_ws();
    if !parser.at_end() {
        return Err(parser.error("`and`, `or` or the end of the filter"));
    }
    Ok(filter)
}

/// Parses a PATCH operation's `path`; errors are 400 invalidPath.
pub fn parse_path(text: &str) -> Result<PatchPath, ScimError> {
    let mut parser = Parser::new(text, ScimType::InvalidPath)?;
    parser.skip_ws();
    let mut attr = parser.attr_path()?;
    let mut filter = None;
    if parser.peek() == Some('[') {
        filter = Some(parser.bracketed(&attr)?);
        if parser.peek() == Some('.') {
            parser.pos += 1;
            let start = parser.pos;
            let sub = parser.take_while(is_name_char);
            if !is_attr_name(sub) {
                return Err(parser.error_at(start, "a sub-attribute name"));
            }
            attr.sub = Some(sub.to_owned());
        }
    }
    parser.skip_ws();
    if !parser.at_end() {
        return Err(parser.error("the end of the path"));
    }
    Ok(PatchPath { attr, filter })
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
    in_brackets: bool,
    kind: ScimType,
}

/// A character of an attribute path (URN prefix included).
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-' | '$')
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$')
}

/// ATTRNAME of RFC 7643 §2.1 (`ALPHA *(nameChar)`), and `$ref`.
fn is_attr_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("$ref")
        || (name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')))
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, kind: ScimType) -> Result<Parser<'a>, ScimError> {
        let what = Parser::what_of(kind);
        if src.len() > MAX_FILTER_LEN {
            return Err(ScimError::bad_request(
                kind,
                format!("the {what} is longer than {MAX_FILTER_LEN} bytes"),
            ));
        }
        Ok(Parser {
            src,
            pos: 0,
            depth: 0,
            in_brackets: false,
            kind,
        })
    }

    fn what_of(kind: ScimType) -> &'static str {
        if kind == ScimType::InvalidPath {
            "path"
        } else {
            "filter"
        }
    }

    fn error(&self, expected: &str) -> ScimError {
        self.error_at(self.pos, expected)
    }

    fn error_at(&self, pos: usize, expected: &str) -> ScimError {
        let what = Parser::what_of(self.kind);
        let at = self.src[..pos].chars().count() + 1;
        let rest = &self.src[pos..];
        let found = if rest.is_empty() {
            format!("the end of the {what}")
        } else {
            format!("{:?}", rest.chars().take(12).collect::<String>())
        };
        ScimError::bad_request(
            self.kind,
            format!("invalid {what} at character {at}: expected {expected}, found {found}"),
        )
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn at_end(&self) -> bool {
        self.pos == self.src.len()
    }

    fn skip_ws(&mut self) {
        self.take_while(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        let len = self.src[start..]
            .find(|c: char| !keep(c))
            .unwrap_or(self.src.len() - start);
        self.pos += len;
        &self.src[start..self.pos]
    }

    fn enter(&mut self) -> Result<(), ScimError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!("no deeper nesting (at most {MAX_DEPTH} levels)")));
        }
        Ok(())
    }

    /// Consumes the keyword `word` (any case) when it comes next as a whole
    /// word, not as the start of an attribute name (`order`, `notes`).
    fn eat_keyword(&mut self, word: &str) -> bool {
        self.skip_ws();
        let rest = &self.src[self.pos..];
        let matched = rest
            .get(..word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
            && !rest[word.len()..].starts_with(is_path_char);
        if matched {
            self.pos += word.len();
        }
        matched
    }

    fn or(&mut self) -> Result<Filter, ScimError> {
        let mut left = self.and()?;
        while self.eat_keyword("or") {
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, ScimError> {
        let mut left = self.unary()?;
        while self.eat_keyword("and") {
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, ScimError> {
        if self.eat_keyword("not") {
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Filter::Not(Box::new(inner)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Filter, ScimError> {
        self.skip_ws();
        if self.peek() == Some('(') {
            self.pos += 1;
            self.enter()?;
            let inner = self.or()?;
            self.skip_ws();
            if self.peek() != Some(')') {
                return Err(self.error("`)`, `and` or `or`"));
            }
            self.pos += 1;
            self.depth -= 1;
            return Ok(inner);
        }
        let path = self.attr_path()?;
        self.skip_ws();
        if self.peek() == Some('[') {
            let filter = self.bracketed(&path)?;
            return Ok(Filter::ValuePath {
                path,
                filter: Box::new(filter),
            });
        }
        let start = self.pos;
        let word = self.take_while(|c| c.is_ascii_alphabetic());
        if word.eq_ignore_ascii_case("pr") {
            return Ok(Filter::Present(path));
        }
        let Some(op) = CompareOp::parse(word) else {
            return Err(self.error_at(
                start,
                "an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr)",
            ));
        };
        self.skip_ws();
        let value = self.value()?;
        Ok(Filter::Compare { path, op, value })
    }

    /// `[filter]` after the attribute `path`; the cursor is on the `[`.
    fn bracketed(&mut self, path: &AttrPath) -> Result<Filter, ScimError> {
        if self.in_brackets {
            return Err(self.error("an operator (value filters do not nest)"));
        }
        if path.sub.is_some() {
            return Err(self
                .error("an operator (a value filter follows an attribute, not a sub-attribute)"));
        }
        self.pos += 1;
        self.enter()?;
        self.in_brackets = true;
        let filter = self.or()?;
        self.skip_ws();
        if self.peek() != Some(']') {
            return Err(self.error("`]`, `and` or `or`"));
        }
        self.pos += 1;
        self.in_brackets = false;
        self.depth -= 1;
        Ok(filter)
    }

    fn attr_path(&mut self) -> Result<AttrPath, ScimError> {
        let start = self.pos;
        let text = self.take_while(is_path_char);
        let (schema, rest, rest_at) = match text.rfind(':') {
            Some(i) => (Some(&text[..i]), &text[i + 1..], start + i + 1),
            None => (None, text, start),
        };
        if schema.is_some_and(|s| !s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))) {
            return Err(self.error_at(start, "an attribute name or a schema URN (urn:...)"));
        }
        let (name, sub) = match rest.split_once('.') {
            Some((name, sub)) => (name, Some(sub)),
            None => (rest, None),
        };
        if !is_attr_name(name) {
            return Err(self.error_at(rest_at, "an attribute name"));
        }
        if sub.is_some_and(|s| !is_attr_name(s)) {
            return Err(self.error_at(rest_at + name.len() + 1, "a sub-attribute name"));
        }
        Ok(AttrPath {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
            sub: sub.map(str::to_owned),
        })
    }

    fn value(&mut self) -> Result<Value, ScimError> {
        const EXPECTED: &str = "a value (a JSON string, a number, true, false or null)";
        let start = self.pos;
        match self.peek() {
            Some('"') => {
                let mut escaped = false;
                let end = self.src[start + 1..].find(|c: char| {
                    let closes = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    closes
                });
                let Some(end) = end.map(|e| start + 1 + e) else {
                    return Err(self.error_at(start, "a string closed by `\"`"));
                };
                let text: String = serde_json::from_str(&self.src[start..=end])
                    .map_err(|_| self.error_at(start, "a JSON string (a bad escape?)"))?;
                self.pos = end + 1;
                Ok(Value::String(text))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let text = self
                    .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'));
                serde_json::from_str::<serde_json::Number>(text)
                    .map(Value::Number)
                    .map_err(|_| self.error_at(start, "a number"))
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let word = self.take_while(|c| c.is_ascii_alphanumeric());
                match word.to_ascii_lowercase().as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    "null" => Ok(Value::Null),
                    _ => Err(self.error_at(start, EXPECTED)),
                }
            }
            _ => Err(self.error(EXPECTED)),
        }
    }
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
