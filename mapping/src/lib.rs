//! The tabgov domain: what Tableau site roles mean for licences and account
//! status, and what changed between two complete syncs of a site.
//!
//! Pure by design (no I/O, no async), so every rule is tested by tables.

mod account;
mod accounts;
mod change;
mod content;
mod diff;
mod group;
mod guard;
mod ids;
mod license;
mod memberships;
mod owned_item;
mod plan;
mod prices;
mod reclaim;
mod review;
mod site_role;
mod snapshot;
mod status;

pub use account::{Account, SignInIdentity};
pub use accounts::Accounts;
pub use change::{Change, ChangeKind};
pub use content::{ContentKind, OwnedContent};
pub use diff::{changed_accounts, diff};
pub use group::{is_directory_domain, GrantLicenseMode, Group, ALL_USERS, LOCAL_DOMAIN};
pub use guard::{
    check_mass_removal, check_snapshot_removal, MassRemoval, DEFAULT_MAX_REMOVAL_PERCENT,
};
pub use ids::{ContentId, GroupId, SiteLuid, UserId};
pub use license::{License, UnknownLicense};
pub use memberships::Memberships;
pub use owned_item::OwnedItem;
pub use plan::{
    heir_refusal, plan_deprovision, plan_remove_member, plan_restore, plan_suspend,
    role_change_refusal, BatchPolicy, BatchTooLarge, DeprovisionPlan, GroupRef, OnContent, Refusal,
    RemoveMemberPlan, RestorePlan, RestoreRefusal, SuspendPlan, Suspension, TargetFacts,
    DEFAULT_MAX_ACTIONS,
};
pub use prices::{PriceError, PriceTable};
pub use reclaim::{
    reclaim, Candidate, Holder, LicenseUsage, ReclaimPolicy, ReclaimRules, Reclamation,
    Recommendation,
};
pub use review::{entitlements_of, Decision, Entitlement, EntitlementKind, RevokeAction};
pub use site_role::SiteRole;
pub use snapshot::SiteSnapshot;
pub use status::{AccountStatus, UnknownStatus};
