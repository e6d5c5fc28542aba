//! The simulated sites: users, groups, memberships and content, held so that
//! an unfiltered page of users is an O(page) slice of a name-sorted index.

use crate::model::{role_rank, SimContent, SimGroup};
pub(crate) use crate::roster::{Slot, User, Users};
use chrono::{DateTime, Utc};
use rand::RngCore;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap};

/// A new LUID drawn from the simulator's seeded generator (deterministic).
pub fn new_luid(rng: &mut ChaCha8Rng) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    uuid::Builder::from_random_bytes(b)
        .into_uuid()
        .hyphenated()
        .to_string()
}

#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub minimum_site_role: Option<String>,
    pub grant_license_mode: Option<String>,
    /// Members by user name (names are unique and never change) -> slot in
    /// [`Site::users`].
    pub members: BTreeMap<String, Slot>,
}

impl Group {
    pub fn snapshot(&self) -> SimGroup {
        SimGroup {
            id: self.id.clone(),
            name: self.name.clone(),
            domain: self.domain.clone(),
            minimum_site_role: self.minimum_site_role.clone(),
            grant_license_mode: self.grant_license_mode.clone(),
        }
    }
}

/// Kinds of content that count as owned assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Workbook.
    Workbook,
    /// Published data source.
    Datasource,
    /// Prep flow.
    Flow,
    /// Project.
    Project,
    /// View (sheet of a workbook); owned by its workbook's owner.
    View,
    /// A user's custom view of a view.
    CustomView,
    /// A data-driven alert on a view.
    DataAlert,
}

