//! Element builders in the exact shapes of the recorded Tableau responses:
//! small answers as [`Node`]s, listing items written straight into the
//! answer with [`Elem`].

use crate::emit::{ts_into, Elem};
use crate::node::Node;
use crate::roster::Listing;
use crate::state::{Content, Group, Kind, Site, User};
use chrono::{DateTime, Utc};

/// Tableau's timestamp format (`2016-08-16T23:17:06Z`).
pub fn ts(d: &DateTime<Utc>) -> String {
    let mut s = String::with_capacity(20);
    ts_into(&mut s, d);
    s
}

/// A `<user>` item of the listing `list` (users of a site or of a group),
/// copied from the user's prepared text (written on first use).
pub fn user_item(list: &mut Elem<'_>, u: &User, full_name: bool, email: bool) {
    let fmt = list.fmt();
    let l = u.listing.get_or_init(fmt, || {
        let mut text = String::with_capacity(256);
        let mut n = Elem::lone(&mut text, fmt, "user");
        user_list(&mut n, u, false, false);
        let full_at = n.written();
        user_list_full_name(&mut n, u);
        let email_at = n.written();
        user_list_email(&mut n, u);
        let end_at = n.written();
        drop(n);
        Listing {
            text: text.into_boxed_str(),
            full_at,
            email_at,
            end_at,
        }
    });
    list.raw_item("user", &l.pieces(full_name, email));
}

/// `externalAuthUserId` (empty when unset, as Tableau writes it) and the
/// identity-provider and language attributes a user has.
fn identity_attrs(n: &mut Elem<'_>, u: &User) {
    let id = &u.identity;
    n.attr(
        "externalAuthUserId",
        id.external_auth_user_id.as_deref().unwrap_or(""),
    )
    .opt_attr("idpConfigurationId", id.idp_configuration_id.as_deref())
    .opt_attr("language", id.language.as_deref())
    .opt_attr("locale", id.locale.as_deref());
}

fn user_list_full_name(n: &mut Elem<'_>, u: &User) {
    n.opt_attr("fullName", u.full_name.as_deref());
}

fn user_list_email(n: &mut Elem<'_>, u: &User) {
    n.opt_attr("email", u.email.as_deref());
}

/// A `<user>` of a listing, written into the open element `n`.
pub fn user_list(n: &mut Elem<'_>, u: &User, full_name: bool, email: bool) {
    n.attr("id", &u.id)
        .attr("name", &u.name)
        .attr("siteRole", &u.site_role);
    if let Some(d) = &u.last_login {
        n.ts_attr("lastLogin", d);
    }
    identity_attrs(n, u);
    if full_name {
        user_list_full_name(n, u);
    }
    if email {
        user_list_email(n, u);
    }
}

/// The `<user>` of Query User On Site.
pub fn user_one(u: &User, email: bool) -> Node {
    let mut n = Node::new("user")
        .attr("id", &u.id)
        .attr("name", &u.name)
        .opt_attr("fullName", u.full_name.clone())
        .attr("siteRole", &u.site_role)
        .attr("authSetting", &u.auth_setting)
        .opt_attr("lastLogin", u.last_login.as_ref().map(ts))
        .attr(
            "externalAuthUserId",
            u.identity.external_auth_user_id.as_deref().unwrap_or(""),
        )
        .opt_attr(
            "idpConfigurationId",
            u.identity.idp_configuration_id.clone(),
        )
        .opt_attr("language", u.identity.language.clone())
        .opt_attr("locale", u.identity.locale.clone());
    if email {
        n = n.opt_attr("email", u.email.clone());
    }
    n.child(Node::new("domain").attr("name", &u.domain))
}

/// The `<user>` Update User answers with (no `id`).
pub fn user_updated(u: &User) -> Node {
    Node::new("user")
        .attr("name", &u.name)
        .opt_attr("fullName", u.full_name.clone())
        .opt_attr("email", u.email.clone())
        .attr("siteRole", &u.site_role)
}

/// The `<user>` Add User to Group answers with.
pub fn user_added(u: &User) -> Node {
    Node::new("user")
        .attr("id", &u.id)
        .attr("name", &u.name)
        .attr("siteRole", &u.site_role)
        .attr("externalAuthUserId", "")
}

/// A `<group>` with its domain into the open element `n`; with `import`
/// (API 3.9 and later) every group, local or not, also carries
/// `<import domainName siteRole [grantLicenseMode]>`, the only place the
/// granted role appears. `minimumSiteRole` is never written on `<group>`:
/// Tableau takes it in requests but does not return it. A group that
/// grants nothing shows its `domainName` alone.
pub fn group(n: &mut Elem<'_>, site: &Site, g: &Group, user_count: bool, import: bool) {
    n.attr("id", &g.id).attr("name", &g.name);
    if user_count {
        n.num_attr("userCount", site.member_count(g));
    }
    n.child("domain").attr("name", &g.domain);
    if import {
        n.child("import")
            .attr("domainName", &g.domain)
            .opt_attr("siteRole", g.minimum_site_role.as_deref())
            .opt_attr("grantLicenseMode", g.grant_license_mode.as_deref());
    }
}

