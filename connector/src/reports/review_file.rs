//! Reading a filled-in review sheet back: CSV (as exported, or re-saved by
//! a spreadsheet) or JSON. Every row is checked, and every problem is
//! reported with where it is, so the reviewer can fix the file in one go.

use std::fmt;

use serde::Deserialize;
use tabgov_mapping::{Decision, EntitlementKind};

use super::csv_cell::unguard;

/// Where a row is in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A CSV line, counted from 1 (the header is line 1).
    Line(u64),
    /// A JSON array element, counted from 1.
    Entry(u64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Entry(n) => write!(f, "entry {n}"),
        }
    }
}

/// One decision row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewLine {
    pub at: Location,
    /// The site's content URL.
    pub site: String,
    pub user_id: String,
    pub username: String,
    pub kind: EntitlementKind,
    pub value: String,
    pub decision: Decision,
    pub comment: String,
}

/// Why one row cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub at: Location,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// The columns a sheet must have (others are ignored).
const REQUIRED: [&str; 5] = ["site", "user_id", "entitlement", "value", "decision"];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawRow {
    site: Option<String>,
    user_id: Option<String>,
    username: Option<String>,
    entitlement: Option<String>,
    value: Option<String>,
    decision: Option<String>,
    comment: Option<String>,
}

/// Reads a sheet: JSON when `text` starts with `[`, CSV otherwise.
pub fn read_review_file(text: &str) -> Result<Vec<ReviewLine>, Vec<RowProblem>> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('[') {
        read_json(text)
    } else {
        read_csv(text)
    }
}

fn read_csv(text: &str) -> Result<Vec<ReviewLine>, Vec<RowProblem>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| {
        vec![RowProblem {
            at: Location::Line(1),
            message: format!("cannot read the header row: {e}"),
        }]
    })?;
    let headers: Vec<String> = headers
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![RowProblem {
            at: Location::Line(1),
            message: format!(
                "the header row lacks {}: use the sheet `tabgov review export` wrote",
                missing.join(", ")
            ),
        }]);
    }
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        match record {
            Err(e) => {
                problems.push(RowProblem {
                    at: Location::Line(e.position().map_or(0, |p| line_at(text, p.byte()))),
                    message: format!("not a CSV row of the sheet: {e}"),
                });
            }
            Ok(record) => {
                let at = Location::Line(record.position().map_or(0, |p| line_at(text, p.byte())));
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                let field = |name: &str| {
                    headers
                        .iter()
                        .position(|h| h == name)
                        .and_then(|i| record.get(i))
                        .map(|v| unguard(v.trim()).to_owned())
                };
                let raw = RawRow {
                    site: field("site"),
                    user_id: field("user_id"),
                    username: field("username"),
                    entitlement: field("entitlement"),
                    value: field("value"),
                    decision: field("decision"),
                    comment: field("comment"),
                };
                match line_of(at, raw) {
                    Ok(line) => lines.push(line),
                    Err(p) => problems.push(p),
                }
            }
        }
    }
    finish(lines, problems)
}

/// The 1-based line of byte `offset` (the reader's own line count skips
/// blank lines, which a reviewer looking at the file does not).
fn line_at(text: &str, offset: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    // A record's position can point at the blank lines skipped before it.
    while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
        end += 1;
    }
    bytes[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

fn read_json(text: &str) -> Result<Vec<ReviewLine>, Vec<RowProblem>> {
    let values: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| {
        vec![RowProblem {
            at: Location::Line(e.line() as u64),
            message: format!("not a JSON array of review rows: {e}"),
        }]
    })?;
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let at = Location::Entry(i as u64 + 1);
        match serde_json::from_value::<RawRow>(value) {
            Err(e) => problems.push(RowProblem {
                at,
                message: format!("not a review row: {e}"),
            }),
            Ok(raw) => match line_of(at, raw) {
                Ok(line) => lines.push(line),
                Err(p) => problems.push(p),
            },
        }
    }
    finish(lines, problems)
}

