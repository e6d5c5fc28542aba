//! Licence states: what a site role costs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The licence a site role consumes.
///
/// `Unknown` covers legacy and server roles whose licence Tableau does not
/// define per site; reports list them apart instead of guessing a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum License {
    Creator,
    Explorer,
    Viewer,
    Unlicensed,
    Unknown,
}

impl License {
    /// All licences, most expensive first (report order).
    pub const ALL: [License; 5] = [
        License::Creator,
        License::Explorer,
        License::Viewer,
        License::Unlicensed,
        License::Unknown,
    ];

    /// The name used in output and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            License::Creator => "Creator",
            License::Explorer => "Explorer",
            License::Viewer => "Viewer",
            License::Unlicensed => "Unlicensed",
            License::Unknown => "Unknown",
        }
    }

    /// True for licences that cost money (Creator, Explorer, Viewer).
    pub fn is_paid(self) -> bool {
        matches!(self, License::Creator | License::Explorer | License::Viewer)
    }
}

impl fmt::Display for License {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A licence name that is not one of the five; for command-line filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLicense(pub String);

impl fmt::Display for UnknownLicense {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown licence {:?}: use Creator, Explorer, Viewer, Unlicensed or Unknown",
            self.0
        )
    }
}

impl std::error::Error for UnknownLicense {}

impl FromStr for License {
    type Err = UnknownLicense;

    /// Case-insensitive, because people type these on the command line.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        License::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownLicense(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_in_any_case() {
        for license in License::ALL {
            assert_eq!(license.as_str().parse::<License>(), Ok(license));
            assert_eq!(
                license.as_str().to_uppercase().parse::<License>(),
                Ok(license)
            );
        }
        assert!("Gold".parse::<License>().is_err());
    }

    #[test]
    fn only_three_licences_are_paid() {
        let paid: Vec<_> = License::ALL.into_iter().filter(|l| l.is_paid()).collect();
        assert_eq!(paid, [License::Creator, License::Explorer, License::Viewer]);
    }
}
