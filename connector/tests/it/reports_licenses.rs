//! `tabgov report licenses` against a seeded simulated site: totals checked
//! against `tabgov accounts`, costs against prices, exclusions, formats.

use crate::common;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use common::Env;
use serde_json::Value;
use tableau_sim::SimConfig;

const SITE: &str = "";

/// A seeded site plus four hand-made accounts whose fate is known.
async fn seeded() -> Env {
    let env = Env::start(SimConfig::new().users(300).groups(12).seed(11)).await;
    let sim = &env.sim;
    let long_ago = |days| Some(Utc::now() - Duration::days(days));
    let svc = sim.add_user(SITE, "svc-extracts", "Creator");
    sim.set_last_login(SITE, &svc.id, long_ago(400));
    let service = sim.add_group(SITE, "Service Accounts", None, None);
    sim.add_member(SITE, &service.id, &svc.id);
    let owner = sim.add_user(SITE, "old-owner", "Creator");
    sim.set_last_login(SITE, &owner.id, long_ago(300));
    sim.give_content(SITE, &owner.id, "workbook", "Quarterly close");
    let plain = sim.add_user(SITE, "old-plain", "Explorer");
    sim.set_last_login(SITE, &plain.id, long_ago(200));
    let grant = sim.add_group(SITE, "Analysts (auto)", Some("Explorer"), Some("onLogin"));
    sim.add_member(SITE, &grant.id, &plain.id);
    sim.add_user(SITE, "new-joiner", "Viewer");
    env.sync(&[]).await.ok();
    env
}

fn report_json(run: common::Run) -> Value {
    run.ok().json()
}

