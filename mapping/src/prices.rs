//! Licence prices, so a reclamation report can say what unused seats cost.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::License;

/// Monthly price per user of each paid licence.
///
/// Defaults are Tableau Cloud list prices (Standard edition, per user per
/// month, billed annually, USD): Creator 75, Explorer 42, Viewer 15. Real
/// contracts differ; override them on the command line or in tabgov.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceTable {
    pub creator: f64,
    pub explorer: f64,
    pub viewer: f64,
    pub currency: String,
}

impl Default for PriceTable {
    fn default() -> Self {
        PriceTable {
            creator: 75.0,
            explorer: 42.0,
            viewer: 15.0,
            currency: "USD".to_owned(),
        }
    }
}

impl PriceTable {
    /// Monthly price of one seat; unpaid licences cost nothing.
    pub fn monthly(&self, license: License) -> f64 {
        match license {
            License::Creator => self.creator,
            License::Explorer => self.explorer,
            License::Viewer => self.viewer,
            License::Unlicensed | License::Unknown => 0.0,
        }
    }

    /// Applies `creator=75,explorer=42,viewer=15` style overrides (any subset).
    pub fn with_overrides(mut self, spec: &str) -> Result<Self, PriceError> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| PriceError(format!("{part:?} is not NAME=PRICE")))?;
            let value: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| PriceError(format!("{value:?} is not a price")))?;
            match name.trim().parse::<License>() {
                Ok(License::Creator) => self.creator = value,
                Ok(License::Explorer) => self.explorer = value,
                Ok(License::Viewer) => self.viewer = value,
                _ => {
                    return Err(PriceError(format!(
                        "{name:?} has no price: use creator, explorer or viewer"
                    )))
                }
            }
        }
        Ok(self)
    }
}

impl FromStr for PriceTable {
    type Err = PriceError;

    /// Parses overrides on top of the defaults.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PriceTable::default().with_overrides(s)
    }
}

/// A price list that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceError(pub String);

impl fmt::Display for PriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bad --prices: {} (expected e.g. creator=75,explorer=42,viewer=15)",
            self.0
        )
    }
}

impl std::error::Error for PriceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_apply_to_the_named_licences_only() {
        let cases = [
            ("", (75.0, 42.0, 15.0)),
            ("creator=70", (70.0, 42.0, 15.0)),
            ("creator=70, explorer=40 ,viewer=12.5", (70.0, 40.0, 12.5)),
            ("Viewer=0", (75.0, 42.0, 0.0)),
        ];
        for (spec, (c, e, v)) in cases {
            let p: PriceTable = spec.parse().unwrap();
            assert_eq!((p.creator, p.explorer, p.viewer), (c, e, v), "{spec}");
        }
    }

    #[test]
    fn bad_specs_are_refused() {
        for spec in [
            "creator",
            "creator=-1",
            "creator=abc",
            "unlicensed=5",
            "gold=1",
            "creator=NaN",
        ] {
            assert!(spec.parse::<PriceTable>().is_err(), "{spec}");
        }
    }

    #[test]
    fn unpaid_licences_cost_nothing() {
        let p = PriceTable::default();
        assert_eq!(p.monthly(License::Unlicensed), 0.0);
        assert_eq!(p.monthly(License::Unknown), 0.0);
        assert_eq!(p.monthly(License::Creator), 75.0);
    }
}
