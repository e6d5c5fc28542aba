//! Action planning: what suspend and deprovision will do to one user, decided
//! before anything is changed, so `--dry-run` shows exactly what a real run does.

use std::fmt;

use serde::Serialize;

use crate::{Account, Group, OwnedContent, SiteRole};

/// What to do when a user to deprovision still owns content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnContent {
    /// Refuse with the inventory (exit 3).
    #[default]
    Refuse,
    /// Suspend instead: the licence is reclaimed, the content stays.
    Suspend,
}

/// Everything known about one target before acting.
#[derive(Debug, Clone)]
pub struct TargetFacts<'a> {
    pub account: &'a Account,
    pub owned: OwnedContent,
    /// Groups the user is in whose grant-licence mode would license them again.
    pub relicensing_groups: Vec<&'a Group>,
    /// The connector's own account id: never acted on.
    pub own_user_id: &'a str,
    /// Site administrators on the site other than this target and the other
    /// targets of the same batch.
    pub other_site_admins: usize,
}

/// Why an action is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Refusal {
    OwnAccount,
    LastSiteAdministrator,
    OwnsContent { owned: OwnedContentSummary },
    TransferToSelf,
}

/// Owned content in a form that serialises flat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OwnedContentSummary {
    pub projects: u32,
    pub workbooks: u32,
    pub datasources: u32,
    pub flows: u32,
    pub custom_views: u32,
    pub data_alerts: u32,
    pub total: u32,
}

impl From<OwnedContent> for OwnedContentSummary {
    fn from(o: OwnedContent) -> Self {
        OwnedContentSummary {
            projects: o.projects,
            workbooks: o.workbooks,
            datasources: o.datasources,
            flows: o.flows,
            custom_views: o.custom_views,
            data_alerts: o.data_alerts,
            total: o.total(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::OwnAccount => f.write_str("refused: this is the account tabgov signs in with"),
            Refusal::LastSiteAdministrator => {
                f.write_str("refused: this is the last site administrator of the site")
            }
            Refusal::OwnsContent { owned } => {
                write!(
                f,
                "refused: owns {} item(s) ({} projects, {} workbooks, {} data sources, {} flows, \
                 {} custom views, {} data alerts); \
                 pass --transfer-to USER to hand them over, or --on-content suspend",
                owned.total, owned.projects, owned.workbooks, owned.datasources, owned.flows,
                owned.custom_views, owned.data_alerts
            )
            }
            Refusal::TransferToSelf => {
                f.write_str("refused: --transfer-to names the user being removed")
            }
        }
    }
}

/// The plan for one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum Plan {
    /// Nothing to do; repeating an action is harmless.
    Noop {
        reason: String,
    },
    /// Set the site role to Unlicensed; optionally leave re-licensing groups.
    Suspend {
        from: SiteRole,
        /// Group ids to leave (`--sticky`); empty otherwise.
        leave_groups: Vec<String>,
        /// Group names that would license the user again on sign-in (warned).
        relicensing_groups: Vec<String>,
        /// Of those, the groups nobody can leave ("All Users"): even
        /// `--sticky` leaves the user licensed again at their next sign-in.
        cannot_leave: Vec<String>,
    },
    /// Remove the user from the site, handing content to `transfer_to`.
    Remove {
        transfer_to: Option<String>,
        owned: u32,
    },
    Refuse {
        refusal: Refusal,
    },
}

impl Plan {
    /// True when carrying the plan out changes Tableau.
    pub fn changes_anything(&self) -> bool {
        matches!(self, Plan::Suspend { .. } | Plan::Remove { .. })
    }
}

fn safety(facts: &TargetFacts<'_>) -> Option<Refusal> {
    if facts.account.id == facts.own_user_id {
        Some(Refusal::OwnAccount)
    } else if facts.account.site_role.is_site_admin() && facts.other_site_admins == 0 {
        Some(Refusal::LastSiteAdministrator)
    } else {
        None
    }
}

/// Plans a suspension: site role to Unlicensed, previous role journalled.
pub fn plan_suspend(facts: &TargetFacts<'_>, sticky: bool) -> Plan {
    if let Some(refusal) = safety(facts) {
        return Plan::Refuse { refusal };
    }
    if facts.account.site_role.is_unlicensed() {
        return Plan::Noop {
            reason: format!("already {}", facts.account.site_role),
        };
    }
    let names = facts
        .relicensing_groups
        .iter()
        .map(|g| g.name.clone())
        .collect();
    let (fixed, leavable): (Vec<&Group>, Vec<&Group>) = facts
        .relicensing_groups
        .iter()
        .partition(|g| g.is_all_users());
    let leave = if sticky {
        leavable.iter().map(|g| g.id.clone()).collect()
    } else {
        Vec::new()
    };
    Plan::Suspend {
        from: facts.account.site_role.clone(),
        leave_groups: leave,
        relicensing_groups: names,
        cannot_leave: fixed.iter().map(|g| g.name.clone()).collect(),
    }
}

/// Plans a removal, with the ownership rules Tableau enforces (409003).
pub fn plan_deprovision(
    facts: &TargetFacts<'_>,
    transfer_to: Option<&Account>,
    on_content: OnContent,
    sticky: bool,
) -> Plan {
    if let Some(refusal) = safety(facts) {
        return Plan::Refuse { refusal };
    }
    if transfer_to.is_some_and(|t| t.id == facts.account.id) {
        return Plan::Refuse {
            refusal: Refusal::TransferToSelf,
        };
    }
    let owned = facts.owned.total();
    match (owned, transfer_to, on_content) {
        // A named new owner is always passed on: Tableau also blocks a
        // removal for content no listing shows (collections, virtual
        // connections, the Recycle Bin), and `mapAssetsTo` hands that over.
        (_, Some(target), _) => Plan::Remove {
            transfer_to: Some(target.id.clone()),
            owned,
        },
        (0, None, _) => Plan::Remove {
            transfer_to: None,
            owned,
        },
        (_, None, OnContent::Suspend) => plan_suspend(facts, sticky),
        (_, None, OnContent::Refuse) => Plan::Refuse {
            refusal: Refusal::OwnsContent {
                owned: facts.owned.into(),
            },
        },
    }
}

/// A batch larger than `max_actions` needs explicit confirmation.
pub fn batch_needs_confirmation(targets: usize, max_actions: usize, confirmed: bool) -> bool {
    targets > max_actions && !confirmed
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
