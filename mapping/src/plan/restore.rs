//! Restore: undo the user's last suspend, from what the journal kept.

use std::fmt;

use serde::Serialize;

use crate::{Account, GroupId, SiteRole, UserId};

/// A group by id, with its name when tabgov knows it (else the id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRef {
    pub id: GroupId,
    pub name: String,
}

/// What a restore will do to one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum RestorePlan {
    /// Set the role back to `to` and rejoin the groups.
    Restore {
        from: SiteRole,
        to: SiteRole,
        rejoin: Vec<GroupRef>,
    },
    Noop {
        reason: String,
    },
    Refuse {
        refusal: RestoreRefusal,
    },
}

/// Why a restore is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RestoreRefusal {
    OwnAccount,
    /// The journal holds no completed suspend with a role to put back.
    NothingJournalled {
        user: String,
    },
    /// The role changed since the suspend: restoring would undo that change.
    ChangedSince {
        user: String,
        now: SiteRole,
        journalled: SiteRole,
    },
}

impl fmt::Display for RestoreRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestoreRefusal::OwnAccount => {
                f.write_str("refused: this is the account tabgov signs in with")
            }
            RestoreRefusal::NothingJournalled { user } => write!(
                f,
                "refused: the journal holds no completed suspend of {user} with a role to put back; set the role in Tableau"
            ),
            RestoreRefusal::ChangedSince {
                user,
                now,
                journalled,
            } => write!(
                f,
                "refused: {user} is {now} now, not suspended: restore only undoes a suspension; change the role in Tableau if {journalled} is still wanted"
            ),
        }
    }
}

/// Plans a restore of `account`. `suspended_from` is the role the last
/// completed suspend journalled (`None`: no such suspend); `rejoin` the
/// groups it removed that the user is not in now.
pub fn plan_restore(
    account: &Account,
    own_user_id: &UserId,
    suspended_from: Option<&SiteRole>,
    rejoin: Vec<GroupRef>,
) -> RestorePlan {
    let user = account.name.clone();
    if account.id == *own_user_id {
        return RestorePlan::Refuse {
            refusal: RestoreRefusal::OwnAccount,
        };
    }
    let Some(to) = suspended_from.filter(|r| !r.is_unlicensed()) else {
        return RestorePlan::Refuse {
            refusal: RestoreRefusal::NothingJournalled { user },
        };
    };
    let now = &account.site_role;
    if now == to && rejoin.is_empty() {
        return RestorePlan::Noop {
            reason: format!("{user} is already {to}"),
        };
    }
    if now != to && !now.is_unlicensed() {
        return RestorePlan::Refuse {
            refusal: RestoreRefusal::ChangedSince {
                user,
                now: now.clone(),
                journalled: to.clone(),
            },
        };
    }
    RestorePlan::Restore {
        from: now.clone(),
        to: to.clone(),
        rejoin,
    }
}

#[cfg(test)]
#[path = "restore_tests.rs"]
mod tests;
