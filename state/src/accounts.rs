//! Reading accounts for the command line and the reports.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use tabgov_mapping::{Account, AccountStatus, License, OwnedContent, SignInIdentity, SiteRole};

use crate::AccountRecord;
use crate::RunId;
use crate::{time, Error, Result, SiteKey};

/// Which accounts [`Store::list_accounts`](crate::Store::list_accounts) returns; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountFilter {
    pub site: Option<SiteKey>,
    pub status: Option<AccountStatus>,
    pub license: Option<License>,
    /// Members of the group with this name (case-insensitive). "All Users"
    /// means every account still on the site.
    pub group: Option<String>,
    /// No interactive sign-in for at least this many days before `now`;
    /// accounts that never signed in count once first seen that long ago.
    pub inactive_days: Option<u32>,
    /// The clock for `inactive_days`; the current time when `None`.
    pub now: Option<DateTime<Utc>>,
    /// Only accounts after this one in the pages' order: the last of the
    /// previous page. With `site` set, only its name and id are compared.
    pub after: Option<AccountCursor>,
    /// At most this many accounts. With `limit` or `after` set, accounts of
    /// every site come by site key (the order sites were first synced),
    /// then name and id, the order of the `(site_id, name, id)` index, so a
    /// page costs the same at any depth; otherwise by content URL.
    pub limit: Option<u32>,
    /// Skip this many accounts first (in the paged order, as `limit`):
    /// for protocols that page by position, as SCIM's `startIndex` does.
    /// Keyset paging (`after`) costs less at depth; prefer it.
    pub offset: Option<u32>,
}

/// Where a page of accounts ended: the sort key of its last account, from
/// which the next page goes on ([`AccountFilter::after`]). Paging by key,
/// not by offset, costs the same on every page and neither skips nor
/// repeats an account when rows are added or removed between pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountCursor {
    pub site: SiteKey,
    pub name: String,
    pub id: String,
}

impl AccountCursor {
    /// The position right after `record`.
    pub fn after(record: &AccountRecord) -> AccountCursor {
        AccountCursor {
            site: record.site_key,
            name: record.account.name.clone(),
            id: record.account.id.as_str().to_owned(),
        }
    }
}

#[derive(FromRow)]
pub(crate) struct Row {
    site_id: SiteKey,
    content_url: String,
    id: String,
    name: String,
    email: Option<String>,
    full_name: Option<String>,
    site_role: String,
    license: String,
    status: String,
    last_login: Option<String>,
    auth_setting: Option<String>,
    domain: Option<String>,
    idp_configuration_id: Option<String>,
    external_auth_user_id: Option<String>,
    language: Option<String>,
    locale: Option<String>,
    first_seen: String,
    last_seen: Option<String>,
    deprovisioned_at: Option<String>,
    updated_run_id: Option<RunId>,
}

impl TryFrom<Row> for AccountRecord {
    type Error = Error;

    fn try_from(r: Row) -> Result<AccountRecord> {
        let corrupt = |what, value: &str| Error::Corrupt {
            what,
            value: value.to_owned(),
        };
        Ok(AccountRecord {
            license: r
                .license
                .parse()
                .map_err(|_| corrupt("accounts.license", &r.license))?,
            status: r
                .status
                .parse()
                .map_err(|_| corrupt("accounts.status", &r.status))?,
            first_seen: time::from_text("accounts.first_seen", &r.first_seen)?,
            last_seen: time::from_opt("accounts.last_seen", r.last_seen.as_deref())?,
            deprovisioned_at: time::from_opt(
                "accounts.deprovisioned_at",
                r.deprovisioned_at.as_deref(),
            )?,
            site: r.content_url,
            account: Account {
                last_login: time::from_opt("accounts.last_login", r.last_login.as_deref())?,
                id: r.id.into(),
                name: r.name,
                email: r.email,
                full_name: r.full_name,
                site_role: SiteRole::parse(&r.site_role),
                auth_setting: r.auth_setting,
                domain: r.domain,
                identity: Box::new(SignInIdentity {
                    idp_configuration_id: r.idp_configuration_id,
                    external_auth_user_id: r.external_auth_user_id,
                    language: r.language,
                    locale: r.locale,
                }),
            },
            groups: Vec::new(),
            owned: OwnedContent::default(),
            site_key: r.site_id,
            updated_run_id: r.updated_run_id,
        })
    }
}

pub(crate) const SELECT: &str =
    "SELECT a.site_id, s.content_url, a.id, a.name, a.email, a.full_name, \
     a.site_role, a.license, a.status, a.last_login, a.auth_setting, a.domain, \
     a.idp_configuration_id, a.external_auth_user_id, a.language, a.locale, a.first_seen, \
     CASE WHEN a.deprovisioned_at IS NULL THEN s.last_success_at ELSE a.last_seen END \
     AS last_seen, a.deprovisioned_at, a.updated_run_id \
     FROM accounts a JOIN sites s ON s.id = a.site_id WHERE s.last_success_run_id IS NOT NULL";
