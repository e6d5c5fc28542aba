//! Tableau's error answers, read from whatever came back: Tableau's XML,
//! Tableau's JSON, or a proxy's page that is neither.

use serde_json::Value;

use super::scan::Attrs;
use super::stream::ItemReader;
use super::stream_one::find;
use crate::{ErrorCode, TableauError};

/// Longest summary taken from a body that is not a Tableau error.
const SUMMARY_CHARS: usize = 200;

/// Reads an error answer. Never fails, since the caller is already on an
/// error path: when the body is not a Tableau error, the code is the HTTP
/// status followed by `000` (Tableau's own convention) and the summary is
/// the start of the body, or the HTTP reason phrase when the body is blank.
pub fn decode_error(status: u16, body: &[u8]) -> TableauError {
    from_xml(status, body)
        .or_else(|| from_json(status, body))
        .unwrap_or_else(|| fallback(status, body))
}

/// What is known of `<error>` while it is open.
#[derive(Debug, Default)]
struct OpenError {
    code: Option<String>,
    /// The text so far of the first `<summary>` and the first `<detail>`.
    summary: String,
    detail: String,
}

/// Reads `<error code><summary>..</summary><detail>..</detail></error>`.
struct ErrorReader {
    status: u16,
}

impl ItemReader for ErrorReader {
    type Item = TableauError;
    type Open = OpenError;

    fn open(&self, attrs: &Attrs<'_>, _: &str) -> crate::Result<OpenError> {
        use super::xml::AttrSource;
        let code = attrs.values(["code"])?.attr("code").map(str::to_owned);
        Ok(OpenError {
            code,
            ..OpenError::default()
        })
    }

    fn child(&self, _: &mut OpenError, _: &str, _: &Attrs<'_>, _: &str) -> crate::Result<()> {
        Ok(())
    }

    fn child_text(&self, item: &mut OpenError, name: &str, text: &str) {
        match name {
            "summary" => item.summary.push_str(text),
            "detail" => item.detail.push_str(text),
            _ => {}
        }
    }

    fn close(&self, item: OpenError) -> crate::Result<TableauError> {
        Ok(TableauError {
            status: self.status,
            code: code_or_default(self.status, item.code),
            summary: item.summary.trim().to_owned(),
            detail: item.detail.trim().to_owned(),
        })
    }
}

/// Tableau's XML error: the root when it is `<error>`, else the root's
/// first `<error>` child (under `<tsResponse>`, or whatever root a proxy
/// wrote).
pub(super) fn from_xml(status: u16, body: &[u8]) -> Option<TableauError> {
    let reader = ErrorReader { status };
    let (_, error) = find(body, "error", 0..=1, "error", &reader).ok()?;
    reader.close(error?).ok()
}

/// [`from_xml`] through the tree, the reference it is tested against.
#[cfg(test)]
pub(super) fn from_xml_tree(status: u16, body: &[u8]) -> Option<TableauError> {
    use super::tree::{parse, Element};
    let root = parse(body).ok()?;
    let error = if root.name == "error" {
        &root
    } else {
        root.child("error")?
    };
    let text = |el: &Element, name: &str| {
        el.child(name)
            .map(|c| c.trimmed_text().to_owned())
            .unwrap_or_default()
    };
    Some(TableauError {
        status,
        code: code_or_default(status, error.attr("code").map(str::to_owned)),
        summary: text(error, "summary"),
        detail: text(error, "detail"),
    })
}

fn from_json(status: u16, body: &[u8]) -> Option<TableauError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?.as_object()?;
    let text = |name: &str| match error.get(name) {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let code = match error.get("code") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    Some(TableauError {
        status,
        code: code_or_default(status, code),
        summary: text("summary"),
        detail: text("detail"),
    })
}

fn code_or_default(status: u16, code: Option<String>) -> ErrorCode {
    match code.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()) {
        Some(code) => ErrorCode::parse(&code),
        None => ErrorCode::from_status(status),
    }
}

fn fallback(status: u16, body: &[u8]) -> TableauError {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let summary = if text.is_empty() {
        reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map_or_else(|| format!("HTTP {status}"), str::to_owned)
    } else {
        text.chars()
            .take(SUMMARY_CHARS)
            .collect::<String>()
            .trim()
            .to_owned()
    };
    TableauError {
        status,
        code: ErrorCode::from_status(status),
        summary,
        detail: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_xml_with_or_without_prefix() {
        for body in [
            r#"<tsResponse xmlns="http://tableau.com/api"><error code="409003"><summary>User Asset Conflict</summary><detail>owns &amp; more</detail></error></tsResponse>"#,
            r#"<ns0:tsResponse xmlns:ns0="http://tableau.com/api"><ns0:error code="409003"><ns0:summary>User Asset Conflict</ns0:summary><ns0:detail>owns &amp; more</ns0:detail></ns0:error></ns0:tsResponse>"#,
        ] {
            let e = decode_error(409, body.as_bytes());
            assert_eq!(e.code.as_str(), "409003");
            assert_eq!(e.summary, "User Asset Conflict");
            assert_eq!(e.detail, "owns & more");
            assert_eq!(e.status, 409);
        }
        let no_code = decode_error(
            500,
            b"<tsResponse><error><summary>x</summary></error></tsResponse>",
        );
        assert_eq!(
            (
                no_code.code.as_str(),
                no_code.summary.as_str(),
                no_code.detail.as_str()
            ),
            ("500000", "x", "")
        );
    }

    #[test]
    fn reads_json_with_string_or_number_codes() {
        let e = decode_error(
            401,
            br#"{"error":{"code":"401002","summary":"Unauthorized Access","detail":"Invalid"}}"#,
        );
        assert_eq!(
            (e.code.as_str(), e.summary.as_str(), e.detail.as_str()),
            ("401002", "Unauthorized Access", "Invalid")
        );
        let e = decode_error(429, br#"{"error":{"code":429000}}"#);
        assert_eq!((e.code.as_str(), e.summary.as_str()), ("429000", ""));
    }

    #[test]
    fn falls_back_to_status_and_body_text() {
        let e = decode_error(502, b"  <html><body>Bad gateway from proxy</body>  ");
        assert_eq!(e.code.as_str(), "502000");
        assert_eq!(e.summary, "<html><body>Bad gateway from proxy</body>");
        assert_eq!(e.detail, "");
        let e = decode_error(503, b"");
        assert_eq!(
            (e.code.as_str(), e.summary.as_str()),
            ("503000", "Service Unavailable")
        );
        let e = decode_error(599, b" \n");
        assert_eq!(e.summary, "HTTP 599");
        let long = "é".repeat(500);
        let e = decode_error(500, long.as_bytes());
        assert_eq!(e.summary.chars().count(), SUMMARY_CHARS);
        let e = decode_error(500, br#"{"other":1}"#);
        assert_eq!(
            (e.code.as_str(), e.summary.as_str()),
            ("500000", r#"{"other":1}"#)
        );
        let e = decode_error(500, b"<tsResponse><users/></tsResponse>");
        assert_eq!(e.code.as_str(), "500000");
        let e = decode_error(500, &[0xff, 0xfe, b'x']);
        assert_eq!(e.code.as_str(), "500000");
    }
}
