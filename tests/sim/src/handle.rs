//! The test-facing handle: inspect and change simulator state directly.
//!
//! Methods panic on an unknown site content URL: that is a test-setup mistake.

use crate::model::{SimContent, SimGroup, SimIdentity, SimUser};
use crate::seed::plain_user;
use crate::server::Inner;
use crate::state::{new_luid, Content, Group, Kind, Site};
use crate::Simulator;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

impl Inner {
    fn site_idx(&self, content_url: &str) -> usize {
        self.sites
            .read()
            .expect("sites lock")
            .iter()
            .position(|s| s.content_url == content_url)
            .unwrap_or_else(|| panic!("tableau-sim: no site with content URL '{content_url}'"))
    }

    fn read<T>(&self, site: &str, f: impl FnOnce(&Site) -> T) -> T {
        let idx = self.site_idx(site);
        f(&self.sites.read().expect("sites lock")[idx])
    }

    fn write<T>(&self, site: &str, f: impl FnOnce(&mut Site) -> T) -> T {
        let idx = self.site_idx(site);
        f(&mut self.sites.write().expect("sites lock")[idx])
    }

    fn new_id(&self) -> String {
        new_luid(&mut self.rng.lock().expect("rng lock"))
    }
}

impl Simulator {
    /// The site's LUID (what API paths use).
    pub fn site_id(&self, content_url: &str) -> String {
        self.inner.read(content_url, |s| s.id.clone())
    }

    /// Every user of the site, sorted by name.
    pub fn users(&self, site: &str) -> Vec<SimUser> {
        self.inner.read(site, |s| {
            s.order.iter().map(|&i| s.users[i].snapshot()).collect()
        })
    }

    /// A user by name.
    pub fn user_by_name(&self, site: &str, name: &str) -> Option<SimUser> {
        self.inner
            .read(site, |s| s.user_by_name(name).map(|u| u.snapshot()))
    }

    /// A user by LUID.
    pub fn user(&self, site: &str, user_id: &str) -> Option<SimUser> {
        self.inner
            .read(site, |s| s.users.get(user_id).map(|u| u.snapshot()))
    }

    /// Every group of the site (including `All Users`), sorted by name.
    pub fn groups(&self, site: &str) -> Vec<SimGroup> {
        self.inner.read(site, |s| {
            s.group_order
                .iter()
                .map(|id| s.groups[id].snapshot())
                .collect()
        })
    }

    /// User LUIDs of a group's members, in name order.
    pub fn group_members(&self, site: &str, group_id: &str) -> Vec<String> {
        self.inner.read(site, |s| {
            let id = |&i: &usize| s.users[i].id.clone();
            if group_id == s.all_users_id {
                s.order.iter().map(id).collect()
            } else {
                s.groups
                    .get(group_id)
                    .map(|g| g.members.values().map(id).collect())
                    .unwrap_or_default()
            }
        })
    }

    /// Group LUIDs of a user, `All Users` first.
    pub fn user_groups(&self, site: &str, user_id: &str) -> Vec<String> {
        self.inner.read(site, |s| s.user_group_ids(user_id))
    }

    /// Content the user owns.
    pub fn owned_content(&self, site: &str, user_id: &str) -> Vec<SimContent> {
        self.inner.read(site, |s| {
            s.owned(user_id).into_iter().map(|c| c.snapshot()).collect()
        })
    }

    /// Adds a user (email `name@example.com`, full name derived from the
    /// name); an existing user of that name is returned unchanged.
    pub fn add_user(&self, site: &str, name: &str, site_role: &str) -> SimUser {
        let u = plain_user(
            &mut self.inner.rng.lock().expect("rng lock"),
            name,
            site_role,
        );
        self.inner.write(site, |s| {
            if let Some(existing) = s.user_by_name(name) {
                return existing.snapshot();
            }
            let snap = u.snapshot();
            s.insert_user(u);
            snap
        })
    }

    /// Sets what Tableau reports of a user's identity provider, external id,
    /// language and locale.
    pub fn set_identity(&self, site: &str, user_id: &str, identity: SimIdentity) {
        self.inner.write(site, |s| {
            if let Some(u) = s.users.get_mut(user_id) {
                u.identity = identity;
            }
        })
    }

    /// Sets a user's site role verbatim (any string, legacy roles included).
    pub fn set_site_role(&self, site: &str, user_id: &str, role: &str) {
        self.inner.write(site, |s| {
            if let Some(u) = s.users.get_mut(user_id) {
                u.site_role = role.to_string();
            }
        })
    }

    /// Sets or clears a user's `lastLogin`.
    pub fn set_last_login(
        &self,
        site: &str,
        user_id: &str,
        at: Option<chrono::DateTime<chrono::Utc>>,
    ) {
        self.inner.write(site, |s| {
            if let Some(u) = s.users.get_mut(user_id) {
                u.last_login = at;
            }
        })
    }

    /// Removes a user unconditionally; their content moves to `admin`.
    pub fn remove_user(&self, site: &str, user_id: &str) {
        let idx = self.inner.site_idx(site);
        self.inner.write(site, |s| {
            let heir = s.by_name.get("admin").cloned().unwrap_or_default();
            s.remove_user(user_id, &heir);
        });
        self.inner
            .sessions
            .lock()
            .expect("sessions lock")
            .close_user(idx, user_id);
    }

    /// Adds a membership (no-op if already a member).
    pub fn add_member(&self, site: &str, group_id: &str, user_id: &str) {
        self.inner.write(site, |s| {
            s.add_member(group_id, user_id);
        })
    }

