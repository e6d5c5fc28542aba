//! The licence report as text for a terminal and as CSV for a spreadsheet.

use std::io::Write;

use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
use tabgov_mapping::Recommendation;

use super::csv_cell::guard;
use super::licenses::{money, LicenseReport, SiteCandidate};
use super::terminal_text::visible;

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

/// The per-licence table, with a total line.
pub fn usage_table(report: &LicenseReport) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::ASCII_MARKDOWN)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "licence",
            "price/month",
            "holders",
            "active",
            "inactive",
            "never signed in",
            "reclaimable",
            "monthly",
            "yearly",
        ]);
    let cur = &report.currency;
    for l in &report.licenses {
        let u = &l.usage;
        let price = if l.license.is_paid() {
            money(l.price_monthly, cur)
        } else {
            "-".to_owned()
        };
        t.add_row([
            l.license.to_string(),
            price,
            u.holders.to_string(),
            u.active.to_string(),
            u.inactive.to_string(),
            u.never_signed_in.to_string(),
            u.reclaimable.to_string(),
            money(u.monthly_cost, cur),
            money(u.yearly_cost, cur),
        ]);
    }
    let sum = |f: fn(&tabgov_mapping::LicenseUsage) -> usize| -> String {
        report
            .licenses
            .iter()
            .map(|l| f(&l.usage))
            .sum::<usize>()
            .to_string()
    };
    t.add_row([
        "total".to_owned(),
        String::new(),
        sum(|u| u.holders),
        sum(|u| u.active),
        sum(|u| u.inactive),
        sum(|u| u.never_signed_in),
        report.reclaimable_seats.to_string(),
        money(report.reclaimable_monthly, cur),
        money(report.reclaimable_yearly, cur),
    ]);
    for col in 1..9 {
        if let Some(c) = t.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
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

/// The whole report for a terminal: usage, headline, candidates (the first
/// `limit` of them when given), the note.
pub fn render_table(report: &LicenseReport, limit: Option<usize>) -> String {
    let sites: Vec<String> = report
        .sites
        .iter()
        .map(|s| visible(&site_label(s)).into_owned())
        .collect();
    let mut out = format!(
        "Licence usage, site(s) {}: inactive means no interactive sign-in for {}+ days; prices in {} per user per month\n{}\n\n{}\n",
        sites.join(", "),
        report.inactive_days,
        report.currency,
        usage_table(report),
        headline(report),
    );
    if report.candidates.is_empty() {
        out.push_str("\nNo reclamation candidates.\n");
    } else {
        // One site: its name is in the title already.
        let first = usize::from(report.sites.len() <= 1);
        let mut t = Table::new();
        t.load_preset(presets::ASCII_MARKDOWN)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(CANDIDATE_HEADERS.iter().skip(first));
        let shown = limit.unwrap_or(usize::MAX).min(report.candidates.len());
        for c in &report.candidates[..shown] {
            t.add_row(
                candidate_cells(c, &report.currency)
                    .into_iter()
                    .skip(first)
                    .map(|cell| visible(&cell).into_owned()),
            );
        }
        out.push_str(&format!(
            "\nCandidates (most expensive and longest unused first; suspend keeps content, deprovision removes the user):\n{t}\n"
        ));
        if shown < report.candidates.len() {
            out.push_str(&format!(
                "... and {} more candidate(s).\n",
                report.candidates.len() - shown
            ));
        }
    }
    out.push_str(&format!("\nNote: {}\n", report.note));
    out
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
            k.user_id.clone(),
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
