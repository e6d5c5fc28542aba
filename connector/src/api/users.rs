//! Users of a site: listing, lookup, site-role changes, removal, and the
//! per-user listings (groups, owned workbooks and flows).

use chrono::{DateTime, Utc};
use tabgov_mapping::{Account, SignInIdentity, SiteLuid, SiteRole};

use super::page::{Page, PageRequest};
use super::request::ApiRequest;
use super::scan::Attrs;
use super::stream::{self, ItemReader};
#[cfg(test)]
use super::xml::decode_list;
use super::xml::{decode_single, escape_attr, AttrSource, Element};
use crate::{Error, Result};

fn paged(req: ApiRequest, page: PageRequest) -> ApiRequest {
    req.query("pageSize", page.size.to_string())
        .query("pageNumber", page.number.to_string())
}

/// `GET sites/{site}/users`, one page, with `fields=_all_` (without it
/// Tableau leaves out email and full name).
pub fn list_users(site_id: &SiteLuid, page: PageRequest) -> ApiRequest {
    paged(ApiRequest::get(format!("sites/{site_id}/users")), page).query("fields", "_all_")
}

/// `GET sites/{site}/users?filter=name:eq:{name}`: the user signing in as
/// `name`. Tableau's filter syntax cannot carry `,` or `&` in a value; the
/// caller must refuse such names (they would change the filter, not fail).
pub fn find_user_by_name(site_id: &SiteLuid, name: &str) -> ApiRequest {
    ApiRequest::get(format!("sites/{site_id}/users"))
        .query("filter", format!("name:eq:{name}"))
        .query("fields", "_all_")
}

/// `GET sites/{site}/users/{id}` (`404002` when there is no such user).
pub fn get_user(site_id: &SiteLuid, user_id: &str) -> ApiRequest {
    ApiRequest::get(format!("sites/{site_id}/users/{user_id}"))
}

/// `PUT sites/{site}/users/{id}` setting the site role; answers a `<user>`
/// without `id` (decode with [`decode_updated_user`]). The role is typed so
/// only a role (Tableau's string for it, or one kept verbatim) is sent.
pub fn update_site_role(site_id: &SiteLuid, user_id: &str, site_role: &SiteRole) -> ApiRequest {
    ApiRequest::put(format!("sites/{site_id}/users/{user_id}")).body(format!(
        "<tsRequest><user siteRole=\"{}\"/></tsRequest>",
        escape_attr(site_role.as_str())
    ))
}

/// `DELETE sites/{site}/users/{id}`, moving the user's content to
/// `map_assets_to` when given (API 3.9+). Without it, a user who owns
/// content gets `409003` and is left Unlicensed instead of removed.
pub fn remove_user(site_id: &SiteLuid, user_id: &str, map_assets_to: Option<&str>) -> ApiRequest {
    let req = ApiRequest::delete(format!("sites/{site_id}/users/{user_id}"));
    match map_assets_to {
        Some(heir) => req.query("mapAssetsTo", heir),
        None => req,
    }
}

/// `GET sites/{site}/users/{id}/groups` (API 3.7+), one page; decode with
/// `groups::decode_groups`.
pub fn groups_of_user(site_id: &SiteLuid, user_id: &str, page: PageRequest) -> ApiRequest {
    paged(
        ApiRequest::get(format!("sites/{site_id}/users/{user_id}/groups")),
        page,
    )
}

/// `GET sites/{site}/users/{id}/workbooks?ownedBy=true` (the flag is case
/// sensitive; without it every readable workbook is listed).
pub fn owned_workbooks(site_id: &SiteLuid, user_id: &str, page: PageRequest) -> ApiRequest {
    paged(
        ApiRequest::get(format!("sites/{site_id}/users/{user_id}/workbooks")),
        page,
    )
    .query("ownedBy", "true")
}

/// `GET sites/{site}/users/{id}/flows?isOwner=true`.
pub fn owned_flows(site_id: &SiteLuid, user_id: &str, page: PageRequest) -> ApiRequest {
    paged(
        ApiRequest::get(format!("sites/{site_id}/users/{user_id}/flows")),
        page,
    )
    .query("isOwner", "true")
}

/// Reads `lastLogin`: absent (or empty) means never signed in; anything
/// else must be an RFC 3339 time.
fn last_login(el: &impl AttrSource, path: &str) -> Result<Option<DateTime<Utc>>> {
    match el.attr("lastLogin").filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(raw) => DateTime::parse_from_rfc3339(raw.trim())
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| {
                Error::decode(
                    path,
                    format!("attribute lastLogin is not an RFC 3339 time: {raw:?}"),
                )
            }),
    }
}

/// The attributes of `<user>` that [`account_attrs`] reads.
const USER_ATTRS: [&str; 11] = [
    "id",
    "name",
    "email",
    "fullName",
    "siteRole",
    "lastLogin",
    "authSetting",
    "idpConfigurationId",
    "externalAuthUserId",
    "language",
    "locale",
];

