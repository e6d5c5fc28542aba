//! Users of a site: listing, lookup, adding, updates (site role, full name,
//! email), removal, and the per-user listings (groups, owned workbooks and
//! flows).

use chrono::{DateTime, Utc};
use tabgov_mapping::{Account, SignInIdentity, SiteLuid, SiteRole, UserId};

use super::page::{Page, PageRequest};
use super::request::ApiRequest;
use super::scan::Attrs;
use super::stream::{self, ItemReader};
use super::stream_one;
#[cfg(test)]
use super::tree::{decode_list, decode_single, Element};
use super::xml::{escape_attr, AttrSource};
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
pub fn get_user(site_id: &SiteLuid, user_id: &UserId) -> ApiRequest {
    ApiRequest::get(format!("sites/{site_id}/users/{user_id}"))
}

/// `PUT sites/{site}/users/{id}` setting the site role; answers a `<user>`
/// without `id` (decode with [`decode_updated_user`]). The role is typed so
/// only a role (Tableau's string for it, or one kept verbatim) is sent.
pub fn update_site_role(site_id: &SiteLuid, user_id: &UserId, site_role: &SiteRole) -> ApiRequest {
    let set = UserAttributes {
        site_role: Some(site_role),
        ..UserAttributes::default()
    };
    update_user(site_id, user_id, &set)
}

/// `POST sites/{site}/users` adding the user who signs in as `name` with
/// `site_role` and, when given, `auth_setting` (`ServerDefault`, `SAML`,
/// `OpenID`...). Answers 201 with `<user id name siteRole authSetting>`
/// (decode with [`decode_user`]); `409000` when the site has a user of that
/// name. Tableau takes no full name or email here: set them with
/// [`update_user`] afterwards. Not retried: a repeat of a call that went
/// through answers 409.
pub fn add_user(
    site_id: &SiteLuid,
    name: &str,
    site_role: &SiteRole,
    auth_setting: Option<&str>,
) -> ApiRequest {
    let auth = auth_setting
        .map(|a| format!(" authSetting=\"{}\"", escape_attr(a)))
        .unwrap_or_default();
    ApiRequest::post(format!("sites/{site_id}/users")).body(format!(
        "<tsRequest><user name=\"{}\" siteRole=\"{}\"{auth}/></tsRequest>",
        escape_attr(name),
        escape_attr(site_role.as_str())
    ))
}

/// What an Update User call sets: only the attributes given are sent, so
/// Tableau leaves the others as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserAttributes<'a> {
    pub full_name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub site_role: Option<&'a SiteRole>,
}

impl UserAttributes<'_> {
    /// Whether nothing would be sent.
    pub fn is_empty(&self) -> bool {
        self.full_name.is_none() && self.email.is_none() && self.site_role.is_none()
    }
}

/// `PUT sites/{site}/users/{id}` setting the attributes `set` gives, in
/// Tableau's order (`fullName`, `email`, `siteRole`); answers a `<user>`
/// without `id` (decode with [`decode_updated_user`]).
pub fn update_user(site_id: &SiteLuid, user_id: &UserId, set: &UserAttributes<'_>) -> ApiRequest {
    let mut attrs = String::new();
    let fields = [
        ("fullName", set.full_name),
        ("email", set.email),
        ("siteRole", set.site_role.map(SiteRole::as_str)),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            attrs.push_str(&format!(" {name}=\"{}\"", escape_attr(value)));
        }
    }
    ApiRequest::put(format!("sites/{site_id}/users/{user_id}"))
        .body(format!("<tsRequest><user{attrs}/></tsRequest>"))
}

/// `DELETE sites/{site}/users/{id}`, moving the user's content to
/// `map_assets_to` when given (API 3.9+). Without it, a user who owns
/// content gets `409003` and is left Unlicensed instead of removed.
pub fn remove_user(
    site_id: &SiteLuid,
    user_id: &UserId,
    map_assets_to: Option<&UserId>,
) -> ApiRequest {
    let req = ApiRequest::delete(format!("sites/{site_id}/users/{user_id}"));
    match map_assets_to {
        Some(heir) => req.query("mapAssetsTo", heir.as_str()),
        None => req,
    }
}

