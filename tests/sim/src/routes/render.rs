//! Element builders in the exact shapes of the recorded Tableau responses.

use crate::node::Node;
use crate::state::{Content, Group, Kind, Site, User};
use chrono::{DateTime, Utc};

/// Tableau's timestamp format (`2016-08-16T23:17:06Z`).
pub fn ts(d: &DateTime<Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A `<user>` of a listing (users of a site or of a group).
pub fn user_list(u: &User, full_name: bool, email: bool) -> Node {
    let mut n = Node::new("user")
        .attr("id", &u.id)
        .attr("name", &u.name)
        .attr("siteRole", &u.site_role)
        .opt_attr("lastLogin", u.last_login.as_ref().map(ts))
        .attr("externalAuthUserId", "");
    if full_name {
        n = n.opt_attr("fullName", u.full_name.clone());
    }
    if email {
        n = n.opt_attr("email", u.email.clone());
    }
    n
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
        .attr("externalAuthUserId", "");
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

/// A `<group>` with its domain and, for grant-licence groups, `<import>`.
pub fn group(site: &Site, g: &Group, user_count: bool) -> Node {
    let mut n = Node::new("group")
        .attr("id", &g.id)
        .attr("name", &g.name)
        .opt_attr("minimumSiteRole", g.minimum_site_role.clone());
    if user_count {
        n = n.attr("userCount", site.member_count(g).to_string());
    }
    n = n.child(Node::new("domain").attr("name", &g.domain));
    if let (Some(role), Some(mode)) = (&g.minimum_site_role, &g.grant_license_mode) {
        n = n.child(
            Node::new("import")
                .attr("domainName", &g.domain)
                .attr("siteRole", role)
                .attr("grantLicenseMode", mode),
        );
    }
    n
}

fn url_name(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

fn tags(c: &Content) -> Node {
    Node::list(
        "tags",
        c.tags
            .iter()
            .map(|t| Node::new("tag").attr("label", t))
            .collect(),
    )
}

fn project_ref(site: &Site, c: &Content) -> Node {
    let pid = c.project_id.clone().unwrap_or_default();
    let name = site.project_name(&pid).to_string();
    Node::new("project").attr("id", pid).attr("name", name)
}

fn owner(c: &Content) -> Node {
    Node::new("owner").attr("id", &c.owner_id)
}

/// A content item (`<workbook>`, `<datasource>`, ...). `short` gives the
/// leaner workbook shape of Query Workbooks for User.
pub fn content(site: &Site, c: &Content, short: bool) -> Node {
    let created = ts(&c.created_at);
    let web = format!(
        "https://tableau.example.com/#/{}/{}",
        c.kind.plural(),
        url_name(&c.id)
    );
    match c.kind {
        Kind::Workbook => {
            let mut n = Node::new("workbook")
                .attr("id", &c.id)
                .attr("name", &c.name);
            if !short {
                n = n.attr("description", "");
            }
            n = n.attr("contentUrl", url_name(&c.name));
            if !short {
                n = n.attr("webpageUrl", web);
            }
            n.attr("showTabs", "false")
                .attr("size", "1")
                .attr("createdAt", created.clone())
                .attr("updatedAt", created)
                .child(project_ref(site, c))
                .child(owner(c))
                .child(tags(c))
        }
        Kind::Datasource => Node::new("datasource")
            .attr("id", &c.id)
            .attr("name", &c.name)
            .attr("size", "1")
            .attr("contentUrl", url_name(&c.name))
            .attr("description", "")
            .attr("type", "dataengine")
            .attr("createdAt", created.clone())
            .attr("updatedAt", created)
            .attr("encryptExtracts", "false")
            .attr("hasExtracts", "true")
            .attr("useRemoteQueryAgent", "false")
            .attr("webpageUrl", web)
            .child(project_ref(site, c))
            .child(owner(c))
            .child(tags(c)),
        Kind::Flow => Node::new("flow")
            .attr("id", &c.id)
            .attr("name", &c.name)
            .attr("description", "")
            .attr("webpageUrl", web)
            .attr("fileType", "tflx")
            .attr("createdAt", created.clone())
            .attr("updatedAt", created)
            .child(project_ref(site, c))
            .child(owner(c))
            .child(tags(c)),
        Kind::Project => Node::new("project")
            .attr("id", &c.id)
            .attr("name", &c.name)
            .attr("description", "")
            .attr("contentPermissions", "ManagedByOwner")
            .opt_attr("parentProjectId", c.project_id.clone())
            .child(owner(c)),
        Kind::View => Node::new("view")
            .attr("id", &c.id)
            .attr("name", &c.name)
            .attr(
                "contentUrl",
                format!(
                    "{}/sheets/{}",
                    c.workbook_id.as_deref().map(url_name).unwrap_or_default(),
                    url_name(&c.name)
                ),
            )
            .child(Node::new("workbook").attr("id", c.workbook_id.clone().unwrap_or_default()))
            .child(owner(c)),
    }
}
