//! Which profile attributes a SCIM change really changes: an identity
//! provider sends every mapped attribute on each update, and Tableau is
//! only called (and the journal only written) for those that differ.

use tabgov_state::AccountRecord;

use crate::actions::provision::UserUpdate;
use crate::serve::scim::user_patch::UserChanges;

/// The Update User `changes` ask of `record`'s account, or `None` when it
/// already holds them. A removed name or email (`Some("")`) is cleared.
pub fn profile_update(record: &AccountRecord, changes: &UserChanges) -> Option<UserUpdate> {
    let account = &record.account;
    let differs = |wanted: &Option<String>, now: &Option<String>| {
        wanted
            .as_ref()
            .filter(|w| w.as_str() != now.as_deref().unwrap_or(""))
            .cloned()
    };
    let update = UserUpdate {
        full_name: differs(&changes.display_name, &account.full_name),
        email: differs(&changes.email, &account.email),
        site_role: changes
            .site_role
            .clone()
            .filter(|role| role != &account.site_role),
    };
    (update != UserUpdate::default()).then_some(update)
}

#[cfg(test)]
mod tests {
    use tabgov_mapping::{Account, AccountStatus, License, OwnedContent, SiteRole};
    use tabgov_state::SiteKey;

    use super::*;

    fn record() -> AccountRecord {
        AccountRecord {
            site: "finance".into(),
            account: Account {
                email: Some("alice@example.com".into()),
                full_name: Some("Alice A".into()),
                ..Account::for_test("u1", "alice", SiteRole::Viewer)
            },
            license: License::Viewer,
            status: AccountStatus::Active,
            groups: Vec::new(),
            owned: OwnedContent::default(),
            first_seen: "2026-01-01T00:00:00Z".parse().unwrap(),
            last_seen: None,
            deprovisioned_at: None,
            site_key: SiteKey(1),
            updated_run_id: None,
        }
    }

    #[test]
    fn only_what_differs_is_sent() {
        let same = UserChanges {
            display_name: Some("Alice A".into()),
            email: Some("alice@example.com".into()),
            site_role: Some(SiteRole::Viewer),
            active: Some(true),
            ..UserChanges::default()
        };
        assert_eq!(profile_update(&record(), &same), None);

        let cases = [
            (
                UserChanges {
                    display_name: Some("Alice B".into()),
                    ..UserChanges::default()
                },
                UserUpdate {
                    full_name: Some("Alice B".into()),
                    ..UserUpdate::default()
                },
            ),
            (
                UserChanges {
                    email: Some(String::new()),
                    ..UserChanges::default()
                },
                UserUpdate {
                    email: Some(String::new()),
                    ..UserUpdate::default()
                },
            ),
            (
                UserChanges {
                    site_role: Some(SiteRole::Creator),
                    ..UserChanges::default()
                },
                UserUpdate {
                    site_role: Some(SiteRole::Creator),
                    ..UserUpdate::default()
                },
            ),
        ];
        for (changes, want) in cases {
            assert_eq!(
                profile_update(&record(), &changes),
                Some(want),
                "{changes:?}"
            );
        }
    }
}
