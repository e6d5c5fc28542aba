//! Spreadsheet-safe CSV cells. A cell starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is a formula to Excel and its kin, and user
//! names, full names and group names come from Tableau, where anyone may
//! set their own. Such cells get a leading `'` (which spreadsheets show as
//! text), and reading a sheet back takes it off again.

use std::borrow::Cow;

fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// The cell as written: `'` before a formula-like value.
pub fn guard(value: &str) -> Cow<'_, str> {
    if value.starts_with(is_formula_start) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The value of a cell [`guard`] wrote.
pub(crate) fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(is_formula_start) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_read_back() {
        let cases = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-Ops", "'-Ops"),
            ("@team", "'@team"),
            ("Sales", "Sales"),
            ("'quoted", "'quoted"),
            ("", ""),
        ];
        for (value, cell) in cases {
            assert_eq!(guard(value), cell);
            assert_eq!(unguard(cell), value);
        }
    }
}