/// Letters and digits of `name`, as in Tableau's `contentUrl`s.
fn url_name_into(out: &mut String, name: &str) {
    out.extend(name.chars().filter(|c| c.is_ascii_alphanumeric()));
}

fn url_name(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    url_name_into(&mut s, name);
    s
}

/// Children shared by workbooks, datasources and flows.
fn project_owner_tags(n: &mut Elem<'_>, site: &Site, c: &Content) {
    let pid = c.project_id.as_deref().unwrap_or_default();
    n.child("project")
        .attr("id", pid)
        .attr("name", site.project_name(pid));
    n.child("owner").attr("id", &c.owner_id);
    let mut tags = n.child("tags");
    for t in &c.tags {
        tags.item("tag").attr("label", t);
    }
}

/// A content item (`<workbook>`, `<datasource>`, ...) into the open element
/// `n` (named [`Kind::name`]). `short` gives the leaner workbook shape of
/// Query Workbooks for User.
pub fn content(n: &mut Elem<'_>, site: &Site, c: &Content, short: bool) {
    let web = |o: &mut String| {
        o.push_str("https://tableau.example.com/#/");
        o.push_str(c.kind.plural());
        o.push('/');
        url_name_into(o, &c.id);
    };
    let created = |n: &mut Elem<'_>| {
        n.ts_attr("createdAt", &c.created_at)
            .ts_attr("updatedAt", &c.created_at);
    };
    n.attr("id", &c.id);
    if c.kind != Kind::DataAlert {
        n.attr("name", &c.name);
    }
    match c.kind {
        Kind::Workbook => {
            if !short {
                n.attr("description", "");
            }
            n.attr("contentUrl", &url_name(&c.name));
            if !short {
                n.raw_attr("webpageUrl", web);
            }
            n.attr("showTabs", "false").attr("size", "1");
            created(n);
            project_owner_tags(n, site, c);
        }
        Kind::Datasource => {
            n.attr("size", "1")
                .attr("contentUrl", &url_name(&c.name))
                .attr("description", "")
                .attr("type", "dataengine");
            created(n);
            n.attr("encryptExtracts", "false")
                .attr("hasExtracts", "true")
                .attr("useRemoteQueryAgent", "false")
                .raw_attr("webpageUrl", web);
            project_owner_tags(n, site, c);
        }
        Kind::Flow => {
            n.attr("description", "")
                .raw_attr("webpageUrl", web)
                .attr("fileType", "tflx");
            created(n);
            project_owner_tags(n, site, c);
        }
        Kind::Project => {
            n.attr("description", "")
                .attr("contentPermissions", "ManagedByOwner")
                .opt_attr("parentProjectId", c.project_id.as_deref());
            n.child("owner").attr("id", &c.owner_id);
        }
        Kind::View => {
            let wb = c.workbook_id.as_deref();
            n.raw_attr("contentUrl", |o| {
                if let Some(w) = wb {
                    url_name_into(o, w);
                }
                o.push_str("/sheets/");
                url_name_into(o, &c.name);
            });
            n.child("workbook").attr("id", wb.unwrap_or_default());
            n.child("owner").attr("id", &c.owner_id);
        }
        Kind::CustomView => {
            n.attr("contentUrl", &url_name(&c.name));
            n.child("workbook")
                .attr("id", c.workbook_id.as_deref().unwrap_or_default());
            n.child("owner").attr("id", &c.owner_id);
            n.child("view").attr("id", "");
        }
        Kind::DataAlert => {
            // A data alert is named by its subject; its recipients are
            // `<recipient>`s, never a second `<owner>`.
            n.attr("subject", &c.name).attr("creatorId", &c.owner_id);
            created(n);
            n.attr("frequency", "Daily").attr("public", "false");
            let owner = site.users.get(&c.owner_id).map(|u| u.name.as_str());
            n.child("owner")
                .attr("id", &c.owner_id)
                .opt_attr("name", owner);
            let wb = c.workbook_id.as_deref().unwrap_or_default();
            let wb_name = site
                .content(Kind::Workbook)
                .iter()
                .find(|w| w.id == wb)
                .map(|w| w.name.as_str())
                .unwrap_or_default();
            let pid = c.project_id.as_deref().unwrap_or_default();
            let mut view = n.child("view");
            view.attr("id", "").attr("name", "");
            view.child("workbook").attr("id", wb).attr("name", wb_name);
            view.child("project")
                .attr("id", pid)
                .attr("name", site.project_name(pid));
            drop(view);
            n.child("recipients")
                .item("recipient")
                .attr("id", &c.owner_id);
        }
    }
}
