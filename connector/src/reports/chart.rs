//! The licence chart of the HTML report: inline SVG, no script, no
//! external reference (not even an XML namespace URL: HTML5 parsers put an
//! inline `<svg>` in the SVG namespace on their own).

use std::fmt::Write;

use super::html::escape;
use super::licenses::LicenseReport;

const LABEL_WIDTH: u32 = 110;
const BAR_AREA: u32 = 640;
const WIDTH: u32 = LABEL_WIDTH + BAR_AREA + 120;
const BAR: u32 = 16;
const GAP: u32 = 4;
const ROW: u32 = 3 * (BAR + GAP) + 18;
const TOP: u32 = 34;

/// The three bars of each paid licence, with their colours.
const SERIES: [(&str, &str); 3] = [
    ("held", "#b8c4d6"),
    ("in use", "#2f6fb0"),
    ("reclaimable", "#d9622b"),
];

/// A bar chart of seats held, in use (signed in within the threshold) and
/// reclaimable, per paid licence.
pub(crate) fn license_chart(report: &LicenseReport) -> String {
    let lines: Vec<_> = report.paid().collect();
    let height = TOP + ROW * lines.len() as u32 + 8;
    let max = lines
        .iter()
        .map(|l| l.usage.holders)
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = |n: usize| -> u32 {
        if n == 0 {
            0
        } else {
            ((n as f64 / max as f64) * f64::from(BAR_AREA))
                .round()
                .max(2.0) as u32
        }
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="chart-title"><title id="chart-title">Seats held, in use and reclaimable per licence</title>"#
    );
    let mut x = LABEL_WIDTH;
    for (name, colour) in SERIES {
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/><text x="{}" y="16" class="legend">{name}</text>"#,
            x + 17
        );
        x += 30 + 8 * name.len() as u32;
    }
    for (i, line) in lines.iter().enumerate() {
        let y = TOP + ROW * i as u32;
        let _ = write!(
            svg,
            r#"<text x="0" y="{}" class="label">{}</text>"#,
            y + BAR + GAP + BAR / 2 + 5,
            escape(line.license.as_str())
        );
        let values = [
            line.usage.holders,
            line.usage.active,
            line.usage.reclaimable,
        ];
        for (j, ((name, colour), value)) in SERIES.iter().zip(values).enumerate() {
            let by = y + j as u32 * (BAR + GAP);
            let w = scale(value);
            let _ = write!(
                svg,
                r#"<rect x="{LABEL_WIDTH}" y="{by}" width="{w}" height="{BAR}" fill="{colour}"><title>{}: {value} {name}</title></rect><text x="{}" y="{}" class="value">{value}</text>"#,
                escape(line.license.as_str()),
                LABEL_WIDTH + w + 6,
                by + BAR - 3,
            );
        }
    }
    svg.push_str("</svg>");
    svg
}
