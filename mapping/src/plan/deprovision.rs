//! Deprovision: remove the user from the site, with the ownership rules
//! Tableau enforces (it will not remove a content owner: 409003).

use serde::Serialize;

use super::{safety, OnContent, Refusal, TargetFacts};
use crate::{Account, OwnedContent, UserId};

/// What a deprovision will do to one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum DeprovisionPlan {
    /// Remove the user, who owns no listed content and has no new owner.
    Remove,
    /// Remove the user and hand everything they own to `to` (`mapAssetsTo`).
    Transfer {
        /// The new owner's id.
        to: UserId,
        /// Items the inventory listed (Tableau may hand over more).
        owned: u32,
    },
    /// The user owns content and nobody was named to receive it; suspend
    /// instead (`--on-content suspend`): the licence is reclaimed, the
    /// content stays.
    SuspendInstead {
        owned: OwnedContent,
    },
    Refuse {
        refusal: Refusal,
    },
}

impl DeprovisionPlan {
    /// The new owner's id, when the plan hands content over.
    pub fn transfer_to(&self) -> Option<&UserId> {
        match self {
            DeprovisionPlan::Transfer { to, .. } => Some(to),
            _ => None,
        }
    }
}

/// Why `heir` cannot receive `user`'s content, if it cannot: the rule a
/// batch checks before anything changes and the planner checks again.
pub fn heir_refusal(user: &UserId, heir: &UserId) -> Option<Refusal> {
    (user == heir).then_some(Refusal::TransferToSelf)
}

/// Plans a removal. `heir` receives the content; `on_content` says what to
/// do with an owner when there is none.
pub fn plan_deprovision(
    facts: &TargetFacts<'_>,
    heir: Option<&Account>,
    on_content: OnContent,
) -> DeprovisionPlan {
    if let Some(refusal) = safety(facts) {
        return DeprovisionPlan::Refuse { refusal };
    }
    if let Some(refusal) = heir.and_then(|h| heir_refusal(&facts.account.id, &h.id)) {
        return DeprovisionPlan::Refuse { refusal };
    }
    let owned = facts.owned.total();
    match (owned, heir, on_content) {
        // A named new owner is always passed on: Tableau also blocks a
        // removal for content no listing shows (collections, virtual
        // connections, the Recycle Bin), and `mapAssetsTo` hands that over.
        (_, Some(heir), _) => DeprovisionPlan::Transfer {
            to: heir.id.clone(),
            owned,
        },
        (0, None, _) => DeprovisionPlan::Remove,
        (_, None, OnContent::Suspend) => DeprovisionPlan::SuspendInstead { owned: facts.owned },
        (_, None, OnContent::Refuse) => DeprovisionPlan::Refuse {
            refusal: Refusal::OwnsContent { owned: facts.owned },
        },
    }
}
