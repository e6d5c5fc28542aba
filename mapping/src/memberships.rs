//! The explicit group memberships of one snapshot, kept compact.
//!
//! A 100,000-user site has about 400,000 memberships. As a set of
//! `(user id, group id)` string pairs that is some 150 bytes each, and a
//! re-sync holds two snapshots at once. Here every user id is stored once
//! and each group holds the numbers of its members, four bytes each, sorted
//! by user id so that two snapshots compare group by group in one pass.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::GroupId;

/// Group id to members, every user id stored once.
#[derive(Debug, Clone, Default)]
pub struct Memberships {
    /// Every user id any group names, once; members refer to it by number.
    users: Vec<Arc<str>>,
    numbers: HashMap<Arc<str>, u32>,
    /// Per group id, the numbers of its members in user-id order, no repeats.
    groups: BTreeMap<GroupId, Vec<u32>>,
    len: usize,
    /// Numbers were given in user-id order, so they sort as the ids do.
    disordered: bool,
}

impl Memberships {
    /// No memberships yet, with `user_ids` numbered in the order given: in
    /// id order (as a snapshot's accounts iterate), members then sort as
    /// numbers instead of strings.
    pub fn with_users<'a>(user_ids: impl IntoIterator<Item = &'a str>) -> Memberships {
        let mut m = Memberships::default();
        for id in user_ids {
            m.number(id);
        }
        m
    }

    /// How many (group, user) memberships there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no group has an explicit member.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether `user_id` is an explicit member of `group_id`.
    pub fn contains(&self, group_id: &str, user_id: &str) -> bool {
        self.groups
            .get(group_id)
            .is_some_and(|members| find(&self.users, members, user_id).is_ok())
    }

    /// Adds one membership; false if it was already there.
    pub fn insert(&mut self, group_id: &str, user_id: &str) -> bool {
        let number = self.number(user_id);
        if !self.groups.contains_key(group_id) {
            self.groups.insert(GroupId::from(group_id), Vec::new());
        }
        let members = self.groups.get_mut(group_id).expect("inserted above");
        match find(&self.users, members, user_id) {
            Ok(_) => false,
            Err(at) => {
                members.insert(at, number);
                self.len += 1;
                true
            }
        }
    }

    /// Makes `user_ids` the members of `group_id` (repeats count once):
    /// the bulk way to build a snapshot, one sort per group.
    pub fn set_group<S: AsRef<str>>(
        &mut self,
        group_id: GroupId,
        user_ids: impl IntoIterator<Item = S>,
    ) {
        let members: Vec<u32> = user_ids
            .into_iter()
            .map(|id| self.number(id.as_ref()))
            .collect();
        self.set_numbers(group_id, members);
    }

    /// Like [`set_group`](Self::set_group), but only for users numbered
    /// already (see [`with_users`](Self::with_users)); returns how many ids
    /// were left out for naming anyone else.
    pub fn set_known_members<S: AsRef<str>>(
        &mut self,
        group_id: GroupId,
        user_ids: impl IntoIterator<Item = S>,
    ) -> usize {
        let mut unknown = 0;
        let members: Vec<u32> = user_ids
            .into_iter()
            .filter_map(|id| {
                let found = self.numbers.get(id.as_ref()).copied();
                unknown += usize::from(found.is_none());
                found
            })
            .collect();
        self.set_numbers(group_id, members);
        unknown
    }

    /// Makes `members` (numbers, any order, repeats allowed) the members of
    /// `group_id`.
    fn set_numbers(&mut self, group_id: GroupId, mut members: Vec<u32>) {
        if self.disordered {
            let users = &self.users;
            members.sort_unstable_by(|a, b| users[*a as usize].cmp(&users[*b as usize]));
        } else {
            members.sort_unstable();
        }
        members.dedup();
        self.len += members.len();
        let old = if members.is_empty() {
            self.groups.remove(&group_id)
        } else {
            self.groups.insert(group_id, members)
        };
        self.len -= old.map_or(0, |old| old.len());
    }

    /// Keeps only the memberships `keep(group id, user id)` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        let users = &self.users;
        let mut len = 0;
        for (group_id, members) in &mut self.groups {
            members.retain(|n| keep(group_id.as_str(), &users[*n as usize]));
            len += members.len();
        }
        self.groups.retain(|_, members| !members.is_empty());
        self.len = len;
    }

    /// Every membership as (group id, user id), by group id then user id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.groups.iter().flat_map(move |(group_id, members)| {
            members
                .iter()
                .map(move |n| (group_id.as_str(), &*self.users[*n as usize]))
        })
    }

    /// Group ids of one user, in id order.
    pub fn groups_of<'a>(&'a self, user_id: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.groups
            .iter()
            .filter(move |(_, members)| find(&self.users, members, user_id).is_ok())
            .map(|(group_id, _)| group_id.as_str())
    }

    /// The memberships of `self` that `other` lacks, as (group id, user id)
    /// in that order: one merge per group, no lookups.
    pub fn difference<'a>(&'a self, other: &Memberships) -> Vec<(&'a str, &'a str)> {
        let mut out = Vec::new();
        for (group_id, mine) in &self.groups {
            let theirs = other.groups.get(group_id).map_or(&[][..], Vec::as_slice);
            let (mut i, mut j) = (0, 0);
            while i < mine.len() {
                let user = &*self.users[mine[i] as usize];
                let order = match theirs.get(j) {
                    Some(n) => user.cmp(&other.users[*n as usize]),
                    None => Ordering::Less,
                };
                match order {
                    Ordering::Less => {
                        out.push((group_id.as_str(), user));
                        i += 1;
                    }
                    Ordering::Equal => {
                        i += 1;
                        j += 1;
                    }
                    Ordering::Greater => j += 1,
                }
            }
        }
        out
    }

    /// The number of `user_id`, given one if it has none yet.
    fn number(&mut self, user_id: &str) -> u32 {
        if let Some(n) = self.numbers.get(user_id) {
            return *n;
        }
        let n = u32::try_from(self.users.len()).expect("fewer than 2^32 users");
        if self.users.last().is_some_and(|last| **last > *user_id) {
            self.disordered = true;
        }
        let id: Arc<str> = Arc::from(user_id);
        self.users.push(Arc::clone(&id));
        self.numbers.insert(id, n);
        n
    }
}

