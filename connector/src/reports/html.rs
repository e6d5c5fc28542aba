//! The licence report as one self-contained HTML page: inline CSS and SVG,
//! no script, no font, image or link to fetch, readable on screen and
//! printable (landscape, table headers repeated on every page).

use std::fmt::Write;

use super::chart::license_chart;
use super::license_text::{action, candidate_cells, headline, site_label, CANDIDATE_HEADERS};
use super::licenses::{money, LicenseReport};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;
  color: #1d2430; margin: 24px auto; max-width: 1180px; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d6dce5; padding-bottom: 4px; }
.meta { color: #5a6475; margin: 0; font-size: 13px; }
.tiles { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 18px; }
.tile { border: 1px solid #d6dce5; border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.tile .n { font-size: 22px; font-weight: 600; }
.tile .what { color: #5a6475; font-size: 12px; }
.tile.money .n { color: #b4481b; }
.chart { max-width: 100%; height: auto; font-size: 13px; }
.chart .label { font-weight: 600; fill: #1d2430; }
.chart .value, .chart .legend { fill: #1d2430; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e7ee; vertical-align: top; }
th { background: #f1f4f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td.nowrap { white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid #9aa5b5; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 11.5px; }
.badge.suspend { background: #fff1d6; color: #7a4a00; }
.badge.deprovision { background: #fde2dc; color: #8a1f0a; }
.note { margin-top: 22px; padding: 10px 14px; background: #f6f8fb; border-left: 4px solid #2f6fb0; font-size: 13px; }
footer { margin-top: 18px; color: #5a6475; font-size: 12px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; }
  tr, .tile, .note, figure { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table { font-size: 8.5pt; }
}
";

/// The whole page.
pub fn render_html(report: &LicenseReport) -> String {
    let cur = &report.currency;
    let sites: Vec<String> = report.sites.iter().map(|s| site_label(s)).collect();
    let mut h = String::with_capacity(16 * 1024 + report.candidates.len() * 600);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Tableau licence report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let _ = write!(
        h,
        "<header>\n<h1>Tableau licence reclamation</h1>\n<p class=\"meta\">Generated {} UTC from the tabgov store \
         &middot; site(s) {} &middot; inactive = no interactive sign-in for {}+ days &middot; prices in {} per user per month</p>\n</header>\n",
        report.generated_at.format("%Y-%m-%d %H:%M"),
        escape(&sites.join(", ")),
        report.inactive_days,
        escape(cur),
    );
    h.push_str("<section class=\"tiles\">\n");
    let tiles = [
        (
            "",
            report.reclaimable_seats.to_string(),
            "reclaimable seats",
        ),
        ("money", money(report.reclaimable_monthly, cur), "per month"),
        ("money", money(report.reclaimable_yearly, cur), "per year"),
        ("", report.excluded.to_string(), "unused but left out"),
    ];
    for (class, n, what) in tiles {
        let _ = writeln!(
            h,
            "<div class=\"tile {class}\"><div class=\"n\">{}</div><div class=\"what\">{what}</div></div>",
            escape(&n)
        );
    }
    h.push_str("</section>\n");
    let _ = write!(
        h,
        "<section>\n<h2>Seats per licence</h2>\n<figure>{}</figure>\n</section>\n",
        license_chart(report)
    );
    usage_section(&mut h, report);
    candidates_section(&mut h, report);
    let _ = writeln!(
        h,
        "<aside class=\"note\"><strong>Note:</strong> {}</aside>",
        escape(report.note)
    );
    let excluded = if report.exclude_groups.is_empty() {
        "none".to_owned()
    } else {
        report.exclude_groups.join(", ")
    };
    let _ = write!(
        h,
        "<footer>tabgov report licenses &middot; policy: {} &middot; excluded groups: {} &middot; {}</footer>\n</body>\n</html>\n",
        escape(&format!("{:?}", report.policy)),
        escape(&excluded),
        escape(&headline(report)),
    );
    h
}

fn usage_section(h: &mut String, report: &LicenseReport) {
    let cur = &report.currency;
    h.push_str(
        "<section>\n<h2>Usage</h2>\n<table class=\"usage\">\n<thead><tr><th>licence</th>\
         <th class=\"num\">price/month</th><th class=\"num\">holders</th><th class=\"num\">active</th>\
         <th class=\"num\">inactive</th><th class=\"num\">never signed in</th>\
         <th class=\"num\">reclaimable</th><th class=\"num\">monthly</th><th class=\"num\">yearly</th></tr></thead>\n<tbody>\n",
    );
    for l in &report.licenses {
        let u = &l.usage;
        let price = if l.license.is_paid() {
            money(l.price_monthly, cur)
        } else {
            "&ndash;".to_owned()
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{price}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            l.license,
            u.holders,
            u.active,
            u.inactive,
            u.never_signed_in,
            u.reclaimable,
            escape(&money(u.monthly_cost, cur)),
            escape(&money(u.yearly_cost, cur)),
        );
    }
    let total = |f: fn(&tabgov_mapping::LicenseUsage) -> usize| -> usize {
        report.licenses.iter().map(|l| f(&l.usage)).sum()
    };
    let _ = write!(
        h,
        "<tr class=\"total\"><td>total</td><td></td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n</tbody>\n</table>\n</section>\n",
        total(|u| u.holders),
        total(|u| u.active),
        total(|u| u.inactive),
        total(|u| u.never_signed_in),
        report.reclaimable_seats,
        escape(&money(report.reclaimable_monthly, cur)),
        escape(&money(report.reclaimable_yearly, cur)),
    );
}

fn candidates_section(h: &mut String, report: &LicenseReport) {
    let _ = write!(
        h,
        "<section>\n<h2>Candidates ({})</h2>\n<p class=\"meta\">Most expensive and longest unused first. \
         Suspend sets the site role to Unlicensed and keeps the user's content; deprovision removes the user \
         from the site. Groups that relicense give the seat back at the next sign-in unless the user leaves them.</p>\n",
        report.candidates.len()
    );
    if report.candidates.is_empty() {
        h.push_str("<p>No reclamation candidates.</p>\n</section>\n");
        return;
    }
    const NUMERIC: [usize; 3] = [6, 7, 10];
    const LAST_LOGIN: usize = 5;
    // One site: its name is in the header already.
    let first = usize::from(report.sites.len() <= 1);
    h.push_str("<table class=\"candidates\">\n<thead><tr>");
    for (i, head) in CANDIDATE_HEADERS.iter().enumerate().skip(first) {
        let class = if NUMERIC.contains(&i) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(h, "<th{class}>{}</th>", escape(head));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for c in &report.candidates {
        h.push_str("<tr class=\"candidate\">");
        for (i, cell) in candidate_cells(c, &report.currency)
            .iter()
            .enumerate()
            .skip(first)
        {
            if i == 9 {
                let word = action(c.candidate.recommendation);
                let _ = write!(h, "<td><span class=\"badge {word}\">{word}</span></td>");
            } else if NUMERIC.contains(&i) {
                let _ = write!(h, "<td class=\"num\">{}</td>", escape(cell));
            } else if i == LAST_LOGIN {
                let _ = write!(h, "<td class=\"nowrap\">{}</td>", escape(cell));
            } else {
                let _ = write!(h, "<td>{}</td>", escape(cell));
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::licenses::{build_report, LicenseReportOptions};

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn an_empty_report_is_a_whole_page_without_any_url() {
        let report = build_report(&[], &LicenseReportOptions::new(chrono::Utc::now()));
        let page = render_html(&report);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.trim_end().ends_with("</html>"));
        assert!(page.contains("<svg") && page.contains("No reclamation candidates"));
        for forbidden in ["http", "src=", "href=", "<script", "@import", "url("] {
            assert!(!page.contains(forbidden), "{forbidden}");
        }
    }
}
