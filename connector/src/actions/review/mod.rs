//! Access reviews carried out: a reviewer's sheet (exported and read by
//! `reports`) checked against the store and against Tableau, then its
//! revokes applied through the actions, journalled with the campaign and
//! the reviewer.

pub mod apply;
pub mod check;

pub use apply::{apply_revokes, AppliedRevoke, ApplyRules};
pub use check::{check_against_store, check_against_tableau, Revoke};
