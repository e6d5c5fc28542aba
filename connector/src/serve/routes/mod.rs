//! One file per resource of the API.

pub mod accounts;
pub mod changes;
pub mod groups;
pub mod health;
pub mod jobs;
pub mod journal;
pub mod offboard;
pub mod paging;
pub mod reports;
pub mod sites;
