//! Removing one user from one group: an access review's revoke of a group
//! membership.

use serde::Serialize;

use super::Refusal;
use crate::UserId;

/// What a membership removal will do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum RemoveMemberPlan {
    Remove,
    /// Tableau no longer lists the membership.
    Noop {
        reason: String,
    },
    Refuse {
        refusal: Refusal,
    },
}

/// Plans the removal of `user_id` (named `user`) from `group`; `is_member`
/// is what Tableau lists now.
pub fn plan_remove_member(
    user_id: &UserId,
    own_user_id: &UserId,
    user: &str,
    group: &str,
    is_member: bool,
) -> RemoveMemberPlan {
    if user_id == own_user_id {
        RemoveMemberPlan::Refuse {
            refusal: Refusal::OwnAccount,
        }
    } else if !is_member {
        RemoveMemberPlan::Noop {
            reason: format!("{user} is not in {group}"),
        }
    } else {
        RemoveMemberPlan::Remove
    }
}
