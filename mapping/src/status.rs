//! Account status, the state an identity-governance system reasons about.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where an account stands on a site.
///
/// Derived, never stored by Tableau: `Suspended` is "site role Unlicensed" and
/// `Deprovisioned` is "Tableau no longer returns the user".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AccountStatus {
    Active,
    Suspended,
    Deprovisioned,
}

impl AccountStatus {
    /// All statuses, in lifecycle order.
    pub const ALL: [AccountStatus; 3] = [
        AccountStatus::Active,
        AccountStatus::Suspended,
        AccountStatus::Deprovisioned,
    ];

    /// The name used in output and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "Active",
            AccountStatus::Suspended => "Suspended",
            AccountStatus::Deprovisioned => "Deprovisioned",
        }
    }
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name that is not one of the three; for command-line filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStatus(pub String);

impl fmt::Display for UnknownStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown status {:?}: use Active, Suspended or Deprovisioned",
            self.0
        )
    }
}

impl std::error::Error for UnknownStatus {}

impl FromStr for AccountStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccountStatus::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        for status in AccountStatus::ALL {
            assert_eq!(status.as_str().parse::<AccountStatus>(), Ok(status));
            assert_eq!(
                status.as_str().to_lowercase().parse::<AccountStatus>(),
                Ok(status)
            );
        }
        assert!("Gone".parse::<AccountStatus>().is_err());
    }
}
