use chrono::Duration;

use super::*;
use crate::{ContentKind, GrantLicenseMode, SiteRole};

fn now() -> DateTime<Utc> {
    "2026-06-30T00:00:00Z".parse().unwrap()
}

fn account(name: &str, role: SiteRole, days_ago: Option<i64>) -> Account {
    Account {
        email: Some(format!("{name}@example.com")),
        last_login: days_ago.map(|d| now() - Duration::days(d)),
        ..Account::for_test(format!("id-{name}"), name, role)
    }
}

fn group(name: &str, grant: bool) -> Group {
    Group {
        id: format!("g-{name}").into(),
        name: name.into(),
        domain: None,
        minimum_site_role: grant.then_some(SiteRole::Viewer),
        grant_license_mode: grant.then_some(GrantLicenseMode::OnLogin),
    }
}

fn rules() -> ReclaimRules {
    ReclaimRules {
        now: now(),
        inactive_days: 90,
        exclude_groups: vec!["Service Accounts".into()],
        policy: ReclaimPolicy::SuspendOwners,
    }
}

fn holder<'a>(account: &'a Account, owned: u32, groups: Vec<&'a Group>) -> Holder<'a> {
    let mut o = OwnedContent::default();
    (0..owned).for_each(|_| o.add(ContentKind::Workbook));
    Holder {
        account,
        first_seen: now() - Duration::days(400),
        owned: o,
        groups,
    }
}

#[test]
fn usage_counts_and_costs_per_licence() {
    let accounts = [
        account("c-active", SiteRole::Creator, Some(3)),
        account("c-idle", SiteRole::Creator, Some(200)),
        account("c-never", SiteRole::SiteAdministratorCreator, None),
        account("e-idle", SiteRole::Explorer, Some(90)),
        account("v-active", SiteRole::Viewer, Some(89)),
        account("u", SiteRole::Unlicensed, Some(500)),
        account("legacy", SiteRole::Interactor, None),
    ];
    let holders: Vec<_> = accounts.iter().map(|a| holder(a, 0, vec![])).collect();
    let r = reclaim(&holders, &rules(), &PriceTable::default());

    let creator = &r.usage[&License::Creator];
    assert_eq!(
        (
            creator.holders,
            creator.active,
            creator.inactive,
            creator.never_signed_in
        ),
        (3, 1, 1, 1)
    );
    assert_eq!(creator.reclaimable, 2);
    assert_eq!(creator.monthly_cost, 150.0);
    assert_eq!(creator.yearly_cost, 1800.0);
    assert_eq!(
        r.usage[&License::Explorer].reclaimable,
        1,
        "90 days is inactive"
    );
    assert_eq!(
        r.usage[&License::Viewer].reclaimable,
        0,
        "89 days is active"
    );
    assert_eq!(r.usage[&License::Unlicensed].reclaimable, 0);
    assert_eq!(r.usage[&License::Unknown].holders, 1);
    assert_eq!(
        r.usage[&License::Unknown].reclaimable,
        0,
        "unknown licences are not priced"
    );
    assert_eq!(r.reclaimable_monthly, 192.0);
    assert_eq!(r.reclaimable_yearly, 2304.0);
    let names: Vec<_> = r.candidates.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["c-never", "c-idle", "e-idle"],
        "most expensive, longest unused first"
    );
}

#[test]
fn exclusions_and_recommendations() {
    let service = group("Service Accounts", false);
    let grant = group("Analysts", true);
    let svc = account("svc", SiteRole::Creator, None);
    let owner = account("owner", SiteRole::Explorer, Some(365));
    let plain = account("plain", SiteRole::Viewer, Some(365));
    let newbie = account("newbie", SiteRole::Viewer, None);
    let mut fresh = holder(&newbie, 0, vec![]);
    fresh.first_seen = now() - Duration::days(10);
    let holders = vec![
        holder(&svc, 0, vec![&service]),
        holder(&owner, 2, vec![&grant]),
        holder(&plain, 0, vec![]),
        fresh,
    ];
    let r = reclaim(&holders, &rules(), &PriceTable::default());
    assert_eq!(r.excluded, 2);
    let by_name = |n: &str| r.candidates.iter().find(|c| c.name == n).unwrap();
    assert_eq!(by_name("owner").recommendation, Recommendation::Suspend);
    assert_eq!(by_name("owner").relicensing_groups, ["Analysts"]);
    assert_eq!(by_name("owner").owned_content, 2);
    assert_eq!(by_name("plain").recommendation, Recommendation::Deprovision);
    assert_eq!(r.candidates.len(), 2);

    let always = ReclaimRules {
        policy: ReclaimPolicy::AlwaysSuspend,
        ..rules()
    };
    let r = reclaim(&holders, &always, &PriceTable::default());
    assert!(r
        .candidates
        .iter()
        .all(|c| c.recommendation == Recommendation::Suspend));
}
