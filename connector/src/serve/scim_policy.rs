//! `[site.scim]` in tabgov.toml: what the SCIM face may do to one site.
//! An identity provider only says "create", "deactivate", "delete"; the
//! site's owner decides here which role a new user gets, what a delete does
//! to someone who still owns content, and how many removals in a row are a
//! mistake rather than an offboarding.

use std::time::Duration;

use serde::Deserialize;
use tabgov_mapping::SiteRole;

use super::settings::duration_text;

/// The `[site.scim]` table; every field has a safe default.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ScimSitePolicy {
    /// The role of a user created without the tabgov extension's
    /// `siteRole`: the cheapest licence, so a provider never hands out a
    /// Creator seat by accident.
    pub default_role: SiteRole,
    /// What DELETE does to a user who still owns content.
    pub on_content: DeleteOnContent,
    /// Who receives the content when `on_content = "transfer"`.
    pub transfer_to: Option<String>,
    /// `active: false` also takes the user out of the groups that would
    /// license them again at their next sign-in.
    pub sticky_suspend: bool,
    /// More removals than this within `removal_window` are refused (503)
    /// and alerted, not carried out: a provider misconfigured to
    /// deprovision everyone stops at the first few.
    pub max_removals: u32,
    #[serde(with = "duration_text")]
    pub removal_window: Duration,
}

/// What DELETE does to a user who owns content (Tableau will not remove
/// them as they are).
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeleteOnContent {
    /// 409 with the owned content listed; nothing changes.
    #[default]
    Refuse,
    /// Suspend instead: the licence is reclaimed, the content stays; the
    /// answer is 409 saying so, as the user is not gone.
    Suspend,
    /// Give the content to `transfer_to`, then remove the user.
    Transfer,
}

impl Default for ScimSitePolicy {
    fn default() -> ScimSitePolicy {
        ScimSitePolicy {
            default_role: SiteRole::Viewer,
            on_content: DeleteOnContent::Refuse,
            transfer_to: None,
            sticky_suspend: false,
            max_removals: 20,
            removal_window: Duration::from_secs(3600),
        }
    }
}

impl ScimSitePolicy {
    /// Checks what serde cannot; `site` names the table in the message.
    pub fn validate(&self, site: &str) -> Result<(), String> {
        if !SiteRole::known().any(|r| r == &self.default_role) {
            return Err(format!(
                "site {site:?}: scim.default_role {:?} is not a Tableau site role (e.g. Viewer, Explorer, Creator)",
                self.default_role.as_str()
            ));
        }
        match (self.on_content, &self.transfer_to) {
            (DeleteOnContent::Transfer, None) => Err(format!(
                "site {site:?}: scim.on_content = \"transfer\" needs scim.transfer_to, the user who receives the content"
            )),
            (DeleteOnContent::Refuse | DeleteOnContent::Suspend, Some(_)) => Err(format!(
                "site {site:?}: scim.transfer_to is only used with scim.on_content = \"transfer\""
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ScimSitePolicy, String> {
        let policy: ScimSitePolicy = toml::from_str(text).map_err(|e| e.to_string())?;
        policy.validate("finance").map(|()| policy)
    }

    #[test]
    fn defaults_are_the_cautious_choices() {
        let policy = parse("").unwrap();
        assert_eq!(policy.default_role, SiteRole::Viewer);
        assert_eq!(policy.on_content, DeleteOnContent::Refuse);
        assert_eq!(policy.max_removals, 20);
        assert_eq!(policy.removal_window, Duration::from_secs(3600));
    }

    #[test]
    fn each_table_is_read_or_refused_with_the_fix() {
        let cases: &[(&str, Result<(), &str>)] = &[
            ("on_content = \"suspend\"", Ok(())),
            ("on_content = \"transfer\"\ntransfer_to = \"admin\"", Ok(())),
            ("on_content = \"transfer\"", Err("needs scim.transfer_to")),
            ("transfer_to = \"admin\"", Err("only used with")),
            (
                "default_role = \"Creator\"\nmax_removals = 3\nremoval_window = \"10m\"",
                Ok(()),
            ),
            ("default_role = \"Boss\"", Err("not a Tableau site role")),
            ("on_content = \"delete\"", Err("unknown variant")),
            ("surprise = 1", Err("unknown field")),
        ];
        for (text, want) in cases {
            match (parse(text), want) {
                (Ok(_), Ok(())) => {}
                (Err(e), Err(part)) => assert!(e.contains(part), "{text}: {e}"),
                (got, _) => panic!("{text}: got {got:?}, want {want:?}"),
            }
        }
    }
}
