//! One site as the last complete sync left it in the store: the accounts
//! still on the site, its groups, and who is in which group.

use std::collections::HashMap;

use tabgov_mapping::{AccountStatus, GrantLicenseMode, Group, SiteRole};
use tabgov_state::Store;
use tabgov_state::{AccountFilter, AccountRecord, SiteKey};

use crate::Result;

/// An account still on the site, with its store record (which holds the
/// domain `Account` the mapping rules take) and its groups.
#[derive(Debug, Clone)]
pub struct ViewAccount {
    pub record: AccountRecord,
    /// Indices into [`SiteView::groups`], in group-name order.
    pub groups: Vec<usize>,
}

/// The accounts and groups of one site, read from the store.
#[derive(Debug, Clone)]
pub struct SiteView {
    pub key: SiteKey,
    /// The site's content URL.
    pub site: String,
    /// Accounts not deprovisioned, by name.
    pub accounts: Vec<ViewAccount>,
    /// Live groups except the implicit "All Users", by name.
    pub groups: Vec<Group>,
}

impl SiteView {
    /// Reads one site.
    pub async fn load(store: &Store, key: SiteKey, content_url: &str) -> Result<SiteView> {
        let filter = AccountFilter {
            site: Some(key),
            ..AccountFilter::default()
        };
        let mut accounts: Vec<ViewAccount> = store
            .list_accounts(&filter)
            .await?
            .into_iter()
            .filter(|r| r.status != AccountStatus::Deprovisioned)
            .map(|record| ViewAccount {
                record,
                groups: Vec::new(),
            })
            .collect();
        let by_name: HashMap<String, usize> = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.record.account.name.clone(), i))
            .collect();
        let mut groups = Vec::new();
        for record in store.list_groups(key).await? {
            let group = Group {
                id: record.id,
                name: record.name,
                domain: record.domain,
                minimum_site_role: record.minimum_site_role.as_deref().map(SiteRole::parse),
                grant_license_mode: record
                    .grant_license_mode
                    .as_deref()
                    .map(GrantLicenseMode::parse),
            };
            if group.is_all_users() {
                continue;
            }
            for member in &record.members {
                if let Some(&i) = by_name.get(member) {
                    accounts[i].groups.push(groups.len());
                }
            }
            groups.push(group);
        }
        Ok(SiteView {
            key,
            site: content_url.to_owned(),
            accounts,
            groups,
        })
    }

    /// Reads `site`, or every synced site when `None`, by content URL.
    pub async fn load_all(store: &Store, site: Option<SiteKey>) -> Result<Vec<SiteView>> {
        let mut views = Vec::new();
        for record in store.list_sites().await? {
            if site.is_none_or(|key| key == record.key) {
                views.push(SiteView::load(store, record.key, &record.content_url).await?);
            }
        }
        Ok(views)
    }

    /// The groups `account` is in.
    pub fn groups_of(&self, account: &ViewAccount) -> Vec<&Group> {
        account.groups.iter().map(|&i| &self.groups[i]).collect()
    }

    /// The live group named `name` (Tableau compares group names
    /// case-insensitively).
    pub fn group_named(&self, name: &str) -> Option<&Group> {
        self.groups
            .iter()
            .find(|g| g.name.eq_ignore_ascii_case(name))
    }
}
