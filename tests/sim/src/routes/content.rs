//! Content listings (workbooks, datasources, flows, projects, views, custom
//! views, data alerts) with `<owner id>` and owner filters, a user's owned
//! workbooks and flows, and ownership changes by `PUT`. `ownerName` matches
//! the owner's display name (`fullName`), as in Tableau.

use super::{authorize, render};
use crate::error::ApiError;
use crate::filter::{self, FieldSpec, Ty, Val, CMP_OPS, EQ_IN, NAME_OPS};
use crate::jwt::read_scope;
use crate::paging;
use crate::reqbody;
use crate::server::{Ctx, Reply};
use crate::state::{Content, Kind, Site};
use std::sync::atomic::Ordering;

const CONTENT_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "name",
        ty: Ty::Str,
        ops: NAME_OPS,
    },
    FieldSpec {
        name: "ownerName",
        ty: Ty::Str,
        ops: EQ_IN,
    },
    FieldSpec {
        name: "ownerEmail",
        ty: Ty::Str,
        ops: EQ_IN,
    },
    FieldSpec {
        name: "ownerDomain",
        ty: Ty::Str,
        ops: EQ_IN,
    },
    FieldSpec {
        name: "createdAt",
        ty: Ty::Date,
        ops: CMP_OPS,
    },
    FieldSpec {
        name: "updatedAt",
        ty: Ty::Date,
        ops: CMP_OPS,
    },
];
/// Flows filter on the owner's name only.
const FLOW_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "name",
        ty: Ty::Str,
        ops: NAME_OPS,
    },
    FieldSpec {
        name: "ownerName",
        ty: Ty::Str,
        ops: EQ_IN,
    },
    FieldSpec {
        name: "createdAt",
        ty: Ty::Date,
        ops: CMP_OPS,
    },
    FieldSpec {
        name: "updatedAt",
        ty: Ty::Date,
        ops: CMP_OPS,
    },
];
const CONTENT_SORTS: &[&str] = &["name", "createdAt", "updatedAt", "ownerName"];

fn val<'a>(site: &'a Site, c: &'a Content, field: &str) -> Val<'a> {
    let owner = site.users.get(&c.owner_id);
    match field {
        "name" => Val::Str(&c.name),
        "ownerName" => Val::Str(owner.and_then(|u| u.full_name.as_deref()).unwrap_or("")),
        "ownerEmail" => Val::Str(owner.and_then(|u| u.email.as_deref()).unwrap_or("")),
        "ownerDomain" => Val::Str(owner.map(|u| u.domain.as_str()).unwrap_or("")),
        "createdAt" | "updatedAt" => Val::Date(Some(c.created_at)),
        _ => Val::Str(""),
    }
}

fn not_found(kind: Kind, id: &str) -> ApiError {
    let code = match kind {
        Kind::Project => 404005,
        Kind::Workbook => 404006,
        Kind::Datasource => 404011,
        Kind::View => 404004,
        Kind::Flow => 404059,
        // Tableau's own codes for these two are not documented; 404003 is
        // its code for a resource it does not have.
        Kind::CustomView | Kind::DataAlert => 404003,
    };
    let mut name = kind.name().to_string();
    name[..1].make_ascii_uppercase();
    ApiError::new(
        code,
        "Resource Not Found",
        format!("{name} '{id}' could not be found."),
    )
}

/// The answer holding one item.
fn one(ctx: &Ctx<'_>, site: &Site, c: &Content) -> Reply {
    ctx.document(1200, |doc| {
        render::content(&mut doc.child(c.kind.name()), site, c, false)
    })
}

