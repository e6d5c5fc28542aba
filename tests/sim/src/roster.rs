//! The users of a site, by LUID and by slot, each carrying its listing item
//! written once per format: a full listing shows every user on the site's
//! users pages and again on the member pages of each of its groups, and
//! copying one prepared text costs far less than gathering and escaping the
//! user's fields each time.
//!
//! The users hand out `&mut User` only through [`Users::get_mut`] and take
//! users in only through [`Users::insert`], and both forget the prepared
//! text, so a listing never shows a stale user whatever route changed it.

use crate::emit::Fmt;
use crate::model::{SimIdentity, SimUser};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::ops::Index;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub site_role: String,
    pub last_login: Option<DateTime<Utc>>,
    pub auth_setting: String,
    pub domain: String,
    /// Identity provider, external id, language and locale.
    pub identity: SimIdentity,
    /// Ids of the groups joined explicitly (not `All Users`).
    pub groups: Vec<String>,
    /// The listing item as last written (see [`Users`] for why it is never
    /// stale).
    pub listing: ListingCache,
}

impl User {
    pub fn snapshot(&self) -> SimUser {
        SimUser {
            id: self.id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            full_name: self.full_name.clone(),
            site_role: self.site_role.clone(),
            last_login: self.last_login,
            auth_setting: self.auth_setting.clone(),
            domain: self.domain.clone(),
            identity: self.identity.clone(),
        }
    }
}

/// A user's listing item with every optional field, cut where the optional
/// fields start so each field set is a concatenation of pieces.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    /// The whole item, start to end.
    pub text: Box<str>,
    /// End of the always-present part (start of `fullName`).
    pub full_at: usize,
    /// Start of `email`.
    pub email_at: usize,
    /// Start of the item's end (`/>` or `}`).
    pub end_at: usize,
}

impl Listing {
    /// The pieces of the item with or without `fullName` and `email`.
    pub fn pieces(&self, full_name: bool, email: bool) -> [&str; 4] {
        let t = &*self.text;
        [
            &t[..self.full_at],
            if full_name {
                &t[self.full_at..self.email_at]
            } else {
                ""
            },
            if email {
                &t[self.email_at..self.end_at]
            } else {
                ""
            },
            &t[self.end_at..],
        ]
    }
}

/// The listing item of each format, written on first use.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListingCache {
    xml: OnceLock<Listing>,
    json: OnceLock<Listing>,
}

impl ListingCache {
    /// The item in `fmt`, written by `write` the first time.
    pub fn get_or_init(&self, fmt: Fmt, write: impl FnOnce() -> Listing) -> &Listing {
        match fmt {
            Fmt::Xml => self.xml.get_or_init(write),
            Fmt::Json => self.json.get_or_init(write),
        }
    }
}

/// A user's place in [`Users`]: kept for the user's lifetime and never
/// given to another user, so an index holding it (the name order, a group's
/// members) reaches the user without a lookup by LUID.
pub(crate) type Slot = usize;

/// Users by LUID and by slot (see the module documentation for the cache
/// rule).
#[derive(Debug, Default)]
pub(crate) struct Users {
    slots: Vec<Option<User>>,
    by_id: HashMap<String, Slot>,
}

impl Users {
    pub fn get(&self, id: &str) -> Option<&User> {
        self.by_id.get(id).and_then(|&s| self.at(s))
    }

    /// The user in `slot`; `None` once removed.
    pub fn at(&self, slot: Slot) -> Option<&User> {
        self.slots.get(slot).and_then(Option::as_ref)
    }

    /// The slot of the user `id`.
    pub fn slot(&self, id: &str) -> Option<Slot> {
        self.by_id.get(id).copied()
    }

