//! Reading the answers of `auth.rs` from the XML events: `<serverInfo>`
//! and the sign-in `<credentials>`. Each reader reads as the tree
//! conversion beside it (test-only) reads the element, errors in the same
//! order.

use super::auth::{ServerInfo, SessionCredentials};
use super::scan::Attrs;
use super::stream::ItemReader;
use super::xml::{missing_element, AttrSource};
use crate::{Error, Result, Secret};
use tabgov_mapping::{SiteLuid, UserId};

/// What is known of `<serverInfo>` while it is open.
#[derive(Debug, Default)]
pub(super) struct OpenServerInfo {
    path: String,
    /// The first `<productVersion>`: its text so far and its `build`.
    product: Option<(String, Option<String>)>,
    /// The text so far of the first `<restApiVersion>`.
    rest: Option<String>,
}

/// Reads `<serverInfo><productVersion build>..</productVersion><restApiVersion>..</restApiVersion></serverInfo>`.
pub(super) struct ServerInfoReader;

impl ItemReader for ServerInfoReader {
    type Item = ServerInfo;
    type Open = OpenServerInfo;

    fn open(&self, _: &Attrs<'_>, path: &str) -> Result<OpenServerInfo> {
        Ok(OpenServerInfo {
            path: path.to_owned(),
            ..OpenServerInfo::default()
        })
    }

    fn child(
        &self,
        item: &mut OpenServerInfo,
        name: &str,
        attrs: &Attrs<'_>,
        _: &str,
    ) -> Result<()> {
        if name == "productVersion" && item.product.is_none() {
            item.product = Some((String::new(), attrs.values(["build"])?.opt_attr("build")));
        } else if name == "restApiVersion" && item.rest.is_none() {
            item.rest = Some(String::new());
        }
        Ok(())
    }

    fn child_text(&self, item: &mut OpenServerInfo, name: &str, text: &str) {
        match (name, &mut item.product, &mut item.rest) {
            ("productVersion", Some((product, _)), _) => product.push_str(text),
            ("restApiVersion", _, Some(rest)) => rest.push_str(text),
            _ => {}
        }
    }

    fn close(&self, item: OpenServerInfo) -> Result<ServerInfo> {
        let path = &item.path;
        let rest = item
            .rest
            .ok_or_else(|| missing_element(path, "restApiVersion"))?;
        server_info(path, item.product, &rest)
    }
}

/// Puts the server info together from the first `<productVersion>` (its
/// text and `build`) and the text of `<restApiVersion>`, which must not be
/// blank.
pub(super) fn server_info(
    path: &str,
    product: Option<(String, Option<String>)>,
    rest: &str,
) -> Result<ServerInfo> {
    let rest = rest.trim();
    if rest.is_empty() {
        return Err(Error::decode(
            format!("{path}/restApiVersion"),
            "empty version",
        ));
    }
    let (product_version, build) = match product {
        Some((text, build)) => (
            Some(text.trim().to_owned()).filter(|v| !v.is_empty()),
            build,
        ),
        None => (None, None),
    };
    Ok(ServerInfo {
        product_version,
        build,
        rest_api_version: rest.to_owned(),
    })
}

/// What is known of `<credentials>` while it is open: each part as read,
/// or the error reading it gave.
#[derive(Debug)]
pub(super) struct OpenCredentials {
    path: String,
    token: Result<String>,
    /// The first `<site>`: its `id` and `contentUrl`.
    site: Option<Result<(SiteLuid, String)>>,
    /// The first `<user>`: its `id`.
    user: Option<Result<String>>,
}

/// Reads `<credentials token><site id contentUrl/><user id/></credentials>`.
pub(super) struct CredentialsReader;

impl ItemReader for CredentialsReader {
    type Item = SessionCredentials;
    type Open = OpenCredentials;

    fn open(&self, attrs: &Attrs<'_>, path: &str) -> Result<OpenCredentials> {
        let token = attrs
            .values(["token"])?
            .required(path, "token")
            .map(str::to_owned);
        Ok(OpenCredentials {
            path: path.to_owned(),
            token,
            site: None,
            user: None,
        })
    }

    fn child(
        &self,
        item: &mut OpenCredentials,
        name: &str,
        attrs: &Attrs<'_>,
        _: &str,
    ) -> Result<()> {
        if name == "site" && item.site.is_none() {
            let site = attrs.values(["id", "contentUrl"])?;
            let path = format!("{}/site", item.path);
            item.site = Some(site_of(&site, &path));
        } else if name == "user" && item.user.is_none() {
            let user = attrs.values(["id"])?;
            let path = format!("{}/user", item.path);
            item.user = Some(user.required(&path, "id").map(str::to_owned));
        }
        Ok(())
    }

    fn close(&self, item: OpenCredentials) -> Result<SessionCredentials> {
        let path = &item.path;
        let site = item.site.ok_or_else(|| missing_element(path, "site"))?;
        let user = item.user.ok_or_else(|| missing_element(path, "user"))?;
        let token = item.token?;
        let (site_id, site_content_url) = site?;
        Ok(SessionCredentials {
            token: Secret::new(token),
            site_id,
            site_content_url,
            user_id: UserId::from(user?),
        })
    }
}

/// The `id` and `contentUrl` of a `<site>`, both required.
pub(super) fn site_of(site: &impl AttrSource, path: &str) -> Result<(SiteLuid, String)> {
    Ok((
        super::auth::site_luid(site.required(path, "id")?, path)?,
        site.required(path, "contentUrl")?.to_owned(),
    ))
}
