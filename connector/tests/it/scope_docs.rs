//! The scope tables of docs/connecting.md and docs/actions.md are the
//! scopes the code asks for: each documented row is computed from the code
//! and compared, so the pages cannot drift from what tabgov sends.

use std::collections::BTreeSet;

use tabgov::actions::{scopes, TargetRequest, Verb};
use tabgov::credentials::Scope;
use tabgov_mapping::OnContent;

fn page(name: &str) -> String {
    let path = format!("{}/../docs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The rows of the first table whose header starts with `| {first} | scopes |`:
/// the first cell, and the backquoted `tableau:` scopes of the second.
fn scope_table(text: &str, first: &str) -> Vec<(String, BTreeSet<String>)> {
    let header = format!("| {first} | scopes |");
    let start = text
        .find(&header)
        .unwrap_or_else(|| panic!("no table starting {header}"));
    text[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let scopes = cells[1]
                .split('`')
                .filter(|s| s.starts_with("tableau:"))
                .map(str::to_owned)
                .collect();
            (cells[0].to_owned(), scopes)
        })
        .collect()
}

fn names(scopes: &[Scope]) -> BTreeSet<String> {
    scopes.iter().map(|s| s.as_str().to_owned()).collect()
}

fn request(verb: Verb, on_content: OnContent, sticky: bool) -> TargetRequest {
    let mut r = TargetRequest::new("someone", verb);
    r.on_content = on_content;
    r.sticky = sticky;
    r
}

#[test]
fn the_actions_table_is_what_each_action_asks_for() {
    let rows = scope_table(&page("actions.md"), "action");
    let expected = [
        ("suspend", request(Verb::Suspend, OnContent::Refuse, false)),
        (
            "suspend `--sticky`",
            request(Verb::Suspend, OnContent::Refuse, true),
        ),
        ("restore", request(Verb::Restore, OnContent::Refuse, false)),
        (
            "deprovision",
            request(Verb::Deprovision, OnContent::Refuse, false),
        ),
        (
            "deprovision `--on-content suspend`",
            request(Verb::Deprovision, OnContent::Suspend, false),
        ),
        (
            "deprovision `--on-content suspend --sticky`",
            request(Verb::Deprovision, OnContent::Suspend, true),
        ),
        ("add_user", request(Verb::AddUser, OnContent::Refuse, false)),
        (
            "update_user",
            request(Verb::UpdateUser, OnContent::Refuse, false),
        ),
        (
            "add_member",
            request(Verb::AddMember, OnContent::Refuse, false),
        ),
        (
            "create_group",
            request(Verb::CreateGroup, OnContent::Refuse, false),
        ),
        (
            "delete_group",
            request(Verb::DeleteGroup, OnContent::Refuse, false),
        ),
    ];
    for (label, req) in &expected {
        let documented = rows
            .iter()
            .find(|(l, _)| l == label)
            .unwrap_or_else(|| panic!("docs/actions.md has no row {label:?}"));
        assert_eq!(
            documented.1,
            names(&scopes::for_batch(std::slice::from_ref(req))),
            "docs/actions.md row {label:?}"
        );
    }
    // Every row naming scopes is one the code was compared with.
    for (label, documented) in &rows {
        assert!(
            documented.is_empty() || expected.iter().any(|(l, _)| l == label),
            "docs/actions.md row {label:?} is not checked against the code"
        );
    }
}

#[test]
fn the_connecting_table_is_what_a_sync_asks_for() {
    let rows = scope_table(&page("connecting.md"), "command");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, "sync");
    assert_eq!(rows[0].1, names(Scope::SYNC));
}

#[test]
fn no_page_names_a_scope_tableau_does_not_have() {
    for name in ["actions.md", "connecting.md", "simulator.md"] {
        assert!(
            !page(name).contains("tableau:content:update"),
            "docs/{name} names tableau:content:update"
        );
    }
}
