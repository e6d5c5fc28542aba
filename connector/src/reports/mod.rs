//! Reports read from the store: licence usage and reclamation candidates,
//! the access-review sheet, and applying a reviewer's decisions.
//!
//! Reports never call Tableau; they describe the last complete sync. Only
//! [`review_apply`] changes anything, and it does so through the actions.

pub mod chart;
pub mod csv_cell;
pub mod html;
pub mod license_text;
pub mod licenses;
pub mod review_apply;
pub mod review_check;
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
