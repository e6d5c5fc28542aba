//! Licence reclamation: which paid seats sit unused and what they cost.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Account, Group, License, OwnedContent, PriceTable, UserId};

/// What the report recommends for an unused seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum ReclaimPolicy {
    /// Suspend content owners (content stays), deprovision everyone else.
    #[default]
    SuspendOwners,
    /// Always suspend: nothing is removed.
    AlwaysSuspend,
}

/// The recommended action for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    Suspend,
    Deprovision,
}

/// The rules of one report run.
#[derive(Debug, Clone)]
pub struct ReclaimRules {
    pub now: DateTime<Utc>,
    /// A seat is unused when its holder has not signed in for this many days.
    pub inactive_days: i64,
    /// Members of these groups (by name) are never candidates (service accounts).
    pub exclude_groups: Vec<String>,
    pub policy: ReclaimPolicy,
}

/// One account as the report sees it.
#[derive(Debug, Clone)]
pub struct Holder<'a> {
    pub account: &'a Account,
    pub first_seen: DateTime<Utc>,
    pub owned: OwnedContent,
    pub groups: Vec<&'a Group>,
}

/// Per-licence usage.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LicenseUsage {
    pub holders: usize,
    /// Signed in within the threshold.
    pub active: usize,
    /// Signed in, but not within the threshold.
    pub inactive: usize,
    pub never_signed_in: usize,
    /// Inactive or never signed in, and not excluded.
    pub reclaimable: usize,
    pub monthly_cost: f64,
    pub yearly_cost: f64,
}

/// A seat the report proposes to reclaim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub user_id: UserId,
    pub name: String,
    pub email: Option<String>,
    pub site_role: String,
    pub license: License,
    pub last_login: Option<DateTime<Utc>>,
    /// `None` when the user never signed in.
    pub days_inactive: Option<i64>,
    pub owned_content: u32,
    /// Groups whose grant-licence mode would license the user again.
    pub relicensing_groups: Vec<String>,
    pub recommendation: Recommendation,
}

/// The whole reclamation picture of a set of accounts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reclamation {
    pub usage: BTreeMap<License, LicenseUsage>,
    pub candidates: Vec<Candidate>,
    /// Unused seats left out by an exclusion (group or recently joined).
    pub excluded: usize,
    pub reclaimable_monthly: f64,
    pub reclaimable_yearly: f64,
    pub currency: String,
}

impl ReclaimRules {
    fn is_unused(&self, account: &Account) -> bool {
        account
            .days_inactive(self.now)
            .is_none_or(|days| days >= self.inactive_days)
    }

    fn is_excluded(&self, holder: &Holder<'_>) -> bool {
        let recent = (self.now - holder.first_seen).num_days() < self.inactive_days;
        recent
            || holder.groups.iter().any(|g| {
                self.exclude_groups
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(&g.name))
            })
    }

    fn recommend(&self, owned: &OwnedContent) -> Recommendation {
        match self.policy {
            ReclaimPolicy::AlwaysSuspend => Recommendation::Suspend,
            ReclaimPolicy::SuspendOwners if owned.blocks_removal() => Recommendation::Suspend,
            ReclaimPolicy::SuspendOwners => Recommendation::Deprovision,
        }
    }
}

/// Computes usage per licence and the candidates, most expensive and longest
/// unused first. Only paid licences (Creator, Explorer, Viewer) are candidates.
pub fn reclaim(holders: &[Holder<'_>], rules: &ReclaimRules, prices: &PriceTable) -> Reclamation {
    let mut usage: BTreeMap<License, LicenseUsage> = License::ALL
        .into_iter()
        .map(|l| (l, LicenseUsage::default()))
        .collect();
    let mut candidates = Vec::new();
    let mut excluded = 0;
    for holder in holders {
        let account = holder.account;
        let license = account.license();
        let entry = usage.entry(license).or_default();
        entry.holders += 1;
        match account.days_inactive(rules.now) {
            None => entry.never_signed_in += 1,
            Some(days) if days >= rules.inactive_days => entry.inactive += 1,
            Some(_) => entry.active += 1,
        }
        if !license.is_paid() || !rules.is_unused(account) {
            continue;
        }
        if rules.is_excluded(holder) {
            excluded += 1;
            continue;
        }
        entry.reclaimable += 1;
        candidates.push(Candidate {
            user_id: account.id.clone(),
            name: account.name.clone(),
            email: account.email.clone(),
            site_role: account.site_role.to_string(),
            license,
            last_login: account.last_login,
            days_inactive: account.days_inactive(rules.now),
            owned_content: holder.owned.total(),
            relicensing_groups: holder
                .groups
                .iter()
                .filter(|g| g.relicenses_to().is_some())
                .map(|g| g.name.clone())
                .collect(),
            recommendation: rules.recommend(&holder.owned),
        });
    }
    for (license, entry) in usage.iter_mut() {
        entry.monthly_cost = entry.reclaimable as f64 * prices.monthly(*license);
        entry.yearly_cost = entry.monthly_cost * 12.0;
    }
    candidates.sort_by(|a, b| {
        let price = |c: &Candidate| prices.monthly(c.license);
        price(b)
            .total_cmp(&price(a))
            .then(
                b.days_inactive
                    .unwrap_or(i64::MAX)
                    .cmp(&a.days_inactive.unwrap_or(i64::MAX)),
            )
            .then(a.name.cmp(&b.name))
    });
    let reclaimable_monthly = usage.values().map(|u| u.monthly_cost).sum();
    Reclamation {
        usage,
        candidates,
        excluded,
        reclaimable_monthly,
        reclaimable_yearly: reclaimable_monthly * 12.0,
        currency: prices.currency.clone(),
    }
}

#[cfg(test)]
#[path = "reclaim_tests.rs"]
mod tests;
