//! Groups of a site and their members; creating and deleting local groups.

use tabgov_mapping::{GrantLicenseMode, Group, GroupId, SiteLuid, SiteRole, UserId};

use super::page::{Page, PageRequest};
use super::request::ApiRequest;
use super::scan::Attrs;
use super::stream::{self, ItemReader};
use super::stream_one;
#[cfg(test)]
use super::tree::{decode_list, Element};
use super::xml::{escape_attr, AttrSource};
use crate::Result;

/// `GET sites/{site}/groups`, one page, with `fields=_all_` (adds
/// `userCount`; the grant-licence `<import>` comes either way).
pub fn list_groups(site_id: &SiteLuid, page: PageRequest) -> ApiRequest {
    ApiRequest::get(format!("sites/{site_id}/groups"))
        .query("pageSize", page.size.to_string())
        .query("pageNumber", page.number.to_string())
        .query("fields", "_all_")
}

/// `POST sites/{site}/groups` creating a local group named `name`, granting
/// `minimum_site_role` when given (a request attribute; listings return the
/// grant in `<import>`). Answers 201 with `<group id name>` (decode with
/// [`decode_group`]); `409009` when the site has a group of that name. Not
/// retried: a repeat of a call that went through answers 409.
pub fn create_group(
    site_id: &SiteLuid,
    name: &str,
    minimum_site_role: Option<&SiteRole>,
) -> ApiRequest {
    let role = minimum_site_role
        .map(|r| format!(" minimumSiteRole=\"{}\"", escape_attr(r.as_str())))
        .unwrap_or_default();
    ApiRequest::post(format!("sites/{site_id}/groups")).body(format!(
        "<tsRequest><group name=\"{}\"{role}/></tsRequest>",
        escape_attr(name)
    ))
}

/// `DELETE sites/{site}/groups/{gid}` (answers 204; `404012` when there is
/// no such group). The members stay on the site.
pub fn delete_group(site_id: &SiteLuid, group_id: &GroupId) -> ApiRequest {
    ApiRequest::delete(format!("sites/{site_id}/groups/{group_id}"))
}

/// `GET sites/{site}/groups/{gid}/users`, one page (`404012` when there is
/// no such group); decode with [`decode_member_ids`] or
/// `users::decode_users`.
pub fn group_members(site_id: &SiteLuid, group_id: &GroupId, page: PageRequest) -> ApiRequest {
    ApiRequest::get(format!("sites/{site_id}/groups/{group_id}/users"))
        .query("pageSize", page.size.to_string())
        .query("pageNumber", page.number.to_string())
}

/// `POST sites/{site}/groups/{gid}/users` adding one user. Retry-safe: a
/// repeat answers `409011` (already a member), which the caller treats as
/// done.
pub fn add_member(site_id: &SiteLuid, group_id: &GroupId, user_id: &UserId) -> ApiRequest {
    ApiRequest::post(format!("sites/{site_id}/groups/{group_id}/users"))
        .body(format!(
            "<tsRequest><user id=\"{}\"/></tsRequest>",
            escape_attr(user_id.as_str())
        ))
        .retry_safe()
}

/// `DELETE sites/{site}/groups/{gid}/users/{uid}` (answers 204).
pub fn remove_member(site_id: &SiteLuid, group_id: &GroupId, user_id: &UserId) -> ApiRequest {
    ApiRequest::delete(format!("sites/{site_id}/groups/{group_id}/users/{user_id}"))
}

/// The attributes of `<group>` that [`group_attrs`] reads.
const GROUP_ATTRS: [&str; 2] = ["id", "name"];

/// The attributes of `<import>` that [`apply_import`] reads.
const IMPORT_ATTRS: [&str; 3] = ["siteRole", "grantLicenseMode", "domainName"];

/// Decodes a group from the attributes of its `<group>` element (`path`
/// names it in errors); what its children say is left out. A
/// `minimumSiteRole` attribute is not read: it is what a client sends to
/// create or update a group, never what a listing returns.
fn group_attrs(el: &impl AttrSource, path: &str) -> Result<Group> {
    Ok(Group {
        id: el.required(path, "id")?.into(),
        name: el.required(path, "name")?.to_owned(),
        domain: None,
        minimum_site_role: None,
        grant_license_mode: None,
    })
}

/// Adds what the group's first `<import>` says: the role it grants and
/// when, and the directory it comes from when no `<domain name>` said so.
/// From API 3.9 every group carries one, local groups included.
fn apply_import(group: &mut Group, import: &impl AttrSource) {
    if group.domain.is_none() {
        group.domain = import.opt_attr("domainName");
    }
    group.minimum_site_role = import.opt_attr("siteRole").map(|r| SiteRole::parse(&r));
    group.grant_license_mode = import
        .opt_attr("grantLicenseMode")
        .map(|mode| GrantLicenseMode::parse(&mode));
}

