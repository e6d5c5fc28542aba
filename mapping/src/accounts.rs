//! The accounts of one snapshot: a vector sorted by id.
//!
//! A map would store every id twice (key and account) plus tree nodes, and
//! building one from a listing copies everything once more to sort it; on a
//! 100,000-user site, with two snapshots alive during a re-sync, that was
//! tens of megabytes. Lookups are binary searches; iteration is in id order.

use std::ops::Index;

use crate::Account;

/// Accounts by id, in id order, each id once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accounts {
    sorted: Vec<Account>,
}

impl Accounts {
    /// Sorts `accounts` by id in place; of repeated ids the last one stays.
    pub fn from_vec(mut accounts: Vec<Account>) -> Accounts {
        // Stable, so repeats keep their listing order; each later repeat
        // takes the place of the one kept before it.
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        accounts.dedup_by(|later, kept| {
            let repeat = later.id == kept.id;
            if repeat {
                std::mem::swap(later, kept);
            }
            repeat
        });
        Accounts { sorted: accounts }
    }

    /// How many accounts there are.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The account with this id.
    pub fn get(&self, id: &str) -> Option<&Account> {
        self.find(id).ok().map(|at| &self.sorted[at])
    }

    /// The account with this id, to change anything but its id.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Account> {
        self.find(id).ok().map(|at| &mut self.sorted[at])
    }

    /// Whether an account has this id.
    pub fn contains_key(&self, id: &str) -> bool {
        self.find(id).is_ok()
    }

    /// Adds or replaces an account; returns the one replaced.
    pub fn insert(&mut self, account: Account) -> Option<Account> {
        match self.find(account.id.as_str()) {
            Ok(at) => Some(std::mem::replace(&mut self.sorted[at], account)),
            Err(at) => {
                self.sorted.insert(at, account);
                None
            }
        }
    }

    /// Removes the account with this id.
    pub fn remove(&mut self, id: &str) -> Option<Account> {
        self.find(id).ok().map(|at| self.sorted.remove(at))
    }

    /// The accounts in id order.
    pub fn values(&self) -> std::slice::Iter<'_, Account> {
        self.sorted.iter()
    }

    /// The ids in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.sorted.iter().map(|a| a.id.as_str())
    }

    /// (id, account) in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Account)> + '_ {
        self.sorted.iter().map(|a| (a.id.as_str(), a))
    }

    fn find(&self, id: &str) -> Result<usize, usize> {
        self.sorted.binary_search_by(|a| a.id.as_str().cmp(id))
    }
}

impl Index<&str> for Accounts {
    type Output = Account;

    /// The account with this id; panics if there is none, like a map.
    fn index(&self, id: &str) -> &Account {
        self.get(id)
            .unwrap_or_else(|| panic!("no account with id {id:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SiteRole;

    fn account(id: &str, name: &str) -> Account {
        Account::for_test(id, name, SiteRole::Viewer)
    }

    fn names(accounts: &Accounts) -> Vec<(&str, &str)> {
        accounts
            .values()
            .map(|a| (a.id.as_str(), a.name.as_str()))
            .collect()
    }

    #[test]
    fn from_vec_sorts_by_id_and_the_last_repeat_wins() {
        let accounts = Accounts::from_vec(vec![
            account("u2", "first"),
            account("u1", "one"),
            account("u2", "second"),
        ]);
        assert_eq!(names(&accounts), [("u1", "one"), ("u2", "second")]);
        assert_eq!(accounts["u2"].name, "second");
        assert!(accounts.get("u3").is_none() && !accounts.contains_key("u0"));
    }

    #[test]
    fn insert_and_remove_keep_the_order() {
        let mut accounts = Accounts::default();
        for (id, name) in [("u3", "c"), ("u1", "a"), ("u2", "b")] {
            assert!(accounts.insert(account(id, name)).is_none());
        }
        assert_eq!(
            accounts.insert(account("u1", "A")).map(|a| a.name),
            Some("a".into())
        );
        assert_eq!(accounts.keys().collect::<Vec<_>>(), ["u1", "u2", "u3"]);
        assert_eq!(accounts.remove("u2").map(|a| a.name), Some("b".into()));
        assert_eq!(names(&accounts), [("u1", "A"), ("u3", "c")]);
        accounts.get_mut("u3").unwrap().name = "C".into();
        assert_eq!(
            accounts.iter().last().map(|(_, a)| a.name.as_str()),
            Some("C")
        );
    }
}
