//! Printing listings as a table, one JSON array, or CSV. Values come from
//! Tableau, where anyone may name themselves: CSV cells that a spreadsheet
//! would run as a formula are guarded, and control characters in table
//! cells are shown as visible escapes rather than sent to the terminal.

use std::io::Write;

use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;
use tabgov::reports::csv_cell::guard;
use tabgov::reports::terminal_text::visible;

use super::args::Format;

/// A column: its header and how to show a row's value as text.
pub type Column<T> = (&'static str, fn(&T) -> String);

/// Prints `rows` in `format`: JSON is the records' own serialisation (the
/// contract), table and CSV show `columns`.
pub fn print<T: Serialize>(
    format: Format,
    rows: &[T],
    columns: &[Column<T>],
) -> anyhow::Result<()> {
    match write(format, rows, columns) {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if is_broken_pipe(&e) => Ok(()),
        other => other,
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|e| {
                matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

fn write<T: Serialize>(format: Format, rows: &[T], columns: &[Column<T>]) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, rows)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(columns.iter().map(|(h, _)| *h))?;
            for row in rows {
                w.write_record(columns.iter().map(|(_, f)| guard(&f(row)).into_owned()))?;
            }
            w.flush()?;
        }
        Format::Table => {
            writeln!(out, "{}", table(rows, columns))?;
        }
    }
    Ok(())
}

/// Writes one line to standard output, for [`say!`]. A reader that closed
/// the pipe (`tabgov demo | head`) has what it wanted: the rest is dropped
/// instead of panicking as `say!` does. Any other failure to write ends
/// the run with exit 1 and one sentence.
pub fn line(text: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    match out.write_fmt(text).and_then(|()| out.write_all(b"\n")) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("error: cannot write to standard output ({e}): check where it is redirected");
            std::process::exit(tabgov::ExitCode::Runtime.code().into());
        }
    }
}

/// A table of `columns` for people.
pub fn table<T>(rows: &[T], columns: &[Column<T>]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::ASCII_MARKDOWN)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(columns.iter().map(|(h, _)| *h));
    for row in rows {
        t.add_row(columns.iter().map(|(_, f)| visible(&f(row)).into_owned()));
    }
    t
}

/// An optional value as text ("" when absent).
pub fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// A timestamp as RFC 3339 in whole seconds, "" when absent.
pub fn time(v: &Option<chrono::DateTime<chrono::Utc>>) -> String {
    v.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_show_headers_and_values() {
        let rows = vec![("alice", 3), ("bob", 0)];
        let columns: [Column<(&str, i32)>; 2] =
            [("name", |r| r.0.to_owned()), ("owned", |r| r.1.to_string())];
        let shown = table(&rows, &columns).to_string();
        for word in ["name", "owned", "alice", "bob", "3"] {
            assert!(shown.contains(word), "{shown}");
        }
    }

    #[test]
    fn table_cells_show_escape_sequences_instead_of_sending_them() {
        let rows = vec![("=cmd|'/C calc'!A0\x1b[31mred\u{202e}", 1)];
        let columns: [Column<(&str, i32)>; 1] = [("name", |r| r.0.to_owned())];
        let shown = table(&rows, &columns).to_string();
        assert!(
            !shown.contains('\x1b') && !shown.contains('\u{202e}'),
            "{shown:?}"
        );
        assert!(shown.contains("\\u{1b}[31mred\\u{202e}"), "{shown}");
    }
}