fn candidate<'a>(report: &'a Value, name: &str) -> Option<&'a Value> {
    report["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totals_match_the_accounts_listing_and_costs_are_seats_times_prices() {
    let env = seeded().await;
    let report = report_json(
        env.tabgov(&[
            "report",
            "licenses",
            "--format",
            "json",
            "--prices",
            "creator=70,explorer=40.5,viewer=12",
            "--currency",
            "EUR",
            "--exclude-group",
            "service accounts",
        ])
        .await,
    );
    let now: DateTime<Utc> = report["generated_at"].as_str().unwrap().parse().unwrap();

    // Independently: per licence, holders / active / inactive / never signed in.
    let mut expected: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for a in env.accounts().await {
        if a["status"] == "Deprovisioned" {
            continue;
        }
        let entry = expected
            .entry(a["license"].as_str().unwrap().to_owned())
            .or_default();
        entry[0] += 1;
        match a["last_login"].as_str() {
            None => entry[3] += 1,
            Some(t) => {
                let t: DateTime<Utc> = t.parse().unwrap();
                if (now - t).num_days() >= 90 {
                    entry[2] += 1
                } else {
                    entry[1] += 1
                }
            }
        }
    }
    let prices = BTreeMap::from([("Creator", 70.0), ("Explorer", 40.5), ("Viewer", 12.0)]);
    let candidates = report["candidates"].as_array().unwrap();
    let mut monthly_total = 0.0;
    for line in report["licenses"].as_array().unwrap() {
        let license = line["license"].as_str().unwrap();
        let got =
            ["holders", "active", "inactive", "never_signed_in"].map(|k| line[k].as_u64().unwrap());
        assert_eq!(
            got,
            expected.get(license).copied().unwrap_or_default(),
            "{license}"
        );
        let seats = line["reclaimable"].as_u64().unwrap();
        let listed = candidates
            .iter()
            .filter(|c| c["license"] == license)
            .count() as u64;
        assert_eq!(
            seats, listed,
            "{license}: one candidate per reclaimable seat"
        );
        let price = prices.get(license).copied().unwrap_or(0.0);
        assert_eq!(line["price_monthly"].as_f64().unwrap(), price);
        assert_eq!(
            line["monthly_cost"].as_f64().unwrap(),
            seats as f64 * price,
            "{license}"
        );
        assert_eq!(
            line["yearly_cost"].as_f64().unwrap(),
            seats as f64 * price * 12.0,
            "{license}"
        );
        monthly_total += seats as f64 * price;
    }
    assert!(expected.values().map(|e| e[0]).sum::<u64>() > 300);
    assert_eq!(
        report["reclaimable_monthly"].as_f64().unwrap(),
        monthly_total
    );
    assert_eq!(
        report["reclaimable_yearly"].as_f64().unwrap(),
        monthly_total * 12.0
    );
    assert_eq!(report["currency"], "EUR");
    assert!(monthly_total > 0.0);

    // Every candidate holds a paid seat unused for 90 days (or never used).
    for c in candidates {
        assert!(["Creator", "Explorer", "Viewer"].contains(&c["license"].as_str().unwrap()));
        assert!(c["days_inactive"].as_i64().is_none_or(|d| d >= 90), "{c}");
    }
    // The hand-made accounts.
    let owner = candidate(&report, "old-owner").expect("an unused Creator is a candidate");
    assert_eq!(
        owner["recommendation"], "suspend",
        "content owners are suspended"
    );
    assert_eq!(owner["owned_content"], 1);
    let plain = candidate(&report, "old-plain").expect("an unused Explorer is a candidate");
    assert_eq!(plain["recommendation"], "deprovision");
    assert_eq!(
        plain["relicensing_groups"],
        serde_json::json!(["Analysts (auto)"])
    );
    assert_eq!(plain["email"], "old-plain@example.com");
    assert!(
        candidate(&report, "svc-extracts").is_none(),
        "excluded group"
    );
    assert!(
        candidate(&report, "new-joiner").is_none(),
        "first seen today"
    );
    assert!(report["excluded"].as_u64().unwrap() >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prices_come_from_tabgov_toml_and_the_policy_flag_changes_the_advice() {
    let env = seeded().await;
    std::fs::write(
        env.dir.path().join("tabgov.toml"),
        "[prices]\ncreator = 60\ncurrency = \"GBP\"\n",
    )
    .unwrap();
    let report = report_json(
        env.tabgov(&[
            "report",
            "licenses",
            "--format",
            "json",
            "--policy",
            "always-suspend",
        ])
        .await,
    );
    let creator = &report["licenses"][0];
    assert_eq!(
        (
            creator["license"].as_str(),
            creator["price_monthly"].as_f64()
        ),
        (Some("Creator"), Some(60.0))
    );
    assert_eq!(
        report["licenses"][1]["price_monthly"], 42.0,
        "list price kept"
    );
    assert_eq!(report["currency"], "GBP");
    let advice: Vec<&str> = report["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["recommendation"].as_str().unwrap())
        .collect();
    assert!(!advice.is_empty() && advice.iter().all(|a| *a == "suspend"));
    assert!(
        candidate(&report, "svc-extracts").is_some(),
        "not excluded without --exclude-group"
    );

    let table = env.tabgov(&["report", "licenses", "--site", ""]).await.ok();
    for word in [
        "Creator",
        "GBP 60",
        "reclaimable seat(s)",
        "old-owner",
        "lastLogin only counts interactive sign-ins",
    ] {
        assert!(table.stdout.contains(word), "{word}:\n{}", table.stdout);
    }
    let csv = env
        .tabgov(&["report", "licenses", "--format", "csv"])
        .await
        .ok();
    let mut lines = csv.stdout.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("site,user_id,username,email,site_role,license"));
    assert_eq!(
        lines.count(),
        report["candidates"].as_array().unwrap().len()
    );

    let bad = env
        .tabgov(&["report", "licenses", "--prices", "gold=1"])
        .await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("creator, explorer or viewer"),
        "{}",
        bad.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_html_report_is_one_self_contained_page_with_a_chart_and_a_row_per_candidate() {
    let env = seeded().await;
    let out = env.dir.path().join("licences.html");
    let run = env
        .tabgov(&[
            "report",
            "licenses",
            "--format",
            "html",
            "--out",
            out.to_str().unwrap(),
        ])
        .await
        .ok();
    assert!(run.stdout.is_empty(), "the page goes to --out");
    let page = std::fs::read_to_string(&out).unwrap();
    let report = report_json(
        env.tabgov(&["report", "licenses", "--format", "json"])
            .await,
    );

    for external in [
        "http:", "https:", "//", "src=", "href=", "url(", "@import", "<script", "<link",
    ] {
        let hit = page
            .find(external)
            .map(|i| &page[i.saturating_sub(60)..(i + 60).min(page.len())]);
        assert!(hit.is_none(), "{external:?} in the page: {hit:?}");
    }
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
    assert_eq!(page.matches("<svg").count(), 1, "one inline chart");
    let svg = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap()];
    assert_eq!(
        svg.matches("<rect").count(),
        3 + 3 * 3,
        "legend + 3 bars per paid licence"
    );
    for license in ["Creator", "Explorer", "Viewer"] {
        assert!(svg.contains(&format!(">{license}</text>")), "{license}");
    }
    assert!(page.contains("@media print"));

    let candidates = report["candidates"].as_array().unwrap();
    assert!(candidates.len() > 10);
    let table = &page[page.find("<table class=\"candidates\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(
        table.matches("<tr class=\"candidate\">").count(),
        candidates.len()
    );
    assert_eq!(
        table.matches("<tr").count(),
        candidates.len() + 1,
        "header + candidates"
    );
    for c in candidates {
        assert!(table.contains(&format!("<td>{}</td>", c["name"].as_str().unwrap())));
    }
    assert!(page.contains("lastLogin only counts interactive sign-ins"));
}
