//! Offboarding files: a CSV of leavers, one decision per row.
//!
//! Columns (header row required, any order, names case-insensitive):
//! `user` (LUID, sign-in name or email), `action` (`suspend` or
//! `deprovision`; blank takes the default), and optional `transfer_to`,
//! `reason`, `ticket`. Cells a results file guarded against spreadsheet
//! formulas (a leading `'`) are read without it. Blank lines are skipped.
//! Every row is checked before anything is done; the problems name their
//! line numbers.

use std::collections::HashMap;
use std::io::Read;

use tabgov_mapping::OnContent;

use crate::reports::csv_cell::unguard;

use super::{TargetRequest, Verb};

/// Columns an offboarding file may have.
pub const COLUMNS: [&str; 5] = ["user", "action", "transfer_to", "reason", "ticket"];

/// What rows leave blank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowDefaults {
    /// The action of rows without one (`--action`).
    pub action: Option<Verb>,
    pub on_content: OnContent,
    pub sticky: bool,
    pub reason: Option<String>,
    pub ticket: Option<String>,
}

/// Reads an offboarding file into requests, or every problem found, each
/// naming its line (the header is line 1).
pub fn parse_offboard<R: Read>(
    mut input: R,
    defaults: &RowDefaults,
) -> Result<Vec<TargetRequest>, Vec<String>> {
    let mut bytes = Vec::new();
    if let Err(e) = input.read_to_end(&mut bytes) {
        return Err(vec![format!("cannot read the file: {e}")]);
    }
    let lines = LineIndex::new(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![format!("cannot read the header row: {e}")]),
    };
    let columns = column_positions(&headers)?;
    let mut problems = Vec::new();
    let mut requests = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
        if record.len() > headers.len() {
            problems.push(format!(
                "line {line}: {} fields, but the header has {}",
                record.len(),
                headers.len()
            ));
            continue;
        }
        let field = |name: &str| -> Option<String> {
            columns
                .get(name)
                .and_then(|&i| record.get(i))
                .filter(|v| !v.is_empty())
                // A results file tabgov wrote guards formula-like names.
                .map(|v| unguard(v).to_owned())
        };
        match row(line, &field, defaults) {
            Ok(request) => {
                if let Err(problem) = unique(&mut seen, &request, "line") {
                    problems.push(problem);
                } else {
                    requests.push(request);
                }
            }
            Err(problem) => problems.push(format!("line {line}: {problem}")),
        }
    }
    if problems.is_empty() && requests.is_empty() {
        problems.push("the file has no rows below its header".into());
    }
    if problems.is_empty() {
        Ok(requests)
    } else {
        Err(problems)
    }
}

/// Line numbers of byte offsets (the csv reader's own line count skips
/// blank lines, which would misname every line after one).
struct LineIndex<'b> {
    bytes: &'b [u8],
    starts: Vec<usize>,
}

impl<'b> LineIndex<'b> {
    fn new(bytes: &'b [u8]) -> LineIndex<'b> {
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { bytes, starts }
    }

    /// The 1-based line of the record starting at byte `offset`: the reader
    /// counts the blank lines before a record as part of it, so they are
    /// skipped first.
    fn line_of(&self, offset: u64) -> u64 {
        let mut at = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while at < self.bytes.len() && matches!(self.bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        self.starts.partition_point(|start| *start <= at) as u64
    }
}

/// Where each known column is; unknown or repeated columns are problems.
fn column_positions(
    headers: &csv::StringRecord,
) -> Result<HashMap<&'static str, usize>, Vec<String>> {
    let mut positions = HashMap::new();
    let mut problems = Vec::new();
    for (i, raw) in headers.iter().enumerate() {
        let name = raw
            .trim_start_matches('\u{feff}')
            .trim()
            .to_ascii_lowercase();
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if positions.contains_key(c) => {
                problems.push(format!("line 1: column '{c}' appears twice"))
            }
            Some(c) => {
                positions.insert(*c, i);
            }
            None => problems.push(format!(
                "line 1: unknown column '{raw}' (columns are {})",
                COLUMNS.join(", ")
            )),
        }
    }
    if !positions.contains_key("user") {
        problems.push("line 1: the header has no 'user' column".into());
    }
    if problems.is_empty() {
        Ok(positions)
    } else {
        Err(problems)
    }
}

/// Records `request`'s user as seen at its line, or says where it was
/// first (`unit` is "line" for files, "row" for JSON).
pub(super) fn unique(
    seen: &mut HashMap<String, u64>,
    request: &TargetRequest,
    unit: &str,
) -> Result<(), String> {
    let line = request.line.unwrap_or_default();
    let key = request.user.to_lowercase();
    if let Some(first) = seen.get(&key) {
        return Err(format!(
            "{unit} {line}: duplicate: user '{}' is already on {unit} {first}",
            request.user
        ));
    }
    seen.insert(key, line);
    Ok(())
}