fn page_content<'a>(
    ctx: &Ctx<'_>,
    site: &'a Site,
    kind: Kind,
    items: impl Iterator<Item = &'a Content>,
    short: bool,
) -> Result<Reply, ApiError> {
    let page = paging::parse(&ctx.query)?;
    let specs = if kind == Kind::Flow {
        FLOW_FIELDS
    } else {
        CONTENT_FIELDS
    };
    let conds = match ctx.query.get("filter") {
        Some(f) => filter::parse_filter(f, specs)?,
        None => Vec::new(),
    };
    let sort = match ctx.query.get("sort") {
        Some(s) => filter::parse_sort(s, CONTENT_SORTS)?,
        None => Vec::new(),
    };
    let mut all: Vec<&Content> = items
        .filter(|c| filter::matches_all(&conds, |f| val(site, c, f)))
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
    Ok(ctx.document(400 + w.len() * 600, |doc| {
        page.emit(doc, all.len());
        let mut list = doc.child(kind.plural());
        for c in &all[w] {
            render::content(&mut list.item(kind.name()), site, c, short);
        }
    }))
}

/// `GET sites/{s}/{workbooks|datasources|flows|projects|views}`.
pub fn list(ctx: &Ctx<'_>, site: &str, kind: Kind) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, read_scope(kind))?;
    let sites = ctx.inner.sites.read().expect("sites lock");
    let s = &sites[idx];
    page_content(ctx, s, kind, s.content(kind).iter(), false)
}

/// `GET sites/{s}/{kind}/{id}`.
pub fn get(ctx: &Ctx<'_>, site: &str, kind: Kind, id: &str) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, read_scope(kind))?;
    let sites = ctx.inner.sites.read().expect("sites lock");
    let s = &sites[idx];
    let c = s
        .content(kind)
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| not_found(kind, id))?;
    Ok(one(ctx, s, c))
}

/// `GET sites/{s}/users/{u}/workbooks?ownedBy=true` and
/// `…/flows?isOwner=true`; without the flag every item is listed.
pub fn of_user(ctx: &Ctx<'_>, site: &str, user: &str, kind: Kind) -> Result<Reply, ApiError> {
    let (_, idx) = authorize(ctx, site, read_scope(kind))?;
    let sites = ctx.inner.sites.read().expect("sites lock");
    let s = &sites[idx];
    if !s.users.contains_key(user) {
        return Err(ApiError::user_not_found(user));
    }
    let flag = if kind == Kind::Flow {
        "isOwner"
    } else {
        "ownedBy"
    };
    let owned_only = ctx.query.get(flag).map(String::as_str) == Some("true")
        && !ctx.inner.ignore_owner_flags.load(Ordering::Relaxed);
    let items = s
        .content(kind)
        .iter()
        .filter(|c| !owned_only || c.owner_id == user);
    page_content(ctx, s, kind, items, kind == Kind::Workbook)
}

/// `PUT sites/{s}/{kind}/{id}` with `<owner id>`: moves ownership.
pub fn update_owner(ctx: &Ctx<'_>, site: &str, kind: Kind, id: &str) -> Result<Reply, ApiError> {
    let scope = format!("tableau:{}:update", kind.plural());
    let (_, idx) = authorize(ctx, site, &scope)?;
    let req = reqbody::parse(ctx.body)?;
    let owner = req
        .find("owner")
        .and_then(|o| o.attr("id"))
        .map(String::from);
    let mut sites = ctx.inner.sites.write().expect("sites lock");
    let s = &mut sites[idx];
    if let Some(o) = &owner {
        if !s.users.contains_key(o) {
            return Err(ApiError::user_not_found(o));
        }
    }
    let c = s
        .content_mut(kind)
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| not_found(kind, id))?;
    if let Some(o) = &owner {
        c.owner_id = o.clone();
    }
    if let Some(n) = req.find(kind.name()).and_then(|e| e.attr("name")) {
        c.name = n.to_string();
    }
    let c = c.clone();
    // A workbook's views are its owner's: they move with it.
    if let (Kind::Workbook, Some(o)) = (kind, owner) {
        for v in s.content_mut(Kind::View) {
            if v.workbook_id.as_deref() == Some(id) {
                v.owner_id = o.clone();
            }
        }
    }
    Ok(one(ctx, s, &c))
}
