//! Moving a whole store to another (SQLite to PostgreSQL, or back): every
//! row of every table, keys kept, into an empty store, in one transaction
//! on the target. `tabgov store copy` runs it.

use serde::Serialize;

use crate::backend::{in_write_tx, on_engine, Pool};
use crate::{Error, Result, Store};

/// How a column is read from one engine and bound on the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Text,
    Bool,
}

/// One value on its way between the engines.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
}

/// A table and its columns, its primary key first.
pub(crate) struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// The key column the database generates, if any (its sequence must
    /// move past the copied keys on PostgreSQL).
    pub generated: Option<&'static str>,
}

use Kind::{Bool, Int, Text};

/// Every table of the schema, parents before the tables that refer to them.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "sites",
        columns: &[
            ("id", Int),
            ("server", Text),
            ("content_url", Text),
            ("site_luid", Text),
            ("last_success_at", Text),
            ("last_success_run_id", Int),
            ("created_at", Text),
        ],
        generated: Some("id"),
    },
    Table {
        name: "sync_runs",
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("started_at", Text),
            ("finished_at", Text),
            ("status", Text),
            ("error", Text),
            ("users", Int),
            ("groups_count", Int),
            ("memberships", Int),
            ("joined", Int),
            ("left_count", Int),
            ("changed", Int),
            ("pages", Int),
            ("requests", Int),
            ("retries", Int),
            ("duration_ms", Int),
        ],
        generated: Some("id"),
    },
    Table {
        name: "accounts",
        columns: &[
            ("account_key", Int),
            ("site_id", Int),
            ("id", Text),
            ("name", Text),
            ("email", Text),
            ("full_name", Text),
            ("site_role", Text),
            ("license", Text),
            ("status", Text),
            ("last_login", Text),
            ("auth_setting", Text),
            ("domain", Text),
            ("first_seen", Text),
            ("last_seen", Text),
            ("deprovisioned_at", Text),
            ("updated_run_id", Int),
            ("idp_configuration_id", Text),
            ("external_auth_user_id", Text),
            ("language", Text),
            ("locale", Text),
        ],
        generated: Some("account_key"),
    },
    Table {
        name: "groups",
        columns: &[
            ("group_key", Int),
            ("site_id", Int),
            ("id", Text),
            ("name", Text),
            ("domain", Text),
            ("minimum_site_role", Text),
            ("grant_license_mode", Text),
            ("updated_run_id", Int),
            ("removed_at", Text),
        ],
        generated: Some("group_key"),
    },
    Table {
        name: "memberships",
        columns: &[("site_id", Int), ("group_key", Int), ("account_key", Int)],
        generated: None,
    },
    Table {
        name: "owned_content",
        columns: &[
            ("site_id", Int),
            ("kind", Text),
            ("content_id", Text),
            ("name", Text),
            ("owner_id", Text),
        ],
        generated: None,
    },
    Table {
        name: "change_events",
        columns: &[
            ("id", Int),
            ("run_id", Int),
            ("site_id", Int),
            ("user_id", Text),
            ("user_name", Text),
            ("kind", Text),
            ("from_value", Text),
            ("to_value", Text),
            ("group_id", Text),
            ("detail", Text),
            ("at", Text),
        ],
        generated: Some("id"),
    },
    Table {
        name: "action_journal",
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("action", Text),
            ("target_user_id", Text),
            ("target_user_name", Text),
            ("actor", Text),
            ("reason", Text),
            ("ticket", Text),
            ("campaign", Text),
            ("reviewer", Text),
            ("previous_site_role", Text),
            ("new_site_role", Text),
            ("groups_removed", Text),
            ("transfer_to", Text),
            ("dry_run", Bool),
            ("state", Text),
            ("outcome", Text),
            ("tableau_code", Text),
            ("created_at", Text),
            ("completed_at", Text),
            ("target_group_id", Text),
            ("target_group_name", Text),
        ],
        generated: Some("id"),
    },
    Table {
        name: "jobs",
        columns: &[
            ("id", Int),
            ("idempotency_key", Text),
            ("request_hash", Text),
            ("site_label", Text),
            ("dry_run", Bool),
            ("request", Text),
            ("state", Text),
            ("results", Text),
            ("error", Text),
            ("submitted_by", Text),
            ("created_at", Text),
            ("started_at", Text),
            ("finished_at", Text),
            ("attempts", Int),
        ],
        generated: Some("id"),
    },
    Table {
        name: "scim_external_ids",
        columns: &[
            ("site_id", Int),
            ("resource_kind", Text),
            ("resource_id", Text),
            ("external_id", Text),
            ("updated_at", Text),
        ],
        generated: None,
    },
];

/// Rows copied per table, as `tabgov store copy` reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CopyReport {
    /// (table, rows) in the order they were copied.
    pub tables: Vec<(String, u64)>,
}

impl Store {
    /// Copies every row of this store into `target`, which must hold no
    /// site (a new database, migrated by opening it). All of it commits in
    /// one transaction on the target, or nothing does.
    pub async fn copy_into(&self, target: &Store) -> Result<CopyReport> {
        let sites = on_engine!(&target.pool, |db, sql| sql::copy::count(db, "sites").await)?;
        let journal = on_engine!(&target.pool, |db, sql| {
            sql::copy::count(db, "action_journal").await
        })?;
        if sites + journal > 0 {
            return Err(Error::CopyTargetNotEmpty { sites, journal });
        }
        let mut conn = target.pool.acquire().await?;
        in_write_tx!(&mut conn, |tx, sql| {
            let mut report = CopyReport::default();
            // One table in memory at a time.
            for table in TABLES {
                let rows = read_all(&self.pool, table).await?;
                sql::copy::write(&mut tx, table, &rows).await?;
                report
                    .tables
                    .push((table.name.to_owned(), rows.len() as u64));
            }
            sql::copy::advance_sequences(&mut tx).await?;
            report
        })
    }
}

/// Every row of `table` in `pool`, in primary-key order.
async fn read_all(pool: &Pool, table: &Table) -> Result<Vec<Vec<Cell>>> {
    on_engine!(pool, |db, sql| sql::copy::read(db, table).await)
}
