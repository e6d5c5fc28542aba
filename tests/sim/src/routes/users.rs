//! Users of a site: list, query, add, update, remove (with `mapAssetsTo` and
//! the 409003 rule that leaves an owner Unlicensed).

use super::{authorize, render, wants_field};
use crate::error::ApiError;
use crate::filter::{self, FieldSpec, Ty, Val, CMP_OPS, EQ, EQ_IN, NAME_OPS};
use crate::model::ASSIGNABLE_ROLES;
use crate::node::Node;
use crate::paging::{self, Page};
use crate::reqbody;
use crate::seed::plain_user;
use crate::server::{Ctx, Reply};
use crate::state::{Group, Site, Slot, User};

/// Filterable user fields (not `email`, as on Tableau).
pub const USER_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "name",
        ty: Ty::Str,
        ops: NAME_OPS,
    },
    FieldSpec {
        name: "siteRole",
        ty: Ty::Str,
        ops: EQ_IN,
    },
    FieldSpec {
        name: "lastLogin",
        ty: Ty::Date,
        ops: CMP_OPS,
    },
    FieldSpec {
        name: "luid",
        ty: Ty::Str,
        ops: EQ_IN,
    },
    FieldSpec {
        name: "friendlyName",
        ty: Ty::Str,
        ops: NAME_OPS,
    },
    FieldSpec {
        name: "domainName",
        ty: Ty::Str,
        ops: EQ_IN,
    },
    FieldSpec {
        name: "isLocal",
        ty: Ty::Bool,
        ops: EQ,
    },
];
const USER_SORTS: &[&str] = &[
    "name",
    "siteRole",
    "lastLogin",
    "friendlyName",
    "domainName",
    "email",
];

fn val<'a>(u: &'a User, field: &str) -> Val<'a> {
    match field {
        "name" => Val::Str(&u.name),
        "siteRole" => Val::Str(&u.site_role),
        "lastLogin" => Val::Date(u.last_login),
        "luid" => Val::Str(&u.id),
        "friendlyName" => Val::Str(u.full_name.as_deref().unwrap_or("")),
        "domainName" => Val::Str(&u.domain),
        "isLocal" => Val::Bool(u.domain == "local"),
        "email" => Val::Str(u.email.as_deref().unwrap_or("")),
        _ => Val::Str(""),
    }
}

/// Writes a page of `users` (`total` in all) with the asked-for fields.
fn users_doc<'a>(
    ctx: &Ctx<'_>,
    page: Page,
    total: usize,
    users: impl ExactSizeIterator<Item = &'a User>,
) -> Reply {
    let (full, email) = (wants_field(ctx, "fullName"), wants_field(ctx, "email"));
    ctx.document(400 + users.len() * 280, |doc| {
        page.emit(doc, total);
        let mut list = doc.child("users");
        for u in users {
            render::user_item(&mut list, u, full, email);
        }
    })
}

/// The page of `slots` (`total` of them, in name order) without filter or
/// sort: O(page).
fn plain_page<'a>(
    ctx: &Ctx<'_>,
    site: &'a Site,
    page: Page,
    slots: impl Iterator<Item = &'a Slot>,
    total: usize,
) -> Result<Reply, ApiError> {
    let w = page.window(total)?;
    let users: Vec<&User> = slots
        .skip(w.start)
        .take(w.len())
        .filter_map(|&s| site.users.at(s))
        .collect();
    Ok(users_doc(ctx, page, total, users.into_iter()))
}

