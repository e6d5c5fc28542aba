//! Suspend: the site role to Unlicensed, the previous role kept for restore.

use serde::Serialize;

use super::{safety, Refusal, TargetFacts};
use crate::{Group, GroupId, SiteRole};

/// What a suspend will do to one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum SuspendPlan {
    /// Set the site role to Unlicensed.
    Suspend(Suspension),
    /// The user is already unlicensed; repeating a suspend is harmless.
    Noop {
        reason: String,
    },
    Refuse {
        refusal: Refusal,
    },
}

/// A suspension to carry out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspension {
    /// The role the user has now, journalled so `restore` can put it back.
    pub from: SiteRole,
    /// Group ids to leave (`--sticky`); empty otherwise.
    pub leave_groups: Vec<GroupId>,
    /// Group names that would license the user again on sign-in (warned).
    pub relicensing_groups: Vec<String>,
    /// Of those, the groups nobody can leave ("All Users"): even
    /// `--sticky` leaves the user licensed again at their next sign-in.
    pub cannot_leave: Vec<String>,
}

/// Plans a suspension; with `sticky`, the user also leaves the groups that
/// would license them again on sign-in (all but "All Users").
pub fn plan_suspend(facts: &TargetFacts<'_>, sticky: bool) -> SuspendPlan {
    if let Some(refusal) = safety(facts) {
        return SuspendPlan::Refuse { refusal };
    }
    if facts.account.site_role.is_unlicensed() {
        return SuspendPlan::Noop {
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
    SuspendPlan::Suspend(Suspension {
        from: facts.account.site_role.clone(),
        leave_groups: leave,
        relicensing_groups: names,
        cannot_leave: fixed.iter().map(|g| g.name.clone()).collect(),
    })
}
