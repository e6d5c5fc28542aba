//! One account as the store knows it: the account Tableau listed, and what
//! the store adds (site, licence, status, groups, owned content, history).

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};
use tabgov_mapping::{Account, AccountStatus, License, OwnedContent, SignInIdentity, SiteRole};

use crate::{RunId, SiteKey};

/// One account as `tabgov accounts --format json` prints it: the listed
/// [`Account`] (held once, not copied field by field) beside the record's
/// own fields.
///
/// `last_seen` is not a column rewritten by every sync: for an account still
/// on the site it is the site's last successful sync (every complete listing
/// saw it), for a deprovisioned one the last sync that still saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    /// The site's content URL.
    pub site: String,
    /// The account as the last listing that saw it returned it.
    pub account: Account,
    /// The licence held now (`Unlicensed` once deprovisioned).
    pub license: License,
    pub status: AccountStatus,
    /// Names of the groups the account is in, sorted ("All Users" implicit).
    pub groups: Vec<String>,
    /// Content items owned, per kind.
    pub owned: OwnedContent,
    pub first_seen: DateTime<Utc>,
    pub last_seen: Option<DateTime<Utc>>,
    pub deprovisioned_at: Option<DateTime<Utc>>,
    pub site_key: SiteKey,
    /// The sync run (or action) that last wrote the row.
    pub updated_run_id: Option<RunId>,
}

/// The JSON of a record, in the order `tabgov accounts` has always printed
/// it (the account's fields are interleaved with the record's, so a plain
/// `#[serde(flatten)]` of the account would reorder the keys).
#[derive(Serialize)]
struct AccountJson<'a> {
    site: &'a str,
    id: &'a str,
    name: &'a str,
    email: &'a Option<String>,
    full_name: &'a Option<String>,
    /// Tableau's site role, verbatim.
    site_role: &'a SiteRole,
    license: License,
    status: AccountStatus,
    last_login: &'a Option<DateTime<Utc>>,
    groups: &'a [String],
    /// Content items owned, all kinds together.
    owned_content: u32,
    /// Per kind; the total is `owned_content`.
    #[serde(serialize_with = "OwnedContent::serialize_counts")]
    owned: OwnedContent,
    first_seen: &'a DateTime<Utc>,
    last_seen: &'a Option<DateTime<Utc>>,
    deprovisioned_at: &'a Option<DateTime<Utc>>,
    auth_setting: &'a Option<String>,
    domain: &'a Option<String>,
    /// Identity provider, external id, language and locale.
    #[serde(flatten)]
    identity: &'a SignInIdentity,
    site_key: SiteKey,
    updated_run_id: Option<RunId>,
}

impl Serialize for AccountRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let a = &self.account;
        AccountJson {
            site: &self.site,
            id: a.id.as_str(),
            name: &a.name,
            email: &a.email,
            full_name: &a.full_name,
            site_role: &a.site_role,
            license: self.license,
            status: self.status,
            last_login: &a.last_login,
            groups: &self.groups,
            owned_content: self.owned.total(),
            owned: self.owned,
            first_seen: &self.first_seen,
            last_seen: &self.last_seen,
            deprovisioned_at: &self.deprovisioned_at,
            auth_setting: &a.auth_setting,
            domain: &a.domain,
            identity: &a.identity,
            site_key: self.site_key,
            updated_run_id: self.updated_run_id,
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_the_keys_in_their_documented_order() {
        let record = AccountRecord {
            site: "s".into(),
            account: Account {
                email: Some("a@example.com".into()),
                ..Account::for_test("u1", "alice", SiteRole::Other("NewRole".into()))
            },
            license: License::Unknown,
            status: AccountStatus::Active,
            groups: vec!["G".into()],
            owned: OwnedContent {
                flows: 2,
                ..OwnedContent::default()
            },
            first_seen: "2026-01-01T00:00:00Z".parse().unwrap(),
            last_seen: None,
            deprovisioned_at: None,
            site_key: SiteKey(1),
            updated_run_id: None,
        };
        let json = serde_json::to_string(&record).unwrap();
        assert_eq!(
            json,
            r#"{"site":"s","id":"u1","name":"alice","email":"a@example.com","full_name":null,"site_role":"NewRole","license":"Unknown","status":"Active","last_login":null,"groups":["G"],"owned_content":2,"owned":{"projects":0,"workbooks":0,"datasources":0,"flows":2,"custom_views":0,"data_alerts":0},"first_seen":"2026-01-01T00:00:00Z","last_seen":null,"deprovisioned_at":null,"auth_setting":null,"domain":null,"idp_configuration_id":null,"external_auth_user_id":null,"language":null,"locale":null,"site_key":1,"updated_run_id":null}"#
        );
    }
}
