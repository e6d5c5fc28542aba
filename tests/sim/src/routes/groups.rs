//! Groups: list, create and delete local groups, users of a group, add and
//! remove members, groups of a user.

use std::collections::BTreeMap;

use super::{authorize, render, users::page_users, wants_field};
use crate::error::ApiError;
use crate::filter::{self, FieldSpec, Ty, Val, CMP_OPS, EQ, EQ_IN, NAME_OPS};
use crate::node::Node;
use crate::paging;
use crate::reqbody;
use crate::server::{Ctx, Reply};
use crate::state::{new_luid, Group, Site};

/// Filterable group fields.
pub const GROUP_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "name",
        ty: Ty::Str,
        ops: NAME_OPS,
    },
    FieldSpec {
        name: "domainName",
        ty: Ty::Str,
        ops: EQ_IN,
    },
    FieldSpec {
        name: "minimumSiteRole",
        ty: Ty::Str,
        ops: EQ_IN,
    },
    FieldSpec {
        name: "userCount",
        ty: Ty::Num,
        ops: CMP_OPS,
    },
    FieldSpec {
        name: "isLocal",
        ty: Ty::Bool,
        ops: EQ,
    },
    FieldSpec {
        name: "luid",
        ty: Ty::Str,
        ops: EQ_IN,
    },
];
const GROUP_SORTS: &[&str] = &["name", "domainName", "minimumSiteRole", "userCount"];

fn val<'a>(site: &Site, g: &'a Group, field: &str) -> Val<'a> {
    match field {
        "name" => Val::Str(&g.name),
        "domainName" => Val::Str(&g.domain),
        "minimumSiteRole" => Val::Str(g.minimum_site_role.as_deref().unwrap_or("")),
        "userCount" => Val::Num(site.member_count(g) as i64),
        "isLocal" => Val::Bool(g.domain == "local"),
        "luid" => Val::Str(&g.id),
        _ => Val::Str(""),
    }
}

