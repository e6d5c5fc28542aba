use chrono::Duration;
use tabgov_mapping::{Account, AccountStatus, OwnedContent, Recommendation, SiteRole};
use tabgov_state::AccountRecord;

use super::*;
use crate::reports::site_view::ViewAccount;

fn now() -> DateTime<Utc> {
    "2026-06-01T00:00:00Z".parse().unwrap()
}

/// An account of `site` holding `role`, last seen signing in `days` ago.
fn holder(site: &str, name: &str, role: &str, days: Option<i64>, owned: u32) -> ViewAccount {
    let license: License = SiteRole::parse(role).license();
    let record = AccountRecord {
        site: site.into(),
        account: Account {
            email: Some(format!("{name}@example.com")),
            last_login: days.map(|d| now() - Duration::days(d)),
            ..Account::for_test(format!("{site}-{name}"), name, SiteRole::parse(role))
        },
        license,
        status: AccountStatus::Active,
        groups: Vec::new(),
        owned: OwnedContent {
            workbooks: owned,
            ..OwnedContent::default()
        },
        // tabgov's first sync was yesterday.
        first_seen: now() - Duration::days(1),
        last_seen: None,
        deprovisioned_at: None,
        site_key: tabgov_state::SiteKey(1),
        updated_run_id: None,
    };
    ViewAccount {
        record,
        groups: Vec::new(),
    }
}

fn view(site: &str, accounts: Vec<ViewAccount>) -> SiteView {
    SiteView {
        key: tabgov_state::SiteKey(1),
        site: site.into(),
        accounts,
        groups: Vec::new(),
    }
}

#[test]
fn an_old_sign_in_proves_the_account_is_no_new_joiner() {
    let views = [view(
        "finance",
        vec![
            holder("finance", "old", "Creator", Some(200), 0),
            holder("finance", "never", "Creator", None, 0),
            holder("finance", "recent", "Creator", Some(3), 0),
        ],
    )];
    let report = build_report(&views, &LicenseReportOptions::new(now()));
    let names: Vec<_> = report
        .candidates
        .iter()
        .map(|c| c.candidate.name.as_str())
        .collect();
    assert_eq!(names, ["old"]);
    assert_eq!(report.excluded, 1, "never signed in, first seen yesterday");
    let creator = &report.licenses[0];
    assert_eq!(creator.license, License::Creator);
    assert_eq!(
        (
            creator.usage.holders,
            creator.usage.active,
            creator.usage.inactive,
            creator.usage.never_signed_in
        ),
        (3, 1, 1, 1)
    );
}

#[test]
fn sites_add_up_and_costs_are_seats_times_prices() {
    let views = [
        view(
            "a",
            vec![
                holder("a", "c1", "Creator", Some(100), 2),
                holder("a", "v1", "Viewer", Some(400), 0),
            ],
        ),
        view(
            "b",
            vec![
                holder("b", "c2", "SiteAdministratorCreator", Some(95), 0),
                holder("b", "e1", "Explorer", Some(10), 0),
            ],
        ),
    ];
    let mut opts = LicenseReportOptions::new(now());
    opts.prices = "creator=70,viewer=12.5".parse().unwrap();
    let report = build_report(&views, &opts);
    let seats: Vec<_> = report
        .paid()
        .map(|l| {
            (
                l.license,
                l.usage.holders,
                l.usage.reclaimable,
                l.usage.monthly_cost,
            )
        })
        .collect();
    assert_eq!(
        seats,
        [
            (License::Creator, 2, 2, 140.0),
            (License::Explorer, 1, 0, 0.0),
            (License::Viewer, 1, 1, 12.5)
        ]
    );
    assert_eq!(report.reclaimable_seats, 3);
    assert_eq!(report.reclaimable_monthly, 152.5);
    assert_eq!(report.reclaimable_yearly, 1830.0);
    assert_eq!(report.sites, ["a", "b"]);
    let order: Vec<_> = report
        .candidates
        .iter()
        .map(|c| {
            (
                c.site.as_str(),
                c.candidate.name.as_str(),
                c.candidate.recommendation,
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("a", "c1", Recommendation::Suspend),
            ("b", "c2", Recommendation::Deprovision),
            ("a", "v1", Recommendation::Deprovision)
        ]
    );
}

#[test]
fn money_groups_thousands_and_keeps_cents_only_when_there_are_some() {
    let cases = [
        (0.0, "USD 0"),
        (75.0, "USD 75"),
        (1260.0, "USD 1,260"),
        (37.5, "EUR 37.50"),
        (1234567.891, "USD 1,234,567.89"),
    ];
    for (amount, shown) in cases {
        let currency = if shown.starts_with("EUR") {
            "EUR"
        } else {
            "USD"
        };
        assert_eq!(money(amount, currency), shown);
    }
}