/// A page of the site's users, or of `group`'s members, in name order,
/// applying filter, sort and fields. Unfiltered, unsorted pages cost O(page),
/// and so does a `name:eq` filter.
pub fn page_users(ctx: &Ctx<'_>, site: &Site, group: Option<&Group>) -> Result<Reply, ApiError> {
    let page = paging::parse(&ctx.query)?;
    let conds = match ctx.query.get("filter") {
        Some(f) => filter::parse_filter(f, USER_FIELDS)?,
        None => Vec::new(),
    };
    let sort = match ctx.query.get("sort") {
        Some(s) => filter::parse_sort(s, USER_SORTS)?,
        None => Vec::new(),
    };
    if conds.is_empty() && sort.is_empty() {
        return match group {
            None => plain_page(ctx, site, page, site.order.iter(), site.order.len()),
            Some(g) => plain_page(ctx, site, page, g.members.values(), g.members.len()),
        };
    }
    let passes = |u: &&User| filter::matches_all(&conds, |f| val(u, f));
    let mut all: Vec<&User> = match filter::eq_value(&conds, "name") {
        // Names are unique: at most this one user can pass.
        Some(name) => site
            .user_by_name(name)
            .filter(|u| group.is_none_or(|g| g.members.contains_key(&u.name)))
            .filter(passes)
            .into_iter()
            .collect(),
        None => {
            let slots: Box<dyn Iterator<Item = &Slot>> = match group {
                None => Box::new(site.order.iter()),
                Some(g) => Box::new(g.members.values()),
            };
            slots
                .filter_map(|&s| site.users.at(s))
                .filter(passes)
                .collect()
        }
    };
    for (field, desc) in sort.iter().rev() {
        all.sort_by(|a, b| {
            let o = filter::cmp_vals(val(a, field), val(b, field));
            if *desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    let w = page.window(all.len())?;
    Ok(users_doc(ctx, page, all.len(), all[w].iter().copied()))
}

/// `GET sites/{s}/users`.
pub fn list(ctx: &Ctx<'_>, site: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:users:read")?;
    let sites = ctx.inner.sites.read().expect("sites lock");
    page_users(ctx, &sites[idx], None)
}

/// `GET sites/{s}/users/{u}`.
pub fn get(ctx: &Ctx<'_>, site: &str, user: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:users:read")?;
    let sites = ctx.inner.sites.read().expect("sites lock");
    let u = sites[idx]
        .users
        .get(user)
        .ok_or_else(|| ApiError::user_not_found(user))?;
    Ok(Reply::ok(vec![render::user_one(
        u,
        wants_field(ctx, "email"),
    )]))
}

/// `POST sites/{s}/users`: adds a user (`409000` if the name exists).
pub fn add(ctx: &Ctx<'_>, site: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:users:create")?;
    let req = reqbody::parse(ctx.body)?;
    let el = req
        .find("user")
        .ok_or_else(|| ApiError::bad_request("The request has no <user> element."))?;
    let name = el
        .attr("name")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::bad_request("A user name is required."))?;
    let role = el.attr("siteRole").unwrap_or("Unlicensed");
    check_role(role)?;
    let mut sites = ctx.inner.sites.write().expect("sites lock");
    let s = &mut sites[idx];
    if s.by_name.contains_key(name) {
        return Err(ApiError::new(
            409000,
            "Conflict",
            format!("A user with the name '{name}' already exists on the site."),
        ));
    }
    let mut u = plain_user(&mut ctx.inner.rng.lock().expect("rng lock"), name, role);
    if let Some(a) = el.attr("authSetting") {
        u.auth_setting = a.to_string();
    }
    let node = Node::new("user")
        .attr("id", &u.id)
        .attr("name", &u.name)
        .attr("siteRole", &u.site_role)
        .attr("authSetting", &u.auth_setting);
    s.insert_user(u);
    Ok(Reply::ok(vec![node]).with_status(201))
}

fn check_role(role: &str) -> Result<(), ApiError> {
    if ASSIGNABLE_ROLES.contains(&role) {
        Ok(())
    } else {
        Err(ApiError::new(
            400013,
            "Invalid site role",
            format!("'{role}' is not a valid site role."),
        ))
    }
}

/// `PUT sites/{s}/users/{u}`: site role, full name, email, auth setting.
pub fn update(ctx: &Ctx<'_>, site: &str, user: &str) -> Result<Reply, ApiError> {
    let (session, idx) = authorize(ctx, site, "tableau:users:update")?;
    let req = reqbody::parse(ctx.body)?;
    let el = req
        .find("user")
        .ok_or_else(|| ApiError::bad_request("The request has no <user> element."))?;
    let mut sites = ctx.inner.sites.write().expect("sites lock");
    let u = sites[idx]
        .users
        .get_mut(user)
        .ok_or_else(|| ApiError::user_not_found(user))?;
    if let Some(role) = el.attr("siteRole") {
        check_role(role)?;
        if user == session.user_id && role != u.site_role {
            return Err(ApiError::new(
                403009,
                "Forbidden",
                "You cannot change your own site role.",
            ));
        }
        u.site_role = role.to_string();
    }
    if let Some(v) = el.attr("fullName") {
        u.full_name = Some(v.to_string());
    }
    if let Some(v) = el.attr("email") {
        u.email = Some(v.to_string());
    }
    if let Some(v) = el.attr("authSetting") {
        u.auth_setting = v.to_string();
    }
    Ok(Reply::ok(vec![render::user_updated(u)]))
}

/// `DELETE sites/{s}/users/{u}[?mapAssetsTo=]`: 204, or 409003 (and the
/// user left Unlicensed) when they still own content and no heir is named.
pub fn remove(ctx: &Ctx<'_>, site: &str, user: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:users:delete")?;
    let heir = ctx.query.get("mapAssetsTo").cloned();
    if heir.is_some() && !ctx.at_least((3, 9)) {
        return Err(ApiError::bad_request(
            "The mapAssetsTo parameter needs API 3.9 or later.",
        ));
    }
    let mut sites = ctx.inner.sites.write().expect("sites lock");
    let s = &mut sites[idx];
    if !s.users.contains_key(user) {
        return Err(ApiError::user_not_found(user));
    }
    let heir = match heir {
        Some(h) if h == user => {
            return Err(ApiError::bad_request(
                "mapAssetsTo cannot name the user being removed.",
            ))
        }
        Some(h) if !s.users.contains_key(&h) => return Err(ApiError::user_not_found(&h)),
        Some(h) => {
            record_removal(ctx, user, Some(&h));
            h
        }
        None => {
            if s.owns_any(user) {
                let u = s.users.get_mut(user).expect("checked above");
                u.site_role = "Unlicensed".into();
                return Err(ApiError::new(
                    409003,
                    "User Asset Conflict",
                    format!(
                        "The user '{user}' still owns content and cannot be deleted; their site role was set to Unlicensed. Transfer the content first or pass mapAssetsTo."
                    ),
                ));
            }
            record_removal(ctx, user, None);
            String::new()
        }
    };
    s.remove_user(user, &heir);
    drop(sites);
    ctx.inner
        .sessions
        .lock()
        .expect("sessions lock")
        .close_user(idx, user);
    Ok(Reply::no_content())
}

/// Notes a removal Tableau carries out, for tests to check what was asked.
fn record_removal(ctx: &Ctx<'_>, user: &str, heir: Option<&str>) {
    ctx.inner
        .removals
        .lock()
        .expect("removals lock")
        .push((user.to_owned(), heir.map(str::to_owned)));
}