impl Kind {
    /// All kinds, in storage order.
    pub const ALL: [Kind; 7] = [
        Kind::Workbook,
        Kind::Datasource,
        Kind::Flow,
        Kind::Project,
        Kind::View,
        Kind::CustomView,
        Kind::DataAlert,
    ];
    /// Singular element name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Workbook => "workbook",
            Kind::Datasource => "datasource",
            Kind::Flow => "flow",
            Kind::Project => "project",
            Kind::View => "view",
            Kind::CustomView => "customView",
            Kind::DataAlert => "dataAlert",
        }
    }
    /// Plural element / path name.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Workbook => "workbooks",
            Kind::Datasource => "datasources",
            Kind::Flow => "flows",
            Kind::Project => "projects",
            Kind::View => "views",
            Kind::CustomView => "customViews",
            Kind::DataAlert => "dataAlerts",
        }
    }
    /// The path segment of the listing (`customviews` is lower case).
    pub fn path(self) -> &'static str {
        match self {
            Kind::CustomView => "customviews",
            other => other.plural(),
        }
    }
    /// True for kinds that belong to a view of a workbook.
    pub fn on_a_view(self) -> bool {
        matches!(self, Kind::View | Kind::CustomView | Kind::DataAlert)
    }
    /// True when owning an item blocks the owner's removal: every kind but
    /// views, which are their workbook's owner's.
    pub fn blocks_removal(self) -> bool {
        self != Kind::View
    }
    /// Parses a singular name, plural name or path segment.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s || k.plural() == s || k.path() == s)
    }
    fn idx(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Content {
    pub id: String,
    pub kind: Kind,
    pub name: String,
    pub owner_id: String,
    pub project_id: Option<String>,
    pub workbook_id: Option<String>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl Content {
    pub fn snapshot(&self) -> SimContent {
        SimContent {
            id: self.id.clone(),
            kind: self.kind.name().to_string(),
            name: self.name.clone(),
            owner_id: self.owner_id.clone(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Site {
    pub id: String,
    pub content_url: String,
    pub users: Users,
    /// Slots of the users (in [`Site::users`]) sorted by name.
    pub order: Vec<Slot>,
    pub by_name: HashMap<String, String>,
    pub groups: HashMap<String, Group>,
    /// Group ids sorted by name.
    pub group_order: Vec<String>,
    pub all_users_id: String,
    content: [Vec<Content>; 7],
}

impl Site {
    pub fn new(rng: &mut ChaCha8Rng, content_url: &str) -> Site {
        let id = new_luid(rng);
        let all_users_id = new_luid(rng);
        let mut site = Site {
            id,
            content_url: content_url.to_string(),
            users: Users::default(),
            order: Vec::new(),
            by_name: HashMap::new(),
            groups: HashMap::new(),
            group_order: Vec::new(),
            all_users_id: all_users_id.clone(),
            content: Default::default(),
        };
        site.insert_group(Group {
            id: all_users_id,
            name: "All Users".into(),
            domain: "local".into(),
            minimum_site_role: None,
            grant_license_mode: None,
            members: BTreeMap::new(),
        });
        site
    }

    pub fn user_by_name(&self, name: &str) -> Option<&User> {
        self.by_name.get(name).and_then(|id| self.users.get(id))
    }

    /// Inserts a user keeping `order` sorted by name. Names must be new.
    pub fn insert_user(&mut self, user: User) {
        let pos = self
            .order
            .binary_search_by(|&s| self.users[s].name.as_str().cmp(&user.name))
            .unwrap_or_else(|p| p);
        self.by_name.insert(user.name.clone(), user.id.clone());
        let slot = self.users.insert(user);
        self.order.insert(pos, slot);
    }

    /// Appends a user known to sort after every existing name (fast seeding).
    pub fn push_user_sorted(&mut self, user: User) {
        self.by_name.insert(user.name.clone(), user.id.clone());
        let slot = self.users.insert(user);
        self.order.push(slot);
    }

    pub fn insert_group(&mut self, group: Group) {
        let pos = self
            .group_order
            .binary_search_by(|id| self.groups[id].name.as_str().cmp(&group.name))
            .unwrap_or_else(|p| p);
        self.group_order.insert(pos, group.id.clone());
        self.groups.insert(group.id.clone(), group);
    }

    /// Adds a membership; false when already a member (or `All Users`).
    pub fn add_member(&mut self, group_id: &str, user_id: &str) -> bool {
        if group_id == self.all_users_id {
            return false;
        }
        let Some(slot) = self.users.slot(user_id) else {
            return false;
        };
        let Some(user) = self.users.get_mut(user_id) else {
            return false;
        };
        let Some(group) = self.groups.get_mut(group_id) else {
            return false;
        };
        if group.members.contains_key(&user.name) {
            return false;
        }
        group.members.insert(user.name.clone(), slot);
        user.groups.push(group_id.to_string());
        true
    }

    /// Removes a membership; false when not a member.
    pub fn remove_member(&mut self, group_id: &str, user_id: &str) -> bool {
        let Some(user) = self.users.get_mut(user_id) else {
            return false;
        };
        let Some(group) = self.groups.get_mut(group_id) else {
            return false;
        };
        if group.members.remove(&user.name).is_none() {
            return false;
        }
        user.groups.retain(|g| g != group_id);
        true
    }

    pub fn is_member(&self, group_id: &str, user_id: &str) -> bool {
        if group_id == self.all_users_id {
            return self.users.contains_key(user_id);
        }
        match (self.groups.get(group_id), self.users.get(user_id)) {
            (Some(g), Some(u)) => g.members.contains_key(&u.name),
            _ => false,
        }
    }

    pub fn content(&self, kind: Kind) -> &[Content] {
        &self.content[kind.idx()]
    }

    pub fn content_mut(&mut self, kind: Kind) -> &mut Vec<Content> {
        &mut self.content[kind.idx()]
    }

    pub fn add_content(&mut self, c: Content) {
        self.content[c.kind.idx()].push(c);
    }

    pub fn find_content_mut(&mut self, id: &str) -> Option<&mut Content> {
        self.content
            .iter_mut()
            .flat_map(|v| v.iter_mut())
            .find(|c| c.id == id)
    }

    /// What the user owns: every kind but views (a view is its workbook's
    /// owner's).
    pub fn owned(&self, user_id: &str) -> Vec<&Content> {
        self.content
            .iter()
            .flat_map(|v| v.iter())
            .filter(|c| c.kind.blocks_removal() && c.owner_id == user_id)
            .collect()
    }

    pub fn owns_any(&self, user_id: &str) -> bool {
        self.content.iter().any(|v| {
            v.iter()
                .any(|c| c.kind.blocks_removal() && c.owner_id == user_id)
        })
    }

    pub fn transfer_content(&mut self, from: &str, to: &str) {
        for v in self.content.iter_mut() {
            for c in v.iter_mut().filter(|c| c.owner_id == from) {
                c.owner_id = to.to_string();
            }
        }
    }

    pub fn project_name(&self, id: &str) -> &str {
        self.content(Kind::Project)
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.as_str())
            .unwrap_or("default")
    }

    /// Removes a user unconditionally; their content goes to `heir`.
    pub fn remove_user(&mut self, user_id: &str, heir: &str) -> bool {
        let Some(name) = self.users.get(user_id).map(|u| u.name.clone()) else {
            return false;
        };
        match self
            .order
            .binary_search_by(|&s| self.users[s].name.as_str().cmp(&name))
        {
            Ok(pos) => {
                self.order.remove(pos);
            }
            Err(_) => {
                let slot = self.users.slot(user_id);
                self.order.retain(|&s| Some(s) != slot);
            }
        }
        let user = self.users.remove(user_id).expect("checked above");
        self.by_name.remove(&user.name);
        for gid in &user.groups {
            if let Some(g) = self.groups.get_mut(gid) {
                g.members.remove(&user.name);
            }
        }
        self.transfer_content(user_id, heir);
        true
    }

    /// An interactive sign-in: stamps `lastLogin` and grants the highest
    /// licence of the grant-on-sign-in groups to an Unlicensed member.
    pub fn interactive_sign_in(&mut self, user_id: &str, now: DateTime<Utc>) -> bool {
        let Some(user) = self.users.get(user_id) else {
            return false;
        };
        let mut grant: Option<String> = None;
        if user.site_role == "Unlicensed" {
            // "All Users" holds everyone without listing them as members.
            for gid in user.groups.iter().chain([&self.all_users_id]) {
                let Some(g) = self.groups.get(gid) else {
                    continue;
                };
                if g.grant_license_mode.as_deref() != Some("onLogin") {
                    continue;
                }
                if let Some(role) = &g.minimum_site_role {
                    if grant.as_deref().map(role_rank).unwrap_or(0) < role_rank(role) {
                        grant = Some(role.clone());
                    }
                }
            }
        }
        let user = self.users.get_mut(user_id).expect("checked above");
        user.last_login = Some(now);
        if let Some(role) = grant {
            user.site_role = role;
        }
        true
    }

    /// Ids of the user's groups, `All Users` first, then by name.
    pub fn user_group_ids(&self, user_id: &str) -> Vec<String> {
        let Some(u) = self.users.get(user_id) else {
            return Vec::new();
        };
        let mut ids: Vec<&Group> = u.groups.iter().filter_map(|g| self.groups.get(g)).collect();
        ids.sort_by(|a, b| a.name.cmp(&b.name));
        std::iter::once(self.all_users_id.clone())
            .chain(ids.into_iter().map(|g| g.id.clone()))
            .collect()
    }

    pub fn member_count(&self, group: &Group) -> usize {
        if group.id == self.all_users_id {
            self.users.len()
        } else {
            group.members.len()
        }
    }
}
