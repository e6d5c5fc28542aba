//! Text from Tableau made safe for a terminal. Names, full names and group
//! names are set by anyone with an account, and an escape sequence in one
//! (ESC, another C0 or C1 control, a bidirectional override) would recolour,
//! move or hide what a table shows, or change the terminal's title. Such
//! characters are shown as a visible `\u{..}` escape instead.

use std::borrow::Cow;

/// Whether `c` changes how a terminal shows what follows it.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Bidirectional embeddings, overrides and isolates, and the marks.
            '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `value` with every unsafe character written as `\u{hex}`.
pub fn visible(value: &str) -> Cow<'_, str> {
    if !value.chars().any(is_unsafe) {
        return Cow::Borrowed(value);
    }
    let mut shown = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if is_unsafe(c) {
            shown.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// A message for standard error: like [`visible`], but its own line breaks
/// stay line breaks.
pub fn visible_lines(message: &str) -> String {
    message
        .split('\n')
        .map(|line| visible(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_become_visible_escapes() {
        let cases = [
            ("alice", "alice"),
            ("Zoë Ångström", "Zoë Ångström"),
            ("CORP\\bob", "CORP\\bob"),
            ("red\x1b[31mtext", "red\\u{1b}[31mtext"),
            ("bell\x07", "bell\\u{7}"),
            ("two\nlines\ttab", "two\\u{a}lines\\u{9}tab"),
            ("c1\u{9b}31m", "c1\\u{9b}31m"),
            ("del\u{7f}", "del\\u{7f}"),
            ("txt.\u{202e}exe", "txt.\\u{202e}exe"),
            ("iso\u{2066}late\u{2069}", "iso\\u{2066}late\\u{2069}"),
        ];
        for (value, shown) in cases {
            assert_eq!(visible(value), shown, "{value:?}");
        }
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn messages_keep_their_line_breaks() {
        assert_eq!(
            visible_lines("first \x1b]0;title\x07\nsecond"),
            "first \\u{1b}]0;title\\u{7}\nsecond"
        );
    }
}
