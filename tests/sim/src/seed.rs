//! Deterministic, realistic site population: role mix, lastLogin spread over
//! two years, groups of skewed sizes (some granting a licence on sign-in) and
//! content owned by a share of the users.

use crate::config::SimConfig;
use crate::state::{new_luid, Content, Group, Kind, Site, User};
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

const FIRST: &[&str] = &[
    "Ada", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara",
    "Liam", "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor",
    "Wen", "Xavier", "Yara", "Zoe",
];
const LAST: &[&str] = &[
    "Andersen", "Brown", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito",
    "Jensen", "Kowalski", "Lopez", "Martin", "Nguyen", "Okafor", "Patel", "Rossi", "Schmidt",
    "Tanaka", "Usman", "Varga", "Weber", "Young", "Zhang",
];
const DEPTS: &[&str] = &[
    "Sales",
    "Finance",
    "Marketing",
    "Engineering",
    "Support",
    "HR",
    "Operations",
    "Legal",
    "Analytics",
    "Executives",
    "Procurement",
    "Research",
];

/// The instant seeded dates are relative to: the start of the current UTC day,
/// so a seed gives the same data all day long.
pub fn anchor() -> DateTime<Utc> {
    let t = Utc::now().timestamp();
    DateTime::from_timestamp(t - t.rem_euclid(86_400), 0).unwrap_or_default()
}

/// Now, to the second (Tableau timestamps have no fractions).
pub fn now_secs() -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default()
}

fn pick_role(rng: &mut ChaCha8Rng) -> &'static str {
    let r: f64 = rng.random();
    match r {
        r if r < 0.58 => "Viewer",
        r if r < 0.76 => "Explorer",
        r if r < 0.80 => "ExplorerCanPublish",
        r if r < 0.88 => "Creator",
        r if r < 0.95 => "Unlicensed",
        r if r < 0.96 => "SiteAdministratorExplorer",
        r if r < 0.97 => "SiteAdministratorCreator",
        r if r < 0.98 => "Interactor",
        r if r < 0.99 => "Publisher",
        _ => "ViewerWithPublish",
    }
}