fn page_groups(ctx: &Ctx<'_>, site: &Site, ids: &[String]) -> Result<Reply, ApiError> {
    let page = paging::parse(&ctx.query)?;
    let conds = match ctx.query.get("filter") {
        Some(f) => filter::parse_filter(f, GROUP_FIELDS)?,
        None => Vec::new(),
    };
    let sort = match ctx.query.get("sort") {
        Some(s) => filter::parse_sort(s, GROUP_SORTS)?,
        None => Vec::new(),
    };
    let mut all: Vec<&Group> = ids
        .iter()
        .filter_map(|id| site.groups.get(id))
        .filter(|g| filter::matches_all(&conds, |f| val(site, g, f)))
        .collect();
    for (field, desc) in sort.iter().rev() {
        all.sort_by(|a, b| {
            let o = filter::cmp_vals(val(site, a, field), val(site, b, field));
            if *desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    let w = page.window(all.len())?;
    let count = wants_field(ctx, "userCount");
    let import = ctx.at_least((3, 9));
    Ok(ctx.document(400 + w.len() * 300, |doc| {
        page.emit(doc, all.len());
        let mut list = doc.child("groups");
        for g in &all[w] {
            render::group(&mut list.item("group"), site, g, count, import);
        }
    }))
}

/// `GET sites/{s}/groups`.
pub fn list(ctx: &Ctx<'_>, site: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:groups:read")?;
    let sites = ctx.inner.sites.read().expect("sites lock");
    let s = &sites[idx];
    page_groups(ctx, s, &s.group_order)
}

/// `GET sites/{s}/users/{u}/groups` (3.7 and later).
pub fn of_user(ctx: &Ctx<'_>, site: &str, user: &str) -> Result<Reply, ApiError> {
    if !ctx.at_least((3, 7)) {
        return Err(ApiError::unknown_resource(&format!(
            "/{}.{}/sites/{site}/users/{user}/groups",
            ctx.v.0, ctx.v.1
        )));
    }
    let (_, idx) = authorize(ctx, site, "tableau:users:read")?;
    let sites = ctx.inner.sites.read().expect("sites lock");
    let s = &sites[idx];
    if !s.users.contains_key(user) {
        return Err(ApiError::user_not_found(user));
    }
    page_groups(ctx, s, &s.user_group_ids(user))
}

/// `GET sites/{s}/groups/{g}/users`.
pub fn users(ctx: &Ctx<'_>, site: &str, group: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:groups:read")?;
    let sites = ctx.inner.sites.read().expect("sites lock");
    let s = &sites[idx];
    let g = s
        .groups
        .get(group)
        .ok_or_else(|| ApiError::group_not_found(group))?;
    let members = (g.id != s.all_users_id).then_some(g);
    page_users(ctx, s, members)
}

/// `POST sites/{s}/groups/{g}/users`: one `<user id>` (409011 if already a
/// member) or, from 3.21, a `<users>` list.
pub fn add_user(ctx: &Ctx<'_>, site: &str, group: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:groups:update")?;
    let req = reqbody::parse(ctx.body)?;
    let mut els = Vec::new();
    req.find_all("user", &mut els);
    let ids: Vec<String> = els
        .iter()
        .filter_map(|e| e.attr("id").map(String::from))
        .collect();
    if ids.is_empty() {
        return Err(ApiError::bad_request(
            "The request has no <user id> element.",
        ));
    }
    let bulk = req.find("users").is_some();
    let mut sites = ctx.inner.sites.write().expect("sites lock");
    let s = &mut sites[idx];
    if !s.groups.contains_key(group) {
        return Err(ApiError::group_not_found(group));
    }
    for id in &ids {
        if !s.users.contains_key(id) {
            return Err(ApiError::user_not_found(id));
        }
        if s.is_member(group, id) {
            return Err(ApiError::new(
                409011,
                "Conflict",
                format!("User '{id}' is already a member of group '{group}'."),
            ));
        }
    }
    for id in &ids {
        s.add_member(group, id);
    }
    let nodes: Vec<Node> = ids
        .iter()
        .map(|id| render::user_added(&s.users[id]))
        .collect();
    Ok(Reply::ok(if bulk {
        vec![Node::list("users", nodes)]
    } else {
        nodes
    }))
}

/// `DELETE sites/{s}/groups/{g}/users/{u}`: 204.
pub fn remove_user(ctx: &Ctx<'_>, site: &str, group: &str, user: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:groups:update")?;
    let mut sites = ctx.inner.sites.write().expect("sites lock");
    let s = &mut sites[idx];
    if !s.groups.contains_key(group) {
        return Err(ApiError::group_not_found(group));
    }
    if !s.users.contains_key(user) {
        return Err(ApiError::user_not_found(user));
    }
    if group == s.all_users_id {
        return Err(ApiError::bad_request(
            "Users cannot be removed from the 'All Users' group.",
        ));
    }
    if !s.remove_member(group, user) {
        return Err(ApiError::new(
            404002,
            "Resource Not Found",
            format!("User '{user}' is not a member of group '{group}'."),
        ));
    }
    Ok(Reply::no_content())
}

/// `POST sites/{s}/groups`: creates a local group, 201 with `<group id
/// name>`; `409009` when the site has a group of that name (compared
/// without regard to ASCII case).
pub fn create(ctx: &Ctx<'_>, site: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:groups:create")?;
    let req = reqbody::parse(ctx.body)?;
    let el = req
        .find("group")
        .ok_or_else(|| ApiError::bad_request("The request has no <group> element."))?;
    let name = el
        .attr("name")
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("A group name is required."))?;
    let minimum_site_role = el.attr("minimumSiteRole").map(String::from);
    let mut sites = ctx.inner.sites.write().expect("sites lock");
    let s = &mut sites[idx];
    if s.groups.values().any(|g| g.name.eq_ignore_ascii_case(name)) {
        return Err(ApiError::new(
            409009,
            "Conflict",
            format!("A group with the name '{name}' already exists on the site."),
        ));
    }
    let group = Group {
        id: new_luid(&mut ctx.inner.rng.lock().expect("rng lock")),
        name: name.to_owned(),
        domain: "local".into(),
        minimum_site_role,
        grant_license_mode: el.attr("grantLicenseMode").map(String::from),
        members: BTreeMap::new(),
    };
    let node = Node::new("group")
        .attr("id", &group.id)
        .attr("name", &group.name);
    s.insert_group(group);
    Ok(Reply::ok(vec![node]).with_status(201))
}

/// `DELETE sites/{s}/groups/{g}`: 204; `404012` for an unknown group. "All
/// Users" cannot be deleted (`400000`, as removing its members is refused).
/// The members stay on the site.
pub fn delete(ctx: &Ctx<'_>, site: &str, group: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, "tableau:groups:delete")?;
    let mut sites = ctx.inner.sites.write().expect("sites lock");
    let s = &mut sites[idx];
    if group == s.all_users_id {
        return Err(ApiError::bad_request(
            "The 'All Users' group cannot be deleted.",
        ));
    }
    let g = s
        .groups
        .remove(group)
        .ok_or_else(|| ApiError::group_not_found(group))?;
    s.group_order.retain(|id| id != group);
    let members: Vec<String> = g
        .members
        .values()
        .filter_map(|&slot| s.users.at(slot).map(|u| u.id.clone()))
        .collect();
    for id in members {
        if let Some(u) = s.users.get_mut(&id) {
            u.groups.retain(|x| x != group);
        }
    }
    Ok(Reply::no_content())
}
