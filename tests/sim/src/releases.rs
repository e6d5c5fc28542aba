//! Which Tableau release speaks which REST API version: what `serverinfo`
//! reports as `productVersion` next to `restApiVersion`. After 2022.1 not
//! every release reached Tableau Server, and no numbering rule tells which:
//! 2022.2, 2022.4, 2023.2, 2024.1, 2024.3, 2025.2 and 2026.1 shipped on
//! Tableau Cloud only.

/// `(REST API version, Tableau release)`, oldest first.
const RELEASES: &[(&str, &str)] = &[
    ("3.0", "2018.1"),
    ("3.1", "2018.2"),
    ("3.2", "2018.3"),
    ("3.3", "2019.1"),
    ("3.4", "2019.2"),
    ("3.5", "2019.3"),
    ("3.6", "2019.4"),
    ("3.7", "2020.1"),
    ("3.8", "2020.2"),
    ("3.9", "2020.3"),
    ("3.10", "2020.4"),
    ("3.11", "2021.1"),
    ("3.12", "2021.2"),
    ("3.13", "2021.3"),
    ("3.14", "2021.4"),
    ("3.15", "2022.1"),
    ("3.16", "2022.2"),
    ("3.17", "2022.3"),
    ("3.18", "2022.4"),
    ("3.19", "2023.1"),
    ("3.20", "2023.2"),
    ("3.21", "2023.3"),
    ("3.22", "2024.1"),
    ("3.23", "2024.2"),
    ("3.24", "2024.3"),
    ("3.25", "2025.1"),
    ("3.26", "2025.2"),
    ("3.27", "2025.3"),
    ("3.28", "2026.1"),
];

/// The release that speaks `api`, e.g. `2023.3` for `3.21`; `None` for a
/// version this table does not know.
pub fn release(api: &str) -> Option<&'static str> {
    RELEASES.iter().find(|(v, _)| *v == api).map(|(_, r)| *r)
}

/// `productVersion` and its `build` attribute for `api`. The simulator does
/// not know Tableau's build numbers, so the build is made from the release
/// (`2023.3` gives `20233.0.0000.0000`), the shape real builds have.
pub fn product_version(api: &str) -> Option<(String, String)> {
    let release = release(api)?;
    Some((
        format!("{release}.0"),
        format!("{}.0.0000.0000", release.replace('.', "")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_match_tableau_version_history() {
        for (api, name) in [
            ("3.9", "2020.3"),
            ("3.17", "2022.3"),
            ("3.21", "2023.3"),
            ("3.22", "2024.1"),
            ("3.27", "2025.3"),
            ("3.28", "2026.1"),
        ] {
            assert_eq!(release(api), Some(name), "{api}");
        }
        assert_eq!(release("9.9"), None);
        assert_eq!(
            product_version("3.21"),
            Some(("2023.3.0".into(), "20233.0.0000.0000".into()))
        );
    }

    #[test]
    fn one_release_per_version_in_order() {
        for pair in RELEASES.windows(2) {
            let v = |s: &str| crate::config::parse_version(s).unwrap();
            assert!(v(pair[0].0) < v(pair[1].0), "{pair:?}");
            assert!(pair[0].1 < pair[1].1, "{pair:?}");
        }
    }
}