/// A generator for one site, derived from the seed and the site's position.
pub fn site_rng(seed: u64, index: usize) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn admin(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> User {
    User {
        id: new_luid(rng),
        name: "admin".into(),
        email: Some("admin@example.com".into()),
        full_name: Some("Site Administrator".into()),
        site_role: "SiteAdministratorCreator".into(),
        last_login: Some(at - Duration::hours(1)),
        auth_setting: "ServerDefault".into(),
        domain: "local".into(),
        identity: Default::default(),
        groups: Vec::new(),
        listing: Default::default(),
    }
}

/// A user named `name` with derived email and full name (used at run time).
pub fn plain_user(rng: &mut ChaCha8Rng, name: &str, role: &str) -> User {
    let full = name
        .split(['.', '_', '-'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    User {
        id: new_luid(rng),
        name: name.to_string(),
        email: Some(format!("{name}@example.com")),
        full_name: Some(full),
        site_role: role.to_string(),
        last_login: None,
        auth_setting: "ServerDefault".into(),
        domain: "local".into(),
        identity: Default::default(),
        groups: Vec::new(),
        listing: Default::default(),
    }
}

/// Builds one seeded site and returns the generator to go on with.
pub fn seed_site(cfg: &SimConfig, index: usize, content_url: &str) -> (Site, ChaCha8Rng) {
    let mut rng = site_rng(cfg.seed, index);
    let at = anchor();
    let mut site = Site::new(&mut rng, content_url);
    let admin = admin(&mut rng, at);
    let admin_id = admin.id.clone();
    site.insert_user(admin);

    let width = cfg.users.to_string().len().max(5);
    let mut user_ids = Vec::with_capacity(cfg.users);
    for i in 1..=cfg.users {
        let name = format!("user{i:0width$}");
        let role = pick_role(&mut rng);
        let never = if role == "Unlicensed" { 0.5 } else { 0.12 };
        let last_login = if rng.random_bool(never) {
            None
        } else {
            Some(at - Duration::seconds(rng.random_range(0..730 * 86_400)))
        };
        let first = FIRST[(i - 1) % FIRST.len()];
        let last = LAST[((i - 1) / FIRST.len()) % LAST.len()];
        let user = User {
            id: new_luid(&mut rng),
            email: Some(format!("{name}@example.com")),
            full_name: Some(format!("{first} {last}")),
            name,
            site_role: role.to_string(),
            last_login,
            auth_setting: if rng.random_bool(0.1) {
                "SAML"
            } else {
                "ServerDefault"
            }
            .into(),
            domain: "local".into(),
            identity: Default::default(),
            groups: Vec::new(),
            listing: Default::default(),
        };
        user_ids.push(user.id.clone());
        site.push_user_sorted(user);
    }

    let mut group_ids = Vec::with_capacity(cfg.groups);
    for i in 0..cfg.groups {
        let grant = rng.random_bool(0.1);
        let (min_role, mode) = if grant {
            let role = ["Viewer", "Explorer", "Creator"][rng.random_range(0..3)];
            let mode = if rng.random_bool(0.8) {
                "onLogin"
            } else {
                "onSync"
            };
            (Some(role.to_string()), Some(mode.to_string()))
        } else {
            (None, None)
        };
        let g = Group {
            id: new_luid(&mut rng),
            name: format!("{} {:04}", DEPTS[i % DEPTS.len()], i + 1),
            domain: "local".into(),
            minimum_site_role: min_role,
            grant_license_mode: mode,
            members: BTreeMap::new(),
        };
        group_ids.push(g.id.clone());
        site.insert_group(g);
    }

    if !group_ids.is_empty() {
        let want = cfg.memberships_per_user.min(group_ids.len());
        for uid in &user_ids {
            let mut joined = 0;
            let mut tries = 0;
            while joined < want && tries < want * 4 {
                tries += 1;
                // Squaring skews choices to the first groups: a few large
                // groups, many small ones.
                let u: f64 = rng.random();
                let gi = ((u * u) * group_ids.len() as f64) as usize;
                if site.add_member(&group_ids[gi.min(group_ids.len() - 1)], uid) {
                    joined += 1;
                }
            }
        }
    }

    seed_content(cfg, &mut rng, &mut site, &admin_id, &user_ids, at);
    (site, rng)
}

fn seed_content(
    cfg: &SimConfig,
    rng: &mut ChaCha8Rng,
    site: &mut Site,
    admin_id: &str,
    user_ids: &[String],
    at: DateTime<Utc>,
) {
    let default_project = new_luid(rng);
    site.add_content(Content {
        id: default_project.clone(),
        kind: Kind::Project,
        name: "default".into(),
        owner_id: admin_id.to_string(),
        project_id: None,
        workbook_id: None,
        tags: Vec::new(),
        created_at: at - Duration::days(800),
    });
    let owners = ((user_ids.len() as f64) * cfg.owners_fraction.clamp(0.0, 1.0)).round() as usize;
    if owners == 0 {
        return;
    }
    let chosen = rand::seq::index::sample(rng, user_ids.len(), owners.min(user_ids.len()));
    let mut chosen: Vec<usize> = chosen.into_iter().collect();
    chosen.sort_unstable();
    let mut n = 0usize;
    for ui in chosen {
        let owner = &user_ids[ui];
        let items = rng.random_range(1..=3);
        for _ in 0..items {
            n += 1;
            let created_at = at - Duration::seconds(rng.random_range(0..730 * 86_400));
            let tags = if rng.random_bool(0.2) {
                vec!["sample".to_string()]
            } else {
                Vec::new()
            };
            let r: f64 = rng.random();
            let kind = match r {
                r if r < 0.45 => Kind::Workbook,
                r if r < 0.75 => Kind::Datasource,
                r if r < 0.87 => Kind::Flow,
                _ => Kind::Project,
            };
            let id = new_luid(rng);
            let name = match kind {
                Kind::Workbook => format!("Workbook {n:06}"),
                Kind::Datasource => format!("Data Source {n:06}"),
                Kind::Flow => format!("Flow {n:06}"),
                _ => format!("Project {n:06}"),
            };
            let project_id = (kind != Kind::Project).then(|| default_project.clone());
            site.add_content(Content {
                id: id.clone(),
                kind,
                name,
                owner_id: owner.clone(),
                project_id,
                workbook_id: None,
                tags,
                created_at,
            });
            if kind == Kind::Workbook {
                for v in 1..=rng.random_range(1..=2) {
                    site.add_content(Content {
                        id: new_luid(rng),
                        kind: Kind::View,
                        name: format!("Sheet {v}"),
                        owner_id: owner.clone(),
                        project_id: Some(default_project.clone()),
                        workbook_id: Some(id.clone()),
                        tags: Vec::new(),
                        created_at,
                    });
                }
            }
        }
    }
}