    /// The user, to change: its prepared listing text is dropped first.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut User> {
        let u = self.slots[*self.by_id.get(id)?].as_mut()?;
        u.listing = ListingCache::default();
        Some(u)
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// Adds a user (replacing one with the same LUID in its slot), without
    /// any prepared listing text; returns its slot.
    pub fn insert(&mut self, mut user: User) -> Slot {
        user.listing = ListingCache::default();
        if let Some(&s) = self.by_id.get(&user.id) {
            self.slots[s] = Some(user);
            return s;
        }
        let s = self.slots.len();
        self.by_id.insert(user.id.clone(), s);
        self.slots.push(Some(user));
        s
    }

    pub fn remove(&mut self, id: &str) -> Option<User> {
        let s = self.by_id.remove(id)?;
        self.slots[s].take()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }
}

impl Index<&str> for Users {
    type Output = User;
    fn index(&self, id: &str) -> &User {
        self.get(id).expect("no user with this LUID")
    }
}

impl Index<&String> for Users {
    type Output = User;
    fn index(&self, id: &String) -> &User {
        &self[id.as_str()]
    }
}

impl Index<Slot> for Users {
    type Output = User;
    fn index(&self, slot: Slot) -> &User {
        self.at(slot).expect("no user in this slot")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::Elem;
    use crate::routes::render::{user_item, user_list};

    fn user(id: &str, full_name: Option<&str>, email: Option<&str>) -> User {
        User {
            id: id.into(),
            name: format!("n<{id}>&\"'"),
            email: email.map(String::from),
            full_name: full_name.map(String::from),
            site_role: "Viewer".into(),
            last_login: DateTime::from_timestamp(1_700_000_000, 0),
            auth_setting: "ServerDefault".into(),
            domain: "local".into(),
            identity: Default::default(),
            groups: Vec::new(),
            listing: ListingCache::default(),
        }
    }

    /// A `<users>` list of `us` written from the prepared texts (`cached`)
    /// or field by field.
    fn list(fmt: Fmt, us: &[&User], full: bool, email: bool, cached: bool) -> String {
        let mut out = String::new();
        let mut doc = Elem::document(&mut out, fmt, "3.21");
        let mut l = doc.child("users");
        for u in us {
            if cached {
                user_item(&mut l, u, full, email);
            } else {
                user_list(&mut l.item("user"), u, full, email);
            }
        }
        drop(l);
        drop(doc);
        out
    }

    #[test]
    fn prepared_items_equal_items_written_field_by_field() {
        let a = user("a", Some("Ann \"A\" <x>"), Some("a&b@example.com"));
        let b = user("b", None, Some("b@example.com"));
        let c = user("c", Some("C\tC"), None);
        for fmt in [Fmt::Xml, Fmt::Json] {
            for (full, email) in [(false, false), (true, false), (false, true), (true, true)] {
                // Twice: the first writes the prepared text, the second reuses it.
                for _ in 0..2 {
                    assert_eq!(
                        list(fmt, &[&a, &b, &c], full, email, true),
                        list(fmt, &[&a, &b, &c], full, email, false),
                        "{fmt:?} full={full} email={email}"
                    );
                }
            }
        }
    }

    #[test]
    fn changed_users_are_listed_as_they_are_now() {
        let mut users = Users::default();
        let slot = users.insert(user("a", Some("Ann"), None));
        let shown = |users: &Users| list(Fmt::Xml, &[&users[slot]], true, true, true);
        assert!(shown(&users).contains("siteRole=\"Viewer\""));
        let u = users.get_mut("a").unwrap();
        u.site_role = "Creator".into();
        u.email = Some("new@example.com".into());
        let now = shown(&users);
        assert!(now.contains("siteRole=\"Creator\"") && now.contains("new@example.com"));
        // Replacing the user (same LUID) keeps the slot and drops the text.
        let mut again = users[slot].clone();
        again.full_name = Some("Annie".into());
        assert_eq!(users.insert(again), slot);
        assert!(shown(&users).contains("fullName=\"Annie\""));
        assert!(users.remove("a").is_some());
        assert!(users.at(slot).is_none() && users.get("a").is_none());
        assert_eq!(users.len(), 0);
    }
}
