//! The licence report's cells, words and headline (shared by the terminal
//! table of the command line and the HTML page) and the report as CSV for a
//! spreadsheet.

use std::io::Write;

use tabgov_mapping::Recommendation;

use super::csv_cell::guard;
use super::licenses::{money, LicenseReport, SiteCandidate};

/// Candidate columns, in the order of the table, the CSV and the HTML page.
pub const CANDIDATE_HEADERS: [&str; 11] = [
    "site",
    "user",
    "email",
    "site role",
    "licence",
    "last login",
    "days inactive",
    "owned content",
    "groups that relicense",
    "action",
    "monthly cost",
];

/// One candidate's cells, matching [`CANDIDATE_HEADERS`].
pub fn candidate_cells(c: &SiteCandidate, currency: &str) -> [String; 11] {
    let k = &c.candidate;
    [
        site_label(&c.site),
        k.name.clone(),
        k.email.clone().unwrap_or_default(),
        k.site_role.clone(),
        k.license.to_string(),
        k.last_login
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "never".to_owned()),
        k.days_inactive
            .map(|d| d.to_string())
            .unwrap_or_else(|| "never".to_owned()),
        k.owned_content.to_string(),
        k.relicensing_groups.join("; "),
        action(k.recommendation).to_owned(),
        money(c.monthly_cost, currency),
    ]
}

/// The recommendation as a word.
pub fn action(r: Recommendation) -> &'static str {
    match r {
        Recommendation::Suspend => "suspend",
        Recommendation::Deprovision => "deprovision",
    }
}

/// How a content URL reads in a report ("" is the default site).
pub fn site_label(content_url: &str) -> String {
    if content_url.is_empty() {
        "(default)".to_owned()
    } else {
        content_url.to_owned()
    }
}

/// The sentence that sums the report up.
pub fn headline(report: &LicenseReport) -> String {
    let mut s = format!(
        "{} reclaimable seat(s): {} a month, {} a year",
        report.reclaimable_seats,
        money(report.reclaimable_monthly, &report.currency),
        money(report.reclaimable_yearly, &report.currency),
    );
    if report.excluded > 0 {
        s.push_str(&format!(
            " ({} more unused seat(s) left out: in an excluded group, or first seen less than {} days ago)",
            report.excluded, report.inactive_days
        ));
    }
    s
}

/// The candidates as CSV with a header row (the totals are in the table,
/// JSON and HTML forms); formula-like cells are guarded.
pub fn write_csv(report: &LicenseReport, out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "site",
        "user_id",
        "username",
        "email",
        "site_role",
        "license",
        "last_login",
        "days_inactive",
        "owned_content",
        "relicensing_groups",
        "recommendation",
        "monthly_cost",
        "currency",
    ])?;
    for c in &report.candidates {
        let k = &c.candidate;
        let cells = [
            c.site.clone(),
            k.user_id.to_string(),
            k.name.clone(),
            k.email.clone().unwrap_or_default(),
            k.site_role.clone(),
            k.license.to_string(),
            k.last_login
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            k.days_inactive.map(|d| d.to_string()).unwrap_or_default(),
            k.owned_content.to_string(),
            k.relicensing_groups.join(";"),
            action(k.recommendation).to_owned(),
            c.monthly_cost.to_string(),
            report.currency.clone(),
        ];
        w.write_record(cells.iter().map(|c| guard(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}