/// Decodes one `<group>` of a tree: the granted role comes from
/// `<import siteRole>` only.
#[cfg(test)]
fn group(el: &Element, path: &str) -> Result<Group> {
    let mut group = group_attrs(el, path)?;
    group.domain = el.child("domain").and_then(|d| d.opt_attr("name"));
    if let Some(import) = el.child("import") {
        apply_import(&mut group, import);
    }
    Ok(group)
}

/// What is known of a `<group>` while it is open.
#[derive(Debug)]
struct OpenGroup {
    group: Result<Group>,
    import_seen: bool,
    domain_seen: bool,
}

/// Reads `<group>` items from events, as the tests' `group` reads an element.
struct Groups;

impl ItemReader for Groups {
    type Item = Group;
    type Open = OpenGroup;

    fn open(&self, attrs: &Attrs<'_>, path: &str) -> Result<OpenGroup> {
        Ok(OpenGroup {
            group: group_attrs(&attrs.values(GROUP_ATTRS)?, path),
            import_seen: false,
            domain_seen: false,
        })
    }

    fn child(&self, item: &mut OpenGroup, name: &str, attrs: &Attrs<'_>, _: &str) -> Result<()> {
        if name == "import" && !item.import_seen {
            item.import_seen = true;
            let import = attrs.values(IMPORT_ATTRS)?;
            if let Ok(group) = &mut item.group {
                apply_import(group, &import);
            }
        } else if name == "domain" && !item.domain_seen {
            item.domain_seen = true;
            // The first `<domain>`'s name wins over `<import domainName>`,
            // whichever comes first; a `<domain>` without one says nothing.
            let domain = attrs.values(["name"])?.opt_attr("name");
            if let (Ok(group), Some(domain)) = (&mut item.group, domain) {
                group.domain = Some(domain);
            }
        }
        Ok(())
    }

    fn close(&self, item: OpenGroup) -> Result<Group> {
        item.group
    }
}

/// Decodes the one `<group>` Create Group answers with.
pub fn decode_group(body: &[u8]) -> Result<Group> {
    stream_one::decode_single(body, "group", &Groups)
}

/// Decodes a page of groups (of a site, or of a user).
pub fn decode_groups(body: &[u8]) -> Result<Page<Group>> {
    stream::decode_list(body, "groups", "group", &Groups)
}

/// A member's user id, from the attributes of its `<user>`.
fn member_id(el: &impl AttrSource, path: &str) -> Result<UserId> {
    el.required(path, "id").map(UserId::from)
}

/// Reads the ids of `<user>` items from events, as [`member_id`] reads
/// them from an element.
struct MemberIds;

impl ItemReader for MemberIds {
    type Item = UserId;
    type Open = Result<UserId>;

    fn open(&self, attrs: &Attrs<'_>, path: &str) -> Result<Self::Open> {
        Ok(member_id(&attrs.values(["id"])?, path))
    }

    fn child(&self, _: &mut Self::Open, _: &str, _: &Attrs<'_>, _: &str) -> Result<()> {
        Ok(())
    }

    fn close(&self, item: Self::Open) -> Result<UserId> {
        item
    }
}

/// Decodes the user ids of a page of group members, without building a
/// tree: a sync reads one such page per group and thousand members.
pub fn decode_member_ids(body: &[u8]) -> Result<Page<UserId>> {
    stream::decode_list(body, "users", "user", &MemberIds)
}

/// [`decode_groups`] through the tree, the reference it is tested against.
#[cfg(test)]
pub(super) fn decode_groups_tree(body: &[u8]) -> Result<Page<Group>> {
    decode_list(body, "groups", "group", group)
}