/// `GET sites/{site}/users/{id}/groups` (API 3.7+), one page; decode with
/// `groups::decode_groups`.
pub fn groups_of_user(site_id: &SiteLuid, user_id: &UserId, page: PageRequest) -> ApiRequest {
    paged(
        ApiRequest::get(format!("sites/{site_id}/users/{user_id}/groups")),
        page,
    )
}

/// `GET sites/{site}/users/{id}/workbooks?ownedBy=true` (the flag is case
/// sensitive; without it every readable workbook is listed).
pub fn owned_workbooks(site_id: &SiteLuid, user_id: &UserId, page: PageRequest) -> ApiRequest {
    paged(
        ApiRequest::get(format!("sites/{site_id}/users/{user_id}/workbooks")),
        page,
    )
    .query("ownedBy", "true")
}

/// `GET sites/{site}/users/{id}/flows?isOwner=true`.
pub fn owned_flows(site_id: &SiteLuid, user_id: &UserId, page: PageRequest) -> ApiRequest {
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
        id: el.required(path, "id")?.into(),
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

/// Decodes one `<user>` element of a tree; `path` names it in errors.
#[cfg(test)]
fn account(el: &Element, path: &str) -> Result<Account> {
    let mut account = account_attrs(el, path)?;
    account.domain = el.child("domain").and_then(domain_name);
    Ok(account)
}

/// Reads `<user>` items from events, as the tests' `account` reads an element.
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

/// Decodes the one `<user>` of Query User On Site (or of Add User to Site,
/// or of Add User to Group).
pub fn decode_user(body: &[u8]) -> Result<Account> {
    stream_one::decode_single(body, "user", &Accounts)
}

/// [`decode_user`] through the tree, the reference it is tested against.
#[cfg(test)]
pub(super) fn decode_user_tree(body: &[u8]) -> Result<Account> {
    decode_single(body, "user", account)
}

/// What Update User answers: the user without its `id` (full name and
/// email as Tableau now holds them, when it says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatedUser {
    pub name: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub site_role: SiteRole,
}

/// Update User's answer from the attributes of its `<user>`.
fn updated_user(el: &impl AttrSource, path: &str) -> Result<UpdatedUser> {
    Ok(UpdatedUser {
        name: el.opt_attr("name"),
        full_name: el.opt_attr("fullName"),
        email: el.opt_attr("email"),
        site_role: SiteRole::parse(el.required(path, "siteRole")?),
    })
}

/// Reads Update User's `<user>` from events, as [`updated_user`] reads it.
struct UpdatedUsers;

impl ItemReader for UpdatedUsers {
    type Item = UpdatedUser;
    type Open = Result<UpdatedUser>;

    fn open(&self, attrs: &Attrs<'_>, path: &str) -> Result<Self::Open> {
        let attrs = attrs.values(["name", "fullName", "email", "siteRole"])?;
        Ok(updated_user(&attrs, path))
    }

    fn child(&self, _: &mut Self::Open, _: &str, _: &Attrs<'_>, _: &str) -> Result<()> {
        Ok(())
    }

    fn close(&self, item: Self::Open) -> Result<UpdatedUser> {
        item
    }
}

/// Decodes Update User's answer; the site role is required, since it is
/// what the caller checks took effect.
pub fn decode_updated_user(body: &[u8]) -> Result<UpdatedUser> {
    stream_one::decode_single(body, "user", &UpdatedUsers)
}

/// [`decode_updated_user`] through the tree, the reference it is tested
/// against.
#[cfg(test)]
pub(super) fn decode_updated_user_tree(body: &[u8]) -> Result<UpdatedUser> {
    decode_single(body, "user", updated_user)
}

#[cfg(test)]
#[path = "users_tests.rs"]
mod tests;
