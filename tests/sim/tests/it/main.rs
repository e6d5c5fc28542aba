//! The integration tests of `tableau-sim`, one test binary: each module is
//! a suite, `common` holds the shared client helpers.

mod common;

mod api;
mod faults;
mod fixture_shapes;
mod jwt;
mod listing_freshness;
mod sessions_users;
mod site_data;
