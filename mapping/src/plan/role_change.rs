//! A site-role change asked for outside suspend and restore (a
//! provisioning update): the same rails as every action that can take
//! access away.

use super::{safety, Refusal, TargetFacts};
use crate::SiteRole;

/// Why setting `facts.account`'s site role to `to` is refused, if it is:
/// never the connector's own account, never the last site administrator
/// losing that role. Setting the role it already has is never refused.
pub fn role_change_refusal(facts: &TargetFacts<'_>, to: &SiteRole) -> Option<Refusal> {
    if facts.account.site_role == *to {
        return None;
    }
    match safety(facts) {
        Some(Refusal::LastSiteAdministrator) if to.is_site_admin() => None,
        refusal => refusal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Account, OwnedContent, UserId};

    fn refusal(role: SiteRole, to: SiteRole, own: &str, others: usize) -> Option<Refusal> {
        let account = Account::for_test("u", "ann", role);
        let own: UserId = own.into();
        let facts = TargetFacts {
            account: &account,
            owned: OwnedContent::default(),
            relicensing_groups: Vec::new(),
            own_user_id: &own,
            other_site_admins: others,
        };
        role_change_refusal(&facts, &to)
    }

    #[test]
    fn guards_the_own_account_and_the_last_administrator() {
        use SiteRole::*;
        assert_eq!(refusal(Viewer, Creator, "me", 0), None);
        assert_eq!(
            refusal(Viewer, Creator, "u", 3),
            Some(Refusal::OwnAccount),
            "never the account tabgov signs in with"
        );
        assert_eq!(refusal(Viewer, Viewer, "u", 0), None, "nothing changes");
        assert_eq!(
            refusal(SiteAdministratorCreator, Explorer, "me", 0),
            Some(Refusal::LastSiteAdministrator)
        );
        assert_eq!(refusal(SiteAdministratorCreator, Explorer, "me", 1), None);
        assert_eq!(
            refusal(SiteAdministratorCreator, SiteAdministratorExplorer, "me", 0),
            None,
            "still an administrator"
        );
    }
}
