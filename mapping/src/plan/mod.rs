//! Action planning: what each action will do to one user, decided before
//! anything is changed, so `--dry-run` shows exactly what a real run does.
//! Each action has its own plan type, holding only the states that action
//! can be in (a suspend cannot plan a removal).

mod batch;
mod deprovision;
mod remove_member;
mod restore;
mod role_change;
mod suspend;

use std::fmt;

use serde::Serialize;

use crate::{Account, Group, OwnedContent, UserId};

pub use batch::{BatchPolicy, BatchTooLarge, DEFAULT_MAX_ACTIONS};
pub use deprovision::{heir_refusal, plan_deprovision, DeprovisionPlan};
pub use remove_member::{plan_remove_member, RemoveMemberPlan};
pub use restore::{plan_restore, GroupRef, RestorePlan, RestoreRefusal};
pub use role_change::role_change_refusal;
pub use suspend::{plan_suspend, SuspendPlan, Suspension};

/// What to do when a user to deprovision still owns content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
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
    pub own_user_id: &'a UserId,
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
    OwnsContent { owned: OwnedContent },
    TransferToSelf,
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
                owned.total(), owned.projects, owned.workbooks, owned.datasources, owned.flows,
                owned.custom_views, owned.data_alerts
            )
            }
            Refusal::TransferToSelf => {
                f.write_str("refused: --transfer-to names the user being removed")
            }
        }
    }
}

/// The rules every action that takes access checks first: never the
/// connector's own account, never the last site administrator.
fn safety(facts: &TargetFacts<'_>) -> Option<Refusal> {
    if facts.account.id == *facts.own_user_id {
        Some(Refusal::OwnAccount)
    } else if facts.account.site_role.is_site_admin() && facts.other_site_admins == 0 {
        Some(Refusal::LastSiteAdministrator)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
