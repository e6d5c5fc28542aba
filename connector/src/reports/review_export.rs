//! `tabgov review export`: the access-review sheet, one row per account
//! entitlement (the account itself, its site role, its licence, each group
//! membership), with empty `decision` and `comment` columns to fill in.

use std::collections::HashSet;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tabgov_mapping::{entitlements_of, AccountStatus, EntitlementKind, UserId};
use tabgov_state::Store;
use tabgov_state::{ChangeFilter, RunId, SiteKey};

use super::csv_cell::guard;
use super::site_view::SiteView;
use crate::{Error, Result};

/// The columns of the sheet, in order; `review apply` reads them back by name.
pub const REVIEW_COLUMNS: [&str; 13] = [
    "site",
    "user_id",
    "username",
    "email",
    "full_name",
    "status",
    "last_login",
    "owned_content",
    "entitlement",
    "value",
    "granted_by",
    "decision",
    "comment",
];

/// Which accounts the sheet covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewExportOptions {
    /// One site, or every synced site when `None`.
    pub site: Option<SiteKey>,
    /// A delta review: only accounts with change events from sync runs
    /// after this one.
    pub changed_since: Option<RunId>,
}

/// One entitlement of one account, as the sheet shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewRow {
    /// The site's content URL.
    pub site: String,
    pub user_id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub status: AccountStatus,
    pub last_login: Option<DateTime<Utc>>,
    pub owned_content: u32,
    pub entitlement: EntitlementKind,
    pub value: String,
    /// `direct`, or `group:NAME` when a grant-licence group gives it.
    pub granted_by: String,
    /// Empty: the reviewer writes keep or revoke.
    pub decision: String,
    /// Empty: the reviewer's reason.
    pub comment: String,
}

/// The rows of the sheet, by site, user name, then entitlement.
pub async fn review_rows(store: &Store, opts: &ReviewExportOptions) -> Result<Vec<ReviewRow>> {
    let since = match opts.changed_since {
        None => None,
        Some(id) => Some(store.run(id).await?.ok_or_else(|| {
            Error::Config(format!(
                "--changed-since {id}: no sync run {id} in this store; `tabgov changes` shows the run ids"
            ))
        })?),
    };
    let mut rows = Vec::new();
    for view in SiteView::load_all(store, opts.site).await? {
        let changed: Option<HashSet<UserId>> = match &since {
            None => None,
            Some(after) => {
                let filter = ChangeFilter {
                    site: Some(view.key),
                    since: Some(after.started_at),
                    ..ChangeFilter::default()
                };
                let events = store.list_changes(&filter).await?;
                Some(
                    events
                        .into_iter()
                        .filter(|e| e.run_id > after.id)
                        .map(|e| e.user_id)
                        .collect(),
                )
            }
        };
        for a in &view.accounts {
            if changed
                .as_ref()
                .is_some_and(|set| !set.contains(&a.record.account.id))
            {
                continue;
            }
            let r = &a.record;
            for e in entitlements_of(&a.record.account, &view.groups_of(a)) {
                rows.push(ReviewRow {
                    site: view.site.clone(),
                    user_id: r.account.id.clone(),
                    username: r.account.name.clone(),
                    email: r.account.email.clone(),
                    full_name: r.account.full_name.clone(),
                    status: r.status,
                    last_login: r.account.last_login,
                    owned_content: r.owned.total(),
                    entitlement: e.kind,
                    value: e.value,
                    granted_by: e.granted_by,
                    decision: String::new(),
                    comment: String::new(),
                });
            }
        }
    }
    Ok(rows)
}

/// The sheet as CSV with a header row; formula-like cells are guarded
/// (see [`super::csv_cell`]).
pub fn write_csv(rows: &[ReviewRow], out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(REVIEW_COLUMNS)?;
    for r in rows {
        let last_login = r
            .last_login
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default();
        let owned = r.owned_content.to_string();
        let cells: [&str; 13] = [
            &r.site,
            r.user_id.as_str(),
            &r.username,
            r.email.as_deref().unwrap_or_default(),
            r.full_name.as_deref().unwrap_or_default(),
            r.status.as_str(),
            &last_login,
            &owned,
            r.entitlement.as_str(),
            &r.value,
            &r.granted_by,
            &r.decision,
            &r.comment,
        ];
        w.write_record(cells.iter().map(|c| guard(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}