/// Where `user_id` is, or would go, among `members` (sorted numbers into
/// `users`).
fn find(users: &[Arc<str>], members: &[u32], user_id: &str) -> Result<usize, usize> {
    members.binary_search_by(|n| (*users[*n as usize]).cmp(user_id))
}

/// Equal when they hold the same memberships, however they were built.
impl PartialEq for Memberships {
    fn eq(&self, other: &Memberships) -> bool {
        self.len == other.len && self.difference(other).is_empty()
    }
}

impl Eq for Memberships {}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(pairs: &[(&str, &str)]) -> Memberships {
        let mut m = Memberships::default();
        for (g, u) in pairs {
            m.insert(g, u);
        }
        m
    }

    #[test]
    fn insert_keeps_each_group_sorted_and_counts_once() {
        let mut m = of(&[("g1", "u3"), ("g1", "u1"), ("g2", "u2")]);
        assert!(!m.insert("g1", "u3"));
        assert_eq!(m.len(), 3);
        assert_eq!(
            m.iter().collect::<Vec<_>>(),
            [("g1", "u1"), ("g1", "u3"), ("g2", "u2")]
        );
        assert!(m.contains("g1", "u3") && !m.contains("g2", "u3") && !m.contains("g9", "u1"));
        assert_eq!(m.groups_of("u1").collect::<Vec<_>>(), ["g1"]);
    }

    #[test]
    fn members_sort_by_id_however_users_were_numbered() {
        for numbered in [&["u1", "u2", "u3"], &["u3", "u1", "u2"]] {
            let mut m = Memberships::with_users(numbered.iter().copied());
            m.set_group("g".into(), ["u3", "u1", "u2"]);
            assert_eq!(
                m.iter().map(|(_, u)| u).collect::<Vec<_>>(),
                ["u1", "u2", "u3"],
                "numbered {numbered:?}"
            );
            m.insert("g", "u0");
            assert_eq!(m.iter().next(), Some(("g", "u0")));
        }
    }

    #[test]
    fn set_known_members_leaves_out_and_counts_the_unnumbered() {
        let mut m = Memberships::with_users(["u1", "u2"]);
        assert_eq!(m.set_known_members("g".into(), ["u2", "u9", "u1", "u8"]), 2);
        assert_eq!(m.iter().collect::<Vec<_>>(), [("g", "u1"), ("g", "u2")]);
    }

    #[test]
    fn set_group_sorts_drops_repeats_and_replaces() {
        let mut m = of(&[("g1", "u9")]);
        m.set_group("g1".into(), ["u2", "u1", "u2"]);
        m.set_group("g0".into(), Vec::<String>::new());
        assert_eq!(m.len(), 2);
        assert_eq!(m.iter().collect::<Vec<_>>(), [("g1", "u1"), ("g1", "u2")]);
    }

    type Pairs = &'static [(&'static str, &'static str)];

    #[test]
    fn difference_is_per_group_and_in_order() {
        let cases: [(Pairs, Pairs, Pairs); 4] = [
            (&[("g1", "u1")], &[("g1", "u1")], &[]),
            (
                &[("g1", "u1"), ("g1", "u2")],
                &[("g1", "u2")],
                &[("g1", "u1")],
            ),
            (
                &[("g1", "u1"), ("g2", "u1")],
                &[("g2", "u1"), ("g2", "u3")],
                &[("g1", "u1")],
            ),
            (
                &[("g1", "u5"), ("g1", "u7")],
                &[("g1", "u6")],
                &[("g1", "u5"), ("g1", "u7")],
            ),
        ];
        for (a, b, expected) in cases {
            assert_eq!(of(a).difference(&of(b)), expected, "{a:?} - {b:?}");
        }
    }

    #[test]
    fn equality_ignores_how_it_was_built_and_retain_recounts() {
        let mut a = of(&[("g2", "u2"), ("g1", "u1"), ("g1", "u3")]);
        let mut b = Memberships::default();
        b.set_group("g1".into(), ["u3", "u1"]);
        b.set_group("g2".into(), ["u2"]);
        assert_eq!(a, b);
        a.retain(|_, user| user != "u2");
        assert_eq!(a.len(), 2);
        assert_ne!(a, b);
        assert_eq!(a.groups_of("u2").count(), 0);
    }
}