/// An attribute that may be present but empty (`externalAuthUserId=""` on
/// local users): empty counts as absent.
fn non_empty(el: &impl AttrSource, name: &str) -> Option<String> {
    el.opt_attr(name).filter(|v| !v.is_empty())
}

/// Decodes a user from the attributes of its `<user>` element (`path`
/// names it in errors); the domain, from a child, is left out.
fn account_attrs(el: &impl AttrSource, path: &str) -> Result<Account> {
    Ok(Account {
        id: el.required(path, "id")?.to_owned(),
        name: el.required(path, "name")?.to_owned(),
        email: el.opt_attr("email"),
        full_name: el.opt_attr("fullName"),
        site_role: SiteRole::parse(el.required(path, "siteRole")?),
        last_login: last_login(el, path)?,
        auth_setting: el.opt_attr("authSetting"),
        domain: None,
        identity: Box::new(SignInIdentity {
            idp_configuration_id: non_empty(el, "idpConfigurationId"),
            external_auth_user_id: non_empty(el, "externalAuthUserId"),
            language: non_empty(el, "language"),
            locale: non_empty(el, "locale"),
        }),
    })
}

/// The user's domain, from its first `<domain name>` child.
fn domain_name(domain: &impl AttrSource) -> Option<String> {
    domain.opt_attr("name")
}

/// Decodes one `<user>` element; `path` names it in errors.
fn account(el: &Element, path: &str) -> Result<Account> {
    let mut account = account_attrs(el, path)?;
    account.domain = el.child("domain").and_then(domain_name);
    Ok(account)
}

/// Reads `<user>` items from events, as [`account`] reads an element.
struct Accounts;

impl ItemReader for Accounts {
    type Item = Account;
    /// The account (or its error) and whether its domain has been read.
    type Open = (Result<Account>, bool);

    fn open(&self, attrs: &Attrs<'_>, path: &str) -> Result<Self::Open> {
        Ok((account_attrs(&attrs.values(USER_ATTRS)?, path), false))
    }

    fn child(&self, item: &mut Self::Open, name: &str, attrs: &Attrs<'_>, _: &str) -> Result<()> {
        if name == "domain" && !item.1 {
            item.1 = true;
            let domain = domain_name(&attrs.values(["name"])?);
            if let Ok(account) = &mut item.0 {
                account.domain = domain;
            }
        }
        Ok(())
    }

    fn close(&self, item: Self::Open) -> Result<Account> {
        item.0
    }
}

/// Decodes a page of users (site users, or the users of a group), without
/// building a tree: a full page is a thousand users.
pub fn decode_users(body: &[u8]) -> Result<Page<Account>> {
    stream::decode_list(body, "users", "user", &Accounts)
}

/// [`decode_users`] through the tree, the reference it is tested against.
#[cfg(test)]
pub(super) fn decode_users_tree(body: &[u8]) -> Result<Page<Account>> {
    decode_list(body, "users", "user", account)
}

/// Decodes the one `<user>` of Query User On Site (or of Add User to Group).
pub fn decode_user(body: &[u8]) -> Result<Account> {
    decode_single(body, "user", account)
}

/// What Update User answers: the user without its `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatedUser {
    pub name: Option<String>,
    pub site_role: SiteRole,
}

