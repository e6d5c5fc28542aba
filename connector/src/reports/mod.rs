//! Reports read from the store: licence usage and reclamation candidates,
//! and the access-review sheet (exported, and read back for
//! [`crate::actions::review`], which carries out its revokes).
//!
//! Reports never call Tableau and never change anything; they describe the
//! last complete sync.

pub mod chart;
pub mod csv_cell;
pub mod html;
pub mod license_text;
pub mod licenses;
pub mod review_export;
pub mod review_file;
pub mod site_view;
pub mod terminal_text;

pub use licenses::{
    license_report, LicenseLine, LicenseReport, LicenseReportOptions, SiteCandidate,
};
pub use review_export::{review_rows, ReviewExportOptions, ReviewRow};
pub use review_file::{read_review_file, ReviewLine, RowProblem};
pub use site_view::SiteView;
