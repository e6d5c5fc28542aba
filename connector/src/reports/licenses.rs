//! `tabgov report licenses`: per-licence usage from the store, the seats
//! that sit unused, what they cost, and what to do with each.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tabgov_mapping::{
    reclaim, Candidate, Holder, License, LicenseUsage, PriceTable, ReclaimPolicy, ReclaimRules,
};
use tabgov_state::SiteKey;
use tabgov_state::Store;

use super::site_view::SiteView;
use crate::Result;

/// Default inactivity threshold: a seat unused for 90 days is reclaimable.
pub const DEFAULT_INACTIVE_DAYS: i64 = 90;

/// Printed with every report: the one caveat that changes decisions.
pub const INTERACTIVE_ONLY_NOTE: &str = "lastLogin only counts interactive sign-ins: \
accounts used only through the REST API, embedded views or scheduled extracts look \
inactive. Check such service accounts (or leave them out with --exclude-group) before \
reclaiming their seats.";

/// What one report run covers and how it judges.
#[derive(Debug, Clone)]
pub struct LicenseReportOptions {
    /// One site, or every synced site when `None`.
    pub site: Option<SiteKey>,
    /// A seat is unused when its holder has not signed in for this many days.
    pub inactive_days: i64,
    /// Members of these groups (by name, any case) are never candidates.
    pub exclude_groups: Vec<String>,
    pub policy: ReclaimPolicy,
    pub prices: PriceTable,
    pub now: DateTime<Utc>,
}

impl LicenseReportOptions {
    /// The defaults: every site, 90 days, list prices, suspend content owners.
    pub fn new(now: DateTime<Utc>) -> LicenseReportOptions {
        LicenseReportOptions {
            site: None,
            inactive_days: DEFAULT_INACTIVE_DAYS,
            exclude_groups: Vec::new(),
            policy: ReclaimPolicy::default(),
            prices: PriceTable::default(),
            now,
        }
    }
}

/// Usage of one licence over the sites of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenseLine {
    pub license: License,
    /// Price of one seat per month (0 for unpaid licences).
    pub price_monthly: f64,
    #[serde(flatten)]
    pub usage: LicenseUsage,
}

/// A reclamation candidate and the site it is on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteCandidate {
    /// The site's content URL.
    pub site: String,
    #[serde(flatten)]
    pub candidate: Candidate,
    /// What reclaiming this seat saves per month.
    pub monthly_cost: f64,
}

/// The whole licence report, as `--format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenseReport {
    pub generated_at: DateTime<Utc>,
    /// Content URLs of the sites covered.
    pub sites: Vec<String>,
    pub inactive_days: i64,
    pub exclude_groups: Vec<String>,
    pub policy: ReclaimPolicy,
    pub currency: String,
    /// One line per licence, most expensive first.
    pub licenses: Vec<LicenseLine>,
    /// Most expensive and longest unused first.
    pub candidates: Vec<SiteCandidate>,
    /// Unused paid seats left out: in an excluded group, or first seen less
    /// than `inactive_days` ago.
    pub excluded: usize,
    pub reclaimable_seats: usize,
    pub reclaimable_monthly: f64,
    pub reclaimable_yearly: f64,
    pub note: &'static str,
}

impl LicenseReport {
    /// Paid licences only (the ones with a price and candidates).
    pub fn paid(&self) -> impl Iterator<Item = &LicenseLine> {
        self.licenses.iter().filter(|l| l.license.is_paid())
    }
}

/// Reads the store and builds the report.
pub async fn license_report(store: &Store, opts: &LicenseReportOptions) -> Result<LicenseReport> {
    let views = SiteView::load_all(store, opts.site).await?;
    Ok(build_report(&views, opts))
}

/// The report of `views` (pure: the store was read already).
///
/// "First seen" is the earlier of when tabgov first saw the account and its
/// last sign-in: Tableau has no creation date, and someone who signed in 200
/// days ago is not a new joiner even if tabgov's first sync was yesterday.
pub fn build_report(views: &[SiteView], opts: &LicenseReportOptions) -> LicenseReport {
    let rules = ReclaimRules {
        now: opts.now,
        inactive_days: opts.inactive_days,
        exclude_groups: opts.exclude_groups.clone(),
        policy: opts.policy,
    };
    let mut usage: Vec<(License, LicenseUsage)> = License::ALL
        .into_iter()
        .map(|l| (l, LicenseUsage::default()))
        .collect();
    let mut candidates = Vec::new();
    let mut excluded = 0;
    for view in views {
        let holders: Vec<Holder<'_>> = view
            .accounts
            .iter()
            .map(|a| Holder {
                account: &a.record.account,
                first_seen: a
                    .record
                    .account
                    .last_login
                    .map_or(a.record.first_seen, |t| t.min(a.record.first_seen)),
                owned: a.record.owned,
                groups: view.groups_of(a),
            })
            .collect();
        let site = reclaim(&holders, &rules, &opts.prices);
        excluded += site.excluded;
        for (license, total) in &mut usage {
            if let Some(u) = site.usage.get(license) {
                total.holders += u.holders;
                total.active += u.active;
                total.inactive += u.inactive;
                total.never_signed_in += u.never_signed_in;
                total.reclaimable += u.reclaimable;
            }
        }
        candidates.extend(site.candidates.into_iter().map(|c| SiteCandidate {
            site: view.site.clone(),
            monthly_cost: opts.prices.monthly(c.license),
            candidate: c,
        }));
    }
    let licenses: Vec<LicenseLine> = usage
        .into_iter()
        .map(|(license, mut usage)| {
            let price = opts.prices.monthly(license);
            usage.monthly_cost = usage.reclaimable as f64 * price;
            usage.yearly_cost = usage.monthly_cost * 12.0;
            LicenseLine {
                license,
                price_monthly: price,
                usage,
            }
        })
        .collect();
    candidates.sort_by(|a, b| {
        let never = |c: &SiteCandidate| c.candidate.days_inactive.unwrap_or(i64::MAX);
        b.monthly_cost
            .total_cmp(&a.monthly_cost)
            .then(never(b).cmp(&never(a)))
            .then(a.candidate.name.cmp(&b.candidate.name))
            .then(a.site.cmp(&b.site))
    });
    let reclaimable_monthly: f64 = licenses.iter().map(|l| l.usage.monthly_cost).sum();
    LicenseReport {
        generated_at: opts.now,
        sites: views.iter().map(|v| v.site.clone()).collect(),
        inactive_days: opts.inactive_days,
        exclude_groups: opts.exclude_groups.clone(),
        policy: opts.policy,
        currency: opts.prices.currency.clone(),
        reclaimable_seats: licenses.iter().map(|l| l.usage.reclaimable).sum(),
        licenses,
        candidates,
        excluded,
        reclaimable_monthly,
        reclaimable_yearly: reclaimable_monthly * 12.0,
        note: INTERACTIVE_ONLY_NOTE,
    }
}

/// An amount with thousands separators: whole amounts without decimals,
/// others with two (`USD 1,260`, `EUR 37.50`).
pub fn money(amount: f64, currency: &str) -> String {
    let cents = (amount * 100.0).round() as i64;
    let whole = (cents / 100).unsigned_abs();
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if cents < 0 { "-" } else { "" };
    let fraction = (cents % 100).unsigned_abs();
    if fraction == 0 {
        format!("{currency} {sign}{grouped}")
    } else {
        format!("{currency} {sign}{grouped}.{fraction:02}")
    }
}

#[cfg(test)]
#[path = "licenses_tests.rs"]
mod tests;