/// Decodes Update User's answer; the site role is required, since it is
/// what the caller checks took effect.
pub fn decode_updated_user(body: &[u8]) -> Result<UpdatedUser> {
    decode_single(body, "user", |el, path| {
        Ok(UpdatedUser {
            name: el.opt_attr("name"),
            site_role: SiteRole::parse(el.required(path, "siteRole")?),
        })
    })
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

    const PAGE: PageRequest = PageRequest {
        number: 3,
        size: 500,
    };

    #[test]
    fn builds_requests() {
        let r = list_users(&SiteLuid::new("s1"), PAGE);
        assert_eq!((r.method, r.path.as_str()), (Method::Get, "sites/s1/users"));
        assert_eq!(
            r.query,
            q(&[
                ("pageSize", "500"),
                ("pageNumber", "3"),
                ("fields", "_all_")
            ])
        );
        let r = find_user_by_name(&SiteLuid::new("s1"), "a.b@x");
        assert_eq!(r.path, "sites/s1/users");
        assert_eq!(
            r.query,
            q(&[("filter", "name:eq:a.b@x"), ("fields", "_all_")])
        );
        let r = get_user(&SiteLuid::new("s1"), "u1");
        assert_eq!(
            (r.method, r.path.as_str(), r.query.len()),
            (Method::Get, "sites/s1/users/u1", 0)
        );
        let r = update_site_role(&SiteLuid::new("s1"), "u1", &SiteRole::Viewer);
        assert_eq!(
            (r.method, r.path.as_str()),
            (Method::Put, "sites/s1/users/u1")
        );
        assert_eq!(
            r.body.as_deref(),
            Some("<tsRequest><user siteRole=\"Viewer\"/></tsRequest>")
        );
        assert!(r.retry_safe);
        let r = update_site_role(&SiteLuid::new("s1"), "u1", &SiteRole::parse("A\"&"));
        assert_eq!(
            r.body.as_deref(),
            Some("<tsRequest><user siteRole=\"A&quot;&amp;\"/></tsRequest>")
        );
        let r = remove_user(&SiteLuid::new("s1"), "u1", None);
        assert_eq!(
            (r.method, r.path.as_str(), r.query.len()),
            (Method::Delete, "sites/s1/users/u1", 0)
        );
        let r = remove_user(&SiteLuid::new("s1"), "u1", Some("u2"));
        assert_eq!(r.query, q(&[("mapAssetsTo", "u2")]));
        let r = groups_of_user(&SiteLuid::new("s1"), "u1", PAGE);
        assert_eq!(r.path, "sites/s1/users/u1/groups");
        assert_eq!(r.query, q(&[("pageSize", "500"), ("pageNumber", "3")]));
        let r = owned_workbooks(&SiteLuid::new("s1"), "u1", PAGE);
        assert_eq!(r.path, "sites/s1/users/u1/workbooks");
        assert_eq!(
            r.query,
            q(&[
                ("pageSize", "500"),
                ("pageNumber", "3"),
                ("ownedBy", "true")
            ])
        );
        let r = owned_flows(&SiteLuid::new("s1"), "u1", PAGE);
        assert_eq!(r.path, "sites/s1/users/u1/flows");
        assert_eq!(
            r.query,
            q(&[
                ("pageSize", "500"),
                ("pageNumber", "3"),
                ("isOwner", "true")
            ])
        );
        for r in [
            list_users(&SiteLuid::new("s"), PAGE),
            get_user(&SiteLuid::new("s"), "u"),
            owned_flows(&SiteLuid::new("s"), "u", PAGE),
        ] {
            assert!(r.body.is_none() && r.retry_safe);
        }
    }

    fn one(user: &str) -> Result<Account> {
        decode_user(format!("<tsResponse>{user}</tsResponse>").as_bytes())
    }

    #[test]
    fn decodes_optional_parts_and_names_missing_ones() {
        let a = one(r#"<user id="i" name="n &amp; m" siteRole="Brand&lt;New"/>"#).unwrap();
        assert_eq!(a.name, "n & m");
        assert_eq!(a.site_role, SiteRole::Other("Brand<New".into()));
        assert_eq!(
            (a.email, a.full_name, a.last_login, a.auth_setting, a.domain),
            (None, None, None, None, None)
        );
        let a = one(r#"<user id="i" name="n" siteRole="Viewer" lastLogin="2024-02-29T10:00:00+02:00" email=""><domain name="corp"/></user>"#).unwrap();
        assert_eq!(a.last_login, Some("2024-02-29T08:00:00Z".parse().unwrap()));
        assert_eq!(a.email, None);
        assert_eq!(a.domain.as_deref(), Some("corp"));
        for attr in ["id", "name", "siteRole"] {
            let user = r#"<user id="i" name="n" siteRole="Viewer"/>"#
                .replace(&format!(" {attr}="), " other=");
            let e = one(&user).unwrap_err().to_string();
            assert!(
                e.contains(&format!("tsResponse/user: missing attribute {attr}")),
                "{e}"
            );
        }
        let e =
            one(r#"<user id="i" name="n" siteRole="Viewer" lastLogin="yesterday"/>"#).unwrap_err();
        assert!(e.to_string().contains("lastLogin"), "{e}");
    }

    #[test]
    fn reads_identity_provider_and_language() {
        let body = br#"<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="2"/><users>
            <user id="a" name="ann" siteRole="Viewer" authSetting="" idpConfigurationId="idp-7" externalAuthUserId="00u9" language="fr" locale="fr_FR"><domain name="local"/></user>
            <user id="b" name="bo" siteRole="Viewer" externalAuthUserId="" language=""/>
        </users></tsResponse>"#;
        let page = decode_users(body).unwrap();
        assert_eq!(
            *page.items[0].identity,
            SignInIdentity {
                idp_configuration_id: Some("idp-7".into()),
                external_auth_user_id: Some("00u9".into()),
                language: Some("fr".into()),
                locale: Some("fr_FR".into()),
            }
        );
        assert_eq!(*page.items[1].identity, SignInIdentity::default());
        assert_eq!(decode_users_tree(body).unwrap(), page);
    }

    #[test]
    fn updated_user_needs_its_site_role() {
        let u =
            decode_updated_user(b"<tsResponse><user name=\"c\" siteRole=\"Viewer\"/></tsResponse>")
                .unwrap();
        assert_eq!(
            u,
            UpdatedUser {
                name: Some("c".into()),
                site_role: SiteRole::Viewer
            }
        );
        let e = decode_updated_user(b"<tsResponse><user name=\"c\"/></tsResponse>").unwrap_err();
        assert!(e.to_string().contains("missing attribute siteRole"));
    }
}
