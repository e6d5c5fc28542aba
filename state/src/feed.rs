//! The change feed: what each sync found different, one row per change.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;
use tabgov_mapping::{GroupId, UserId};

use crate::{time, Error, Result, RunId, SiteKey};

/// Which events [`Store::list_changes`](crate::Store::list_changes) returns; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeFilter {
    pub site: Option<SiteKey>,
    pub run: Option<RunId>,
    /// Events at or after this time.
    pub since: Option<DateTime<Utc>>,
    pub user_id: Option<String>,
}

/// One event of the change feed, as `tabgov changes` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRecord {
    pub id: i64,
    pub run_id: RunId,
    /// The site's content URL.
    pub site: String,
    pub at: DateTime<Utc>,
    pub user_id: UserId,
    pub user_name: String,
    /// `ChangeKind::name()`: joined, left, suspended, group_added, ...
    pub kind: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The group's name, for group events.
    pub group: Option<String>,
    pub group_id: Option<GroupId>,
    /// The full `ChangeKind` as JSON (licences of a licence change, ...).
    pub detail: serde_json::Value,
}

#[derive(FromRow)]
pub(crate) struct EventRow {
    id: i64,
    run_id: RunId,
    content_url: String,
    at: String,
    user_id: String,
    user_name: String,
    kind: String,
    from_value: Option<String>,
    to_value: Option<String>,
    group_id: Option<String>,
    detail: String,
}

/// The columns [`EventRow`] reads, of published sites only (a first sync
/// that has not finished is invisible); filters follow with `AND`.
pub(crate) const SELECT: &str =
    "SELECT e.id, e.run_id, s.content_url, e.at, e.user_id, e.user_name, e.kind, \
     e.from_value, e.to_value, e.group_id, e.detail \
     FROM change_events e JOIN sites s ON s.id = e.site_id \
     WHERE s.last_success_run_id IS NOT NULL";

impl TryFrom<EventRow> for ChangeRecord {
    type Error = Error;

    fn try_from(r: EventRow) -> Result<ChangeRecord> {
        let group = match r.kind.as_str() {
            "group_added" => r.to_value.clone(),
            "group_removed" => r.from_value.clone(),
            _ => None,
        };
        Ok(ChangeRecord {
            id: r.id,
            run_id: r.run_id,
            site: r.content_url,
            at: time::from_text("change_events.at", &r.at)?,
            user_id: r.user_id.into(),
            user_name: r.user_name,
            kind: r.kind,
            from: r.from_value,
            to: r.to_value,
            group,
            group_id: r.group_id.map(GroupId::from),
            detail: serde_json::from_str(&r.detail)?,
        })
    }
}