fn finish(
    lines: Vec<ReviewLine>,
    problems: Vec<RowProblem>,
) -> Result<Vec<ReviewLine>, Vec<RowProblem>> {
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(problems)
    }
}

fn line_of(at: Location, raw: RawRow) -> Result<ReviewLine, RowProblem> {
    let problem = |message: String| RowProblem { at, message };
    let decision: Decision = raw
        .decision
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(problem)?;
    let kind: EntitlementKind = raw
        .entitlement
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(problem)?;
    let user_id = raw.user_id.unwrap_or_default().trim().to_owned();
    let username = raw.username.unwrap_or_default().trim().to_owned();
    if user_id.is_empty() && username.is_empty() {
        return Err(problem(
            "no user_id and no username: the row names no account".to_owned(),
        ));
    }
    Ok(ReviewLine {
        at,
        site: raw.site.unwrap_or_default().trim().to_owned(),
        user_id,
        username,
        kind,
        value: raw.value.unwrap_or_default().trim().to_owned(),
        decision,
        comment: raw.comment.unwrap_or_default().trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "site,user_id,username,email,full_name,status,last_login,owned_content,entitlement,value,granted_by,decision,comment\n";

    #[test]
    fn reads_decisions_with_their_line_numbers() {
        let text = format!(
            "{HEADER},u1,alice,,,Active,,0,group,Sales,direct,revoke,left the team\n\
             ,u1,alice,,,Active,,0,site_role,Creator,direct,,\n\
             \n\
             ,u2,bob,,,Active,,0,account,bob,direct,Keep,\n"
        );
        let lines = read_review_file(&text).unwrap();
        let got: Vec<_> = lines
            .iter()
            .map(|l| (l.at, l.user_id.as_str(), l.kind, l.decision))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Location::Line(2),
                    "u1",
                    EntitlementKind::Group,
                    Decision::Revoke
                ),
                (
                    Location::Line(3),
                    "u1",
                    EntitlementKind::SiteRole,
                    Decision::Undecided
                ),
                (
                    Location::Line(5),
                    "u2",
                    EntitlementKind::Account,
                    Decision::Keep
                ),
            ]
        );
        assert_eq!(lines[0].comment, "left the team");
    }

    #[test]
    fn every_bad_row_is_named() {
        let text = format!(
            "\u{feff}{HEADER},u1,alice,,,Active,,0,group,Sales,direct,maybe,\n\
             ,u1,alice,,,Active,,0,hat,red,direct,revoke,\n\
             ,,,,,Active,,0,group,Sales,direct,revoke,\n\
             ,u1,alice\n"
        );
        let problems = read_review_file(&text).unwrap_err();
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert!(
            shown[0].starts_with("line 2: unknown decision"),
            "{shown:?}"
        );
        assert!(
            shown[1].starts_with("line 3: unknown entitlement kind"),
            "{shown:?}"
        );
        assert!(shown[2].starts_with("line 4: no user_id"), "{shown:?}");
        assert!(shown[3].starts_with("line 5: not a CSV row"), "{shown:?}");
    }

    #[test]
    fn a_sheet_without_the_decision_column_is_refused_at_the_header() {
        let problems =
            read_review_file("site,user_id,entitlement,value\n,u1,group,x\n").unwrap_err();
        assert_eq!(problems[0].at, Location::Line(1));
        assert!(problems[0].message.contains("decision"));
    }

    #[test]
    fn reads_the_json_form() {
        let text = r#"[
          {"site": "", "user_id": "u1", "username": "alice", "entitlement": "license",
           "value": "Creator", "decision": "revoke", "comment": null},
          {"site": "", "user_id": "u2", "entitlement": "group", "value": "x", "decision": "nope"}
        ]"#;
        let problems = read_review_file(text).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].at, Location::Entry(2));
        let ok = read_review_file(&text.replace("nope", "keep")).unwrap();
        assert_eq!(ok[0].kind, EntitlementKind::License);
        assert_eq!(ok[1].decision, Decision::Keep);
    }
}
