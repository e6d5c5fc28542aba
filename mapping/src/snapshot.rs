//! A complete picture of one site at one moment: what a sync compares.

use std::collections::BTreeMap;

use crate::{Account, Accounts, Group, GroupId, Memberships, OwnedContent, UserId};

/// Everything a complete sync of one site returned.
///
/// Ordered by Tableau id so that iteration, and therefore the change feed,
/// is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteSnapshot {
    pub accounts: Accounts,
    pub groups: BTreeMap<GroupId, Group>,
    /// Explicit memberships; "All Users" is implicit and never listed.
    pub memberships: Memberships,
    /// Owned content per account id; accounts owning nothing may be absent.
    pub owned: BTreeMap<UserId, OwnedContent>,
}

impl SiteSnapshot {
    /// Adds or replaces an account.
    pub fn insert_account(&mut self, account: Account) {
        self.accounts.insert(account);
    }

    /// Adds or replaces a group.
    pub fn insert_group(&mut self, group: Group) {
        self.groups.insert(group.id.clone(), group);
    }

    /// Records that `user_id` is a member of `group_id`.
    pub fn add_membership(&mut self, user_id: &str, group_id: &str) {
        self.memberships.insert(group_id, user_id);
    }

    /// Group ids of one account, in id order.
    pub fn groups_of<'a>(&'a self, user_id: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.memberships.groups_of(user_id)
    }

    /// The name of a group, or its id when the group is not in the snapshot.
    pub fn group_name<'a>(&'a self, group_id: &'a str) -> &'a str {
        self.groups
            .get(group_id)
            .map(|g| g.name.as_str())
            .unwrap_or(group_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_of_lists_only_that_users_groups() {
        let mut snap = SiteSnapshot::default();
        snap.add_membership("u1", "g2");
        snap.add_membership("u1", "g1");
        snap.add_membership("u10", "g3");
        snap.add_membership("u0", "g4");
        assert_eq!(snap.groups_of("u1").collect::<Vec<_>>(), ["g1", "g2"]);
        assert_eq!(snap.groups_of("u2").count(), 0);
    }
}
