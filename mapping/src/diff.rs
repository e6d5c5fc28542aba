//! Snapshot diff: joiners, movers and leavers between two complete syncs.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::{Account, Change, ChangeKind, GroupId, SiteSnapshot, UserId};

/// The change feed from `previous` to `next`, in a deterministic order
/// (by account id, then kind, then group id).
///
/// Both snapshots must be complete listings: an account missing from `next`
/// is reported as having left. Runs in O(n log n) over accounts and
/// memberships.
pub fn diff(previous: &SiteSnapshot, next: &SiteSnapshot) -> Vec<Change> {
    let mut changes = Vec::new();

    for pair in pair_accounts(previous, next) {
        match pair {
            (None, Some(account)) => changes.push(Change::joined(account)),
            (Some(before), Some(account)) => account_changes(before, account, &mut changes),
            (Some(account), None) => changes.push(Change::of(
                account,
                ChangeKind::Left {
                    site_role: account.site_role.clone(),
                },
            )),
            (None, None) => {}
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
            changes.push(Change::of(
                account,
                ChangeKind::GroupAdded {
                    group_id: GroupId::from(group_id),
                    group_name: next.group_name(group_id).to_owned(),
                },
            ));
        }
    }
    for (group_id, user_id) in previous.memberships.difference(&next.memberships) {
        if let Some(account) = stayed(user_id) {
            changes.push(Change::of(
                account,
                ChangeKind::GroupRemoved {
                    group_id: GroupId::from(group_id),
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

fn account_changes(before: &Account, after: &Account, out: &mut Vec<Change>) {
    if let Some(kind) = ChangeKind::for_role_move(&before.site_role, &after.site_role) {
        out.push(Change::of(after, kind));
    }
    if before.name != after.name {
        out.push(Change::of(
            after,
            ChangeKind::NameChanged {
                from: before.name.clone(),
                to: after.name.clone(),
            },
        ));
    }
    if before.email != after.email {
        out.push(Change::of(
            after,
            ChangeKind::EmailChanged {
                from: before.email.clone(),
                to: after.email.clone(),
            },
        ));
    }
    if before.full_name != after.full_name {
        out.push(Change::of(
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
pub fn changed_accounts(previous: &SiteSnapshot, next: &SiteSnapshot) -> BTreeSet<UserId> {
    pair_accounts(previous, next)
        .filter(|(before, after)| before != after)
        .filter_map(|(before, after)| after.or(before))
        .map(|a| a.id.clone())
        .collect()
}

/// Every account id of either snapshot once, in id order, with the account
/// each snapshot has under it: one walk along both sorted maps instead of a
/// lookup (a dozen string comparisons) per account.
pub(crate) fn pair_accounts<'a>(
    previous: &'a SiteSnapshot,
    next: &'a SiteSnapshot,
) -> impl Iterator<Item = (Option<&'a Account>, Option<&'a Account>)> + 'a {
    let mut before = previous.accounts.iter().peekable();
    let mut after = next.accounts.iter().peekable();
    std::iter::from_fn(move || match (before.peek(), after.peek()) {
        (None, None) => None,
        (Some(_), None) => before.next().map(|(_, a)| (Some(a), None)),
        (None, Some(_)) => after.next().map(|(_, a)| (None, Some(a))),
        (Some((b, _)), Some((a, _))) => match b.cmp(a) {
            Ordering::Less => before.next().map(|(_, a)| (Some(a), None)),
            Ordering::Greater => after.next().map(|(_, a)| (None, Some(a))),
            Ordering::Equal => Some((before.next().map(|(_, a)| a), after.next().map(|(_, a)| a))),
        },
    })
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
