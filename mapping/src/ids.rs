//! Typed ids, so a user id can never be passed where a group id or a site
//! LUID is expected. Tableau's ids are LUIDs (UUID text); they stay strings
//! because tabgov never does arithmetic on them and must echo them
//! byte-for-byte.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! luid {
    ($(#[$doc:meta])* $name:ident, default) => {
        luid!($(#[$doc])* $name);

        impl Default for $name {
            fn default() -> Self {
                Self(String::new())
            }
        }
    };
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id as Tableau sent it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as Tableau spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string (for storage and wire formats).
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        /// So a test or a lookup compares with an owned string as with `&str`.
        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        /// Maps and sets keyed by the id are looked up with a `&str`
        /// (`map.get("luid")`), without building an id; the id hashes and
        /// orders exactly as its text does, as `Borrow` requires.
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        /// For functions generic over text, such as
        /// `Memberships::set_group`, which takes a group's members as any
        /// `AsRef<str>` (a listing's ids or the store's borrowed text).
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

luid!(
    /// A Tableau user's LUID (the `id` attribute of `<user>`).
    UserId,
    default
);
luid!(
    /// A Tableau group's LUID.
    GroupId,
    default
);
luid!(
    /// A site's LUID, as sign-in returns it: every site-scoped URL needs
    /// it (`/sites/{luid}/users`), never the content URL. It has no
    /// `Default`: an empty one would build `sites//users`.
    SiteLuid
);
luid!(
    /// The LUID of a content item (workbook, data source, flow, ...).
    ContentId,
    default
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_and_compare_as_tableau_sent_them() {
        let id = UserId::new("9f9e9d9c-0000-4000-8000-000000000001");
        assert_eq!(id.to_string(), "9f9e9d9c-0000-4000-8000-000000000001");
        assert_eq!(id, "9f9e9d9c-0000-4000-8000-000000000001");
        assert_eq!(
            serde_json::to_string(&GroupId::from("g")).unwrap(),
            "\"g\"",
            "stored and served as a bare string"
        );
    }

    #[test]
    fn maps_keyed_by_ids_are_looked_up_by_text() {
        let mut by_id = std::collections::BTreeMap::new();
        by_id.insert(UserId::from("u1"), 1);
        assert_eq!(by_id.get("u1"), Some(&1));
        let mut hashed = std::collections::HashMap::new();
        hashed.insert(GroupId::from("g1"), 2);
        assert_eq!(hashed.get("g1"), Some(&2));
        assert_eq!(UserId::from("u1"), String::from("u1"));
    }
}
