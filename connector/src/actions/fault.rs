//! Fault injection for tests: dying between the Tableau call and the
//! journal's outcome, the one moment the journal's recovery exists for.
//!
//! Setting `TABGOV_TEST_CRASH_AFTER_TABLEAU_CALL` to `1` (any action) or to
//! an action's name (`suspend`, `restore`, `deprovision`) makes tabgov abort
//! the process right after Tableau accepted that action's change, before
//! the outcome is journalled: the intent stays open, exactly as after a
//! kill or a power cut. The end-to-end tests use it to prove that running
//! the action again settles that intent. It is not a user setting: only
//! debug builds (the ones tests run) read it; release builds ignore it.

use super::Verb;

/// The environment variable of the hook.
pub const CRASH_AFTER_TABLEAU_CALL: &str = "TABGOV_TEST_CRASH_AFTER_TABLEAU_CALL";

/// Whether the hook's value asks to crash after `verb`'s Tableau call.
fn wants_crash(value: Option<&str>, verb: Verb) -> bool {
    value.is_some_and(|v| {
        let v = v.trim();
        v == "1" || v.eq_ignore_ascii_case(verb.as_str())
    })
}

/// Aborts the process when the hook asks for it (see the module docs);
/// a no-op in release builds.
pub fn crash_point(verb: Verb) {
    if !cfg!(debug_assertions) {
        return;
    }
    let value = std::env::var(CRASH_AFTER_TABLEAU_CALL).ok();
    if wants_crash(value.as_deref(), verb) {
        eprintln!("{CRASH_AFTER_TABLEAU_CALL}: aborting after the Tableau call of {verb}");
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_action_or_one_crashes() {
        assert!(wants_crash(Some("1"), Verb::Restore));
        assert!(wants_crash(Some("Suspend"), Verb::Suspend));
        assert!(!wants_crash(Some("suspend"), Verb::Deprovision));
        assert!(!wants_crash(Some("0"), Verb::Suspend));
        assert!(!wants_crash(None, Verb::Suspend));
    }
}
