//! Snapshot diff: joiners, movers and leavers between two complete syncs.

use std::collections::BTreeSet;

use crate::{Account, Change, ChangeKind, SiteSnapshot};

/// The change feed from `previous` to `next`, in a deterministic order
/// (by account id, then kind, then group id).
///
/// Both snapshots must be complete listings: an account missing from `next`
/// is reported as having left. Runs in O(n log n) over accounts and
/// memberships.
pub fn diff(previous: &SiteSnapshot, next: &SiteSnapshot) -> Vec<Change> {
    let mut changes = Vec::new();

    for (id, account) in &next.accounts {
        match previous.accounts.get(id) {
            None => changes.push(change(
                account,
                ChangeKind::Joined {
                    site_role: account.site_role.clone(),
                },
            )),
            Some(before) => account_changes(before, account, &mut changes),
        }
    }
    for (id, account) in &previous.accounts {
        if !next.accounts.contains_key(id) {
            changes.push(change(
                account,
                ChangeKind::Left {
                    site_role: account.site_role.clone(),
                },
            ));
        }
    }

    // Group moves of accounts that stayed; joiners' and leavers' groups
    // are part of their joining or leaving.
    let stayed = |user_id: &str| {
        previous
            .accounts
            .contains_key(user_id)
            .then(|| next.accounts.get(user_id))
            .flatten()
    };
    for (group_id, user_id) in next.memberships.difference(&previous.memberships) {
        if let Some(account) = stayed(user_id) {
            changes.push(change(
                account,
                ChangeKind::GroupAdded {
                    group_id: group_id.to_owned(),
                    group_name: next.group_name(group_id).to_owned(),
                },
            ));
        }
    }
    for (group_id, user_id) in previous.memberships.difference(&next.memberships) {
        if let Some(account) = stayed(user_id) {
            changes.push(change(
                account,
                ChangeKind::GroupRemoved {
                    group_id: group_id.to_owned(),
                    group_name: previous.group_name(group_id).to_owned(),
                },
            ));
        }
    }

    changes.sort_by(|a, b| {
        (&a.user_id, a.kind.rank(), a.kind.group_id()).cmp(&(
            &b.user_id,
            b.kind.rank(),
            b.kind.group_id(),
        ))
    });
    changes
}

fn change(account: &Account, kind: ChangeKind) -> Change {
    Change {
        user_id: account.id.clone(),
        user_name: account.name.clone(),
        kind,
    }
}

fn account_changes(before: &Account, after: &Account, out: &mut Vec<Change>) {
    if let Some(kind) = ChangeKind::for_role_move(&before.site_role, &after.site_role) {
        out.push(change(after, kind));
    }
    if before.name != after.name {
        out.push(change(
            after,
            ChangeKind::NameChanged {
                from: before.name.clone(),
                to: after.name.clone(),
            },
        ));
    }
    if before.email != after.email {
        out.push(change(
            after,
            ChangeKind::EmailChanged {
                from: before.email.clone(),
                to: after.email.clone(),
            },
        ));
    }
    if before.full_name != after.full_name {
        out.push(change(
            after,
            ChangeKind::FullNameChanged {
                from: before.full_name.clone(),
                to: after.full_name.clone(),
            },
        ));
    }
}

/// Account ids whose stored row must be rewritten: new, gone, or any field
/// different. A re-sync with nothing changed rewrites nothing.
pub fn changed_accounts(previous: &SiteSnapshot, next: &SiteSnapshot) -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = next
        .accounts
        .iter()
        .filter(|(id, a)| previous.accounts.get(*id) != Some(*a))
        .map(|(id, _)| id.clone())
        .collect();
    ids.extend(
        previous
            .accounts
            .keys()
            .filter(|id| !next.accounts.contains_key(*id))
            .cloned(),
    );
    ids
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
