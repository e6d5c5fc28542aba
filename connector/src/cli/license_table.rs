//! The licence report as a table for a terminal. Lives in the command line
//! so that the library does not need a table-drawing crate; the cells, words
//! and headline come from [`tabgov::reports::license_text`].

use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
use tabgov::reports::license_text::{candidate_cells, headline, site_label, CANDIDATE_HEADERS};
use tabgov::reports::licenses::money;
use tabgov::reports::terminal_text::visible;
use tabgov::reports::LicenseReport;

/// The per-licence table, with a total line.
fn usage_table(report: &LicenseReport) -> Table {
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
