//! Offboarding rows sent as JSON (the service's `POST /v1/offboard`): the
//! same columns and the same checks as an offboarding file, numbered by
//! row (the first is 1) instead of line.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::offboard::{row, unique, RowDefaults};
use super::TargetRequest;

/// One row: the columns of an offboarding file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffboardRow {
    pub user: Option<String>,
    pub action: Option<String>,
    pub transfer_to: Option<String>,
    pub reason: Option<String>,
    pub ticket: Option<String>,
}

/// The rows as requests, or every problem found, each naming its row. A
/// row is given as JSON so that one of the wrong shape is reported by
/// number, like any other problem.
pub fn requests_from_rows(
    rows: &[serde_json::Value],
    defaults: &RowDefaults,
) -> Result<Vec<TargetRequest>, Vec<String>> {
    let mut problems = Vec::new();
    let mut requests = Vec::new();
    let mut seen = HashMap::new();
    for (i, value) in rows.iter().enumerate() {
        let n = i as u64 + 1;
        let parsed: OffboardRow = match serde_json::from_value(value.clone()) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("row {n}: {e}"));
                continue;
            }
        };
        let field = |name: &str| -> Option<String> {
            match name {
                "user" => parsed.user.clone(),
                "action" => parsed.action.clone(),
                "transfer_to" => parsed.transfer_to.clone(),
                "reason" => parsed.reason.clone(),
                "ticket" => parsed.ticket.clone(),
                _ => None,
            }
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
        };
        match row(n, &field, defaults) {
            Ok(request) => match unique(&mut seen, &request, "row") {
                Ok(()) => requests.push(request),
                Err(problem) => problems.push(problem),
            },
            Err(problem) => problems.push(format!("row {n}: {problem}")),
        }
    }
    if problems.is_empty() && requests.is_empty() {
        problems.push("there are no rows".into());
    }
    if problems.is_empty() {
        Ok(requests)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::Verb;
    use serde_json::json;

    fn parse(rows: serde_json::Value) -> Result<Vec<TargetRequest>, Vec<String>> {
        let defaults = RowDefaults {
            action: Some(Verb::Suspend),
            reason: Some("leaver".into()),
            ..RowDefaults::default()
        };
        requests_from_rows(rows.as_array().unwrap(), &defaults)
    }

    #[test]
    fn rows_take_the_defaults_and_their_numbers() {
        let requests = parse(json!([
            {"user": "alice"},
            {"user": " bob ", "action": "Deprovision", "transfer_to": "carol", "ticket": "HR-2"}
        ]))
        .unwrap();
        assert_eq!(requests[0].verb, Verb::Suspend);
        assert_eq!(requests[0].reason.as_deref(), Some("leaver"));
        assert_eq!(requests[1].line, Some(2));
        assert_eq!(requests[1].user, "bob");
        assert_eq!(requests[1].verb, Verb::Deprovision);
        assert_eq!(requests[1].transfer_to.as_deref(), Some("carol"));
    }

    #[test]
    fn every_bad_row_is_named() {
        let problems = parse(json!([
            {"user": "alice"},
            {"usr": "typo"},
            {"user": ""},
            {"user": "ALICE"},
            {"user": "dave", "action": "delete"},
            {"user": "erin", "action": "suspend", "transfer_to": "x"},
            "frank"
        ]))
        .unwrap_err();
        let expected = [
            "row 2: unknown field `usr`",
            "row 3: the user is empty",
            "row 4: duplicate: user 'ALICE' is already on row 1",
            "row 5: unknown action 'delete'",
            "row 6: transfer_to applies only to deprovision",
            "row 7: invalid type",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:?}");
        for (problem, start) in problems.iter().zip(expected) {
            assert!(problem.starts_with(start), "{problem} / {start}");
        }
        assert_eq!(parse(json!([])).unwrap_err(), ["there are no rows"]);
    }
}
