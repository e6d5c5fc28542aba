//! Reading groups and their members.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use tabgov_mapping::{is_directory_domain, GroupId};

/// One live group of a site, as `tabgov groups` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRecord {
    /// The site's content URL.
    pub site: String,
    /// Tableau's group LUID.
    pub id: GroupId,
    pub name: String,
    pub domain: Option<String>,
    /// True when the group is synchronised from a directory (its domain is
    /// not `local`): memberships removed in Tableau come back.
    pub directory_synced: bool,
    /// The role granted on sign-in or on sync, verbatim.
    pub minimum_site_role: Option<String>,
    /// `onLogin`, `onSync`, or what Tableau sent.
    pub grant_license_mode: Option<String>,
    pub member_count: u64,
    /// Members' sign-in names, sorted.
    pub members: Vec<String>,
}

/// Where a page of a site's groups ended: the sort key (name, id) of its
/// last group, from which the next page goes on
/// ([`Store::list_groups_page`](crate::Store::list_groups_page)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCursor {
    pub name: String,
    pub id: String,
}

impl GroupCursor {
    /// The position right after `group`.
    pub fn after(group: &GroupRecord) -> GroupCursor {
        GroupCursor {
            name: group.name.clone(),
            id: group.id.as_str().to_owned(),
        }
    }
}

#[derive(FromRow)]
pub(crate) struct Row {
    content_url: String,
    id: String,
    name: String,
    domain: Option<String>,
    minimum_site_role: Option<String>,
    grant_license_mode: Option<String>,
}

impl From<Row> for GroupRecord {
    fn from(r: Row) -> GroupRecord {
        GroupRecord {
            site: r.content_url,
            id: r.id.into(),
            name: r.name,
            directory_synced: is_directory_domain(r.domain.as_deref()),
            domain: r.domain,
            minimum_site_role: r.minimum_site_role,
            grant_license_mode: r.grant_license_mode,
            member_count: 0,
            members: Vec::new(),
        }
    }
}