/// [`decode_member_ids`] through the tree, the reference it is tested
/// against.
#[cfg(test)]
pub(super) fn decode_member_ids_tree(body: &[u8]) -> Result<Page<UserId>> {
    decode_list(body, "users", "user", member_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::Method;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn builds_requests() {
        let page = PageRequest::new(2, 1000);
        let r = list_groups(&SiteLuid::new("s"), page);
        assert_eq!((r.method, r.path.as_str()), (Method::Get, "sites/s/groups"));
        assert_eq!(
            r.query,
            q(&[
                ("pageSize", "1000"),
                ("pageNumber", "2"),
                ("fields", "_all_")
            ])
        );
        let r = group_members(&SiteLuid::new("s"), &"g".into(), page);
        assert_eq!(
            (r.method, r.path.as_str()),
            (Method::Get, "sites/s/groups/g/users")
        );
        assert_eq!(r.query, q(&[("pageSize", "1000"), ("pageNumber", "2")]));
        let r = add_member(&SiteLuid::new("s"), &"g".into(), &"u".into());
        assert_eq!(
            (r.method, r.path.as_str()),
            (Method::Post, "sites/s/groups/g/users")
        );
        assert_eq!(
            r.body.as_deref(),
            Some("<tsRequest><user id=\"u\"/></tsRequest>")
        );
        assert!(r.retry_safe);
        let r = remove_member(&SiteLuid::new("s"), &"g".into(), &"u".into());
        assert_eq!(
            (r.method, r.path.as_str(), r.body),
            (Method::Delete, "sites/s/groups/g/users/u", None)
        );
    }

    #[test]
    fn builds_group_creation_and_deletion() {
        let site = SiteLuid::new("s");
        let r = create_group(&site, "Sales & Ops", None);
        assert_eq!(
            (r.method, r.path.as_str()),
            (Method::Post, "sites/s/groups")
        );
        assert_eq!(
            r.body.as_deref(),
            Some("<tsRequest><group name=\"Sales &amp; Ops\"/></tsRequest>")
        );
        assert!(!r.retry_safe);
        let r = create_group(&site, "G", Some(&SiteRole::Viewer));
        assert_eq!(
            r.body.as_deref(),
            Some("<tsRequest><group name=\"G\" minimumSiteRole=\"Viewer\"/></tsRequest>")
        );
        let r = delete_group(&site, &"g".into());
        assert_eq!(
            (r.method, r.path.as_str(), r.body),
            (Method::Delete, "sites/s/groups/g", None)
        );
    }

    #[test]
    fn decodes_a_created_group() {
        // tableauserverclient's recorded group_create.xml.
        let g = decode_group(
            "<?xml version='1.0' encoding='UTF-8'?>\n<tsResponse xmlns=\"http://tableau.com/api\"><group id=\"3e4a9ea0-a07a-4fe6-b50f-c345c8c81034\" name=\"試供品\" siteRole=\"ExplorerCanPublish\" grantLicenseMode='onLogin'/></tsResponse>"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(g.id.as_str(), "3e4a9ea0-a07a-4fe6-b50f-c345c8c81034");
        assert_eq!(g.name, "試供品");
        let e = decode_group(b"<tsResponse><group name=\"x\"/></tsResponse>").unwrap_err();
        assert!(e.to_string().contains("missing attribute id"), "{e}");
    }

    fn list(groups: &str) -> Result<Page<Group>> {
        decode_groups(
            format!(r#"<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="1"/><groups>{groups}</groups></tsResponse>"#)
                .as_bytes(),
        )
    }

    #[test]
    fn reads_the_granted_role_from_import_only() {
        // `minimumSiteRole` on `<group>` is a request attribute: a listing
        // that carried one would still grant nothing without `<import>`.
        let g = list(
            r#"<group id="g" name="G" minimumSiteRole="Viewer"><domain name="local"/></group>"#,
        )
        .unwrap();
        assert_eq!(g.items[0].minimum_site_role, None);
        assert_eq!(g.items[0].grant_license_mode, None);
        assert_eq!(g.items[0].domain.as_deref(), Some("local"));
        // A local group that grants nothing still carries `<import>` (3.9+).
        let g = list(r#"<group id="g" name="G"><domain name="local"/><import domainName="local" siteRole="Unlicensed"/></group>"#).unwrap();
        assert_eq!(g.items[0].minimum_site_role, Some(SiteRole::Unlicensed));
        assert_eq!(g.items[0].relicenses_to(), None);
        let g = list(r#"<group id="g" name="G"><import domainName="ad" siteRole="Explorer" grantLicenseMode="onSync"/></group>"#).unwrap();
        assert_eq!(g.items[0].minimum_site_role, Some(SiteRole::Explorer));
        assert_eq!(
            g.items[0].grant_license_mode,
            Some(GrantLicenseMode::OnSync)
        );
        let g = list(r#"<group id="g" name="G" minimumSiteRole="Creator"><import siteRole="Viewer" grantLicenseMode="later"/></group>"#).unwrap();
        assert_eq!(g.items[0].minimum_site_role, Some(SiteRole::Viewer));
        assert_eq!(
            g.items[0].grant_license_mode,
            Some(GrantLicenseMode::Other("later".into()))
        );
    }

    #[test]
    fn names_missing_attributes() {
        let e = list(r#"<group name="G"/>"#).unwrap_err().to_string();
        assert!(
            e.contains("tsResponse/groups/group: missing attribute id"),
            "{e}"
        );
        let e = decode_member_ids(
            br#"<tsResponse><pagination pageNumber="1" pageSize="1" totalAvailable="1"/><users><user name="x"/></users></tsResponse>"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("tsResponse/users/user: missing attribute id"),
            "{e}"
        );
    }
}