/// One row as a request, or why not.
pub(super) fn row(
    line: u64,
    field: &dyn Fn(&str) -> Option<String>,
    defaults: &RowDefaults,
) -> Result<TargetRequest, String> {
    let user = field("user").ok_or("the user is empty")?;
    let verb = match field("action") {
        Some(a) => match Verb::parse(&a) {
            Some(v @ (Verb::Suspend | Verb::Deprovision)) => v,
            _ => return Err(format!("unknown action '{a}' (suspend or deprovision)")),
        },
        None => defaults
            .action
            .ok_or("no action: fill the action column or pass --action")?,
    };
    let transfer_to = field("transfer_to");
    if transfer_to.is_some() && verb != Verb::Deprovision {
        return Err("transfer_to applies only to deprovision".into());
    }
    Ok(TargetRequest {
        line: Some(line),
        user,
        verb,
        transfer_to,
        on_content: defaults.on_content,
        sticky: defaults.sticky,
        reason: field("reason").or_else(|| defaults.reason.clone()),
        ticket: field("ticket").or_else(|| defaults.ticket.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, action: Option<Verb>) -> Result<Vec<TargetRequest>, Vec<String>> {
        let defaults = RowDefaults {
            action,
            reason: Some("leaver".into()),
            ..RowDefaults::default()
        };
        parse_offboard(text.as_bytes(), &defaults)
    }

    #[test]
    fn cells_guarded_in_a_results_file_are_read_back_as_their_names() {
        let text = "user,action,transfer_to,reason\n\
                    '-ops,deprovision,'@heir,'=left\n\
                    '+temp,suspend,,\n\
                    'quoted,suspend,,\n";
        let rows = parse(text, None).unwrap();
        assert_eq!(rows[0].user, "-ops");
        assert_eq!(rows[0].transfer_to.as_deref(), Some("@heir"));
        assert_eq!(rows[0].reason.as_deref(), Some("=left"));
        assert_eq!(rows[1].user, "+temp");
        assert_eq!(rows[2].user, "'quoted", "a quote tabgov did not add stays");
    }

    #[test]
    fn reads_rows_with_defaults_and_line_numbers() {
        let text = "\u{feff}User,Action,transfer_to,ticket\n\
                    alice, suspend ,,HR-1\n\
                    \n\
                    bob@example.com,deprovision,carol,HR-2\n\
                    dave,,,\n";
        let rows = parse(text, Some(Verb::Suspend)).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[0].line, rows[0].verb), (Some(2), Verb::Suspend));
        assert_eq!(rows[0].ticket.as_deref(), Some("HR-1"));
        assert_eq!(rows[0].reason.as_deref(), Some("leaver"));
        assert_eq!(rows[1].line, Some(4));
        assert_eq!(rows[1].transfer_to.as_deref(), Some("carol"));
        assert_eq!(
            (rows[2].user.as_str(), rows[2].verb),
            ("dave", Verb::Suspend)
        );
    }

    #[test]
    fn every_bad_row_is_named_by_line() {
        let text = "user,action,transfer_to\n\
                    alice,suspend,\n\
                    ,suspend,\n\
                    bob,delete,\n\
                    ALICE,deprovision,\n\
                    carol,suspend,dave\n\
                    erin,restore,\n\
                    frank,,\n";
        let problems = parse(text, None).unwrap_err();
        assert_eq!(
            problems,
            vec![
                "line 3: the user is empty",
                "line 4: unknown action 'delete' (suspend or deprovision)",
                "line 5: duplicate: user 'ALICE' is already on line 2",
                "line 6: transfer_to applies only to deprovision",
                "line 7: unknown action 'restore' (suspend or deprovision)",
                "line 8: no action: fill the action column or pass --action",
            ]
        );
    }

    #[test]
    fn windows_line_ends_and_blank_lines_keep_line_numbers_right() {
        let text = "user,action\r\n\r\nalice,suspend\r\n\r\n\r\nbob,fire\r\n";
        assert_eq!(
            parse(text, None).unwrap_err(),
            vec!["line 6: unknown action 'fire' (suspend or deprovision)"]
        );
        let rows = parse("user,action\r\nalice,suspend\r\n", None).unwrap();
        assert_eq!((rows[0].line, rows[0].user.as_str()), (Some(2), "alice"));
    }

    #[test]
    fn the_header_must_name_known_columns_and_a_user() {
        let problems = parse("name,action\nalice,suspend\n", None).unwrap_err();
        assert!(
            problems.iter().any(|p| p.contains("unknown column 'name'")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("no 'user' column")),
            "{problems:?}"
        );
        let problems = parse("user,user\nalice,bob\n", None).unwrap_err();
        assert_eq!(problems, vec!["line 1: column 'user' appears twice"]);
        let problems = parse("user\n", Some(Verb::Suspend)).unwrap_err();
        assert_eq!(problems, vec!["the file has no rows below its header"]);
        let problems = parse("user,action\nalice,suspend,extra\n", None).unwrap_err();
        assert_eq!(problems, vec!["line 2: 3 fields, but the header has 2"]);
    }
}