    /// Removes a membership (no-op if not a member).
    pub fn remove_member(&self, site: &str, group_id: &str, user_id: &str) {
        self.inner.write(site, |s| {
            s.remove_member(group_id, user_id);
        })
    }

    /// Adds a local group, optionally granting `minimum_site_role` on sign-in
    /// (`grant_license_mode` `onLogin` or `onSync`).
    pub fn add_group(
        &self,
        site: &str,
        name: &str,
        minimum_site_role: Option<&str>,
        grant_license_mode: Option<&str>,
    ) -> SimGroup {
        let g = Group {
            id: self.inner.new_id(),
            name: name.to_string(),
            domain: "local".into(),
            minimum_site_role: minimum_site_role.map(String::from),
            grant_license_mode: grant_license_mode.map(String::from),
            members: BTreeMap::new(),
        };
        let snap = g.snapshot();
        self.inner.write(site, |s| s.insert_group(g));
        snap
    }

    /// Sets what a group grants: the role and `onLogin`/`onSync` (both
    /// `None`: nothing), and its domain (`local`, or a directory's name for
    /// a group synchronised from Active Directory or an identity provider).
    /// "All Users" can be changed like any other.
    pub fn set_group_grant(
        &self,
        site: &str,
        group_id: &str,
        minimum_site_role: Option<&str>,
        grant_license_mode: Option<&str>,
        domain: &str,
    ) {
        self.inner.write(site, |s| {
            if let Some(g) = s.groups.get_mut(group_id) {
                g.minimum_site_role = minimum_site_role.map(String::from);
                g.grant_license_mode = grant_license_mode.map(String::from);
                g.domain = domain.to_string();
            }
        })
    }

    /// Gives the user a new content item of `kind` (`workbook`, `datasource`,
    /// `flow`, `project`, `view`, `customView` or `dataAlert`; a view, custom
    /// view or data alert is of the user's first workbook, or the site's).
    /// Panics on another kind.
    pub fn give_content(&self, site: &str, user_id: &str, kind: &str, name: &str) -> SimContent {
        let kind = Kind::parse(kind)
            .unwrap_or_else(|| panic!("tableau-sim: unknown content kind '{kind}'"));
        let id = self.inner.new_id();
        self.inner.write(site, |s| {
            let default = s
                .content(Kind::Project)
                .iter()
                .find(|p| p.name == "default")
                .map(|p| p.id.clone());
            let workbook_id = kind.on_a_view().then(|| {
                let wbs = s.content(Kind::Workbook);
                wbs.iter()
                    .find(|w| w.owner_id == user_id)
                    .or(wbs.first())
                    .map(|w| w.id.clone())
                    .unwrap_or_default()
            });
            let c = Content {
                id,
                kind,
                name: name.to_string(),
                owner_id: user_id.to_string(),
                project_id: if kind == Kind::Project { None } else { default },
                workbook_id,
                tags: Vec::new(),
                created_at: crate::seed::now_secs(),
            };
            let snap = c.snapshot();
            s.add_content(c);
            snap
        })
    }

    /// Replaces a content item's tags.
    pub fn set_tags(&self, site: &str, content_id: &str, tags: &[&str]) {
        self.inner.write(site, |s| {
            if let Some(c) = s.find_content_mut(content_id) {
                c.tags = tags.iter().map(|t| t.to_string()).collect();
            }
        })
    }

    /// A user's interactive sign-in: sets `lastLogin` and raises an
    /// Unlicensed member of a grant-licence-on-sign-in group to its role.
    pub fn interactive_sign_in(&self, site: &str, user_id: &str) {
        self.inner.write(site, |s| {
            s.interactive_sign_in(user_id, crate::seed::now_secs());
        })
    }

    /// Changes fault injection at run time.
    pub fn set_faults(&self, rate_429: f64, rate_5xx: f64, latency_ms: u64) {
        let mut f = self.inner.faults.lock().expect("faults lock");
        f.rate_429 = rate_429;
        f.rate_5xx = rate_5xx;
        f.latency = Duration::from_millis(latency_ms);
    }

    /// Changes the requests-per-second cap at run time.
    pub fn set_max_rps(&self, max_rps: Option<u32>) {
        self.inner.faults.lock().expect("faults lock").max_rps = max_rps;
    }

    /// Ends every session now (as if every token expired).
    pub fn expire_sessions(&self) {
        let mut s = self.inner.sessions.lock().expect("sessions lock");
        *s = crate::session::Sessions::new(self.inner.cfg.seed ^ 0xE11D);
    }

    /// Makes a user's workbooks and flows listings ignore `ownedBy` /
    /// `isOwner` and list every item, as a server that does not honour the
    /// flag would.
    pub fn ignore_owner_flags(&self, ignore: bool) {
        self.inner
            .ignore_owner_flags
            .store(ignore, Ordering::Relaxed);
    }

    /// Every Remove User that went through, in order: the removed user's id
    /// and the `mapAssetsTo` it named.
    pub fn removals(&self) -> Vec<(String, Option<String>)> {
        self.inner.removals.lock().expect("removals lock").clone()
    }

    /// Tableau API requests served (not `/_sim`).
    pub fn request_count(&self) -> u64 {
        self.inner.requests.load(Ordering::Relaxed)
    }

    /// Successful sign-ins.
    pub fn sign_in_count(&self) -> u64 {
        self.inner.sign_ins.load(Ordering::Relaxed)
    }
}
