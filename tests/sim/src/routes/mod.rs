//! The route table (path shape and methods) and per-request authorization.
//!
//! Site checks: a site LUID the simulator does not know answers `404000`; a
//! known site other than the session's answers `401002` (the token is not
//! valid there).

pub mod auth;
pub mod content;
pub mod groups;
pub mod render;
pub mod sim_control;
pub mod users;

use crate::error::ApiError;
use crate::jwt::scope_allows;
use crate::server::{Ctx, Reply};
use crate::session::{Ended, Session};
use crate::state::Kind;
use axum::http::Method;

/// A matched route with its path parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `GET serverinfo`.
    ServerInfo,
    /// `POST auth/signin`.
    SignIn,
    /// `POST auth/signout`.
    SignOut,
    /// `POST auth/switchSite`.
    SwitchSite,
    /// `GET sites/{s}/users`.
    Users(String),
    /// `POST sites/{s}/users`.
    AddUser(String),
    /// `GET|PUT|DELETE sites/{s}/users/{u}`.
    User(Method, String, String),
    /// `GET sites/{s}/users/{u}/groups`.
    UserGroups(String, String),
    /// `GET sites/{s}/users/{u}/workbooks|flows`.
    UserContent(String, String, Kind),
    /// `GET sites/{s}/groups`.
    Groups(String),
    /// `POST sites/{s}/groups` (create a local group).
    CreateGroup(String),
    /// `DELETE sites/{s}/groups/{g}`.
    DeleteGroup(String, String),
    /// `GET sites/{s}/groups/{g}/users`.
    GroupUsers(String, String),
    /// `POST sites/{s}/groups/{g}/users`.
    AddGroupUser(String, String),
    /// `DELETE sites/{s}/groups/{g}/users/{u}`.
    RemoveGroupUser(String, String, String),
    /// `GET sites/{s}/{kind}`.
    ContentList(String, Kind),
    /// `GET|PUT sites/{s}/{kind}/{id}`.
    ContentItem(Method, String, Kind, String),
}

impl Route {
    /// Sign-in is spared from faults unless configured otherwise.
    pub fn is_sign_in(&self) -> bool {
        matches!(self, Route::SignIn)
    }
}

/// Why no route matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// No such path: `404003`.
    Unknown,
    /// Path exists, method does not: `405000`.
    Method,
}

fn only(method: &Method, allowed: &[Method], r: Route) -> Result<Route, Miss> {
    if allowed.contains(method) {
        Ok(r)
    } else {
        Err(Miss::Method)
    }
}

/// Matches the path after `/api/{v}/`.
pub fn resolve(m: &Method, segs: &[&str]) -> Result<Route, Miss> {
    let mut segs = segs;
    while let Some((last, rest)) = segs.split_last() {
        if last.is_empty() {
            segs = rest;
        } else {
            break;
        }
    }
    let s = |x: &str| x.to_string();
    use Method as M;
    match segs {
        [si] if si.eq_ignore_ascii_case("serverinfo") => only(m, &[M::GET], Route::ServerInfo),
        ["auth", "signin"] => only(m, &[M::POST], Route::SignIn),
        ["auth", "signout"] => only(m, &[M::POST], Route::SignOut),
        ["auth", "switchSite"] => only(m, &[M::POST], Route::SwitchSite),
        ["sites", site, "users"] => match *m {
            M::GET => Ok(Route::Users(s(site))),
            M::POST => Ok(Route::AddUser(s(site))),
            _ => Err(Miss::Method),
        },
        ["sites", site, "users", u] => only(
            m,
            &[M::GET, M::PUT, M::DELETE],
            Route::User(m.clone(), s(site), s(u)),
        ),
        ["sites", site, "users", u, "groups"] => {
            only(m, &[M::GET], Route::UserGroups(s(site), s(u)))
        }
        ["sites", site, "users", u, "workbooks"] => only(
            m,
            &[M::GET],
            Route::UserContent(s(site), s(u), Kind::Workbook),
        ),
        ["sites", site, "users", u, "flows"] => {
            only(m, &[M::GET], Route::UserContent(s(site), s(u), Kind::Flow))
        }
        ["sites", site, "groups"] => match *m {
            M::GET => Ok(Route::Groups(s(site))),
            M::POST => Ok(Route::CreateGroup(s(site))),
            _ => Err(Miss::Method),
        },
        ["sites", site, "groups", g] => only(m, &[M::DELETE], Route::DeleteGroup(s(site), s(g))),
        ["sites", site, "groups", g, "users"] => match *m {
            M::GET => Ok(Route::GroupUsers(s(site), s(g))),
            M::POST => Ok(Route::AddGroupUser(s(site), s(g))),
            _ => Err(Miss::Method),
        },
        ["sites", site, "groups", g, "users", u] => {
            only(m, &[M::DELETE], Route::RemoveGroupUser(s(site), s(g), s(u)))
        }
        ["sites", site, kind] => match Kind::parse(kind).filter(|k| k.path() == *kind) {
            Some(k) => only(m, &[M::GET], Route::ContentList(s(site), k)),
            None => Err(Miss::Unknown),
        },
        ["sites", site, kind, id] => match Kind::parse(kind).filter(|k| k.path() == *kind) {
            Some(k) => only(
                m,
                &[M::GET, M::PUT],
                Route::ContentItem(m.clone(), s(site), k, s(id)),
            ),
            None => Err(Miss::Unknown),
        },
        _ => Err(Miss::Unknown),
    }
}

/// Runs a matched route.
pub fn dispatch(ctx: &Ctx<'_>, r: &Route) -> Result<Reply, ApiError> {
    match r {
        Route::ServerInfo => auth::server_info(ctx),
        Route::SignIn => auth::sign_in(ctx),
        Route::SignOut => auth::sign_out(ctx),
        Route::SwitchSite => auth::switch_site(ctx),
        Route::Users(s) => users::list(ctx, s),
        Route::AddUser(s) => users::add(ctx, s),
        Route::User(m, s, u) => match *m {
            Method::GET => users::get(ctx, s, u),
            Method::PUT => users::update(ctx, s, u),
            _ => users::remove(ctx, s, u),
        },
        Route::UserGroups(s, u) => groups::of_user(ctx, s, u),
        Route::UserContent(s, u, k) => content::of_user(ctx, s, u, *k),
        Route::Groups(s) => groups::list(ctx, s),
        Route::CreateGroup(s) => groups::create(ctx, s),
        Route::DeleteGroup(s, g) => groups::delete(ctx, s, g),
        Route::GroupUsers(s, g) => groups::users(ctx, s, g),
        Route::AddGroupUser(s, g) => groups::add_user(ctx, s, g),
        Route::RemoveGroupUser(s, g, u) => groups::remove_user(ctx, s, g, u),
        Route::ContentList(s, k) => content::list(ctx, s, *k),
        Route::ContentItem(m, s, k, id) => match *m {
            Method::GET => content::get(ctx, s, *k, id),
            _ => content::update_owner(ctx, s, *k, id),
        },
    }
}

/// The session of the request's token.
pub fn session(ctx: &Ctx<'_>) -> Result<(String, Session), ApiError> {
    let token = ctx
        .headers
        .get("x-tableau-auth")
        .and_then(|v| v.to_str().ok())
        .filter(|t| !t.is_empty())
        .ok_or_else(ApiError::no_token)?;
    let s = ctx
        .inner
        .sessions
        .lock()
        .expect("sessions lock")
        .get(token)
        .map_err(|ended| match ended {
            // Tableau Cloud answers an expired session 401000.
            Ended::Expired if ctx.inner.cfg.expired_session_401000 => ApiError::session_expired(),
            _ => ApiError::unauthorized(),
        })?;
    Ok((token.to_string(), s))
}

/// Checks token, site and JWT scope; returns the session and site index.
pub fn authorize(
    ctx: &Ctx<'_>,
    site_luid: &str,
    scope: &str,
) -> Result<(Session, usize), ApiError> {
    let (_, s) = session(ctx)?;
    let idx = {
        let sites = ctx.inner.sites.read().expect("sites lock");
        sites
            .iter()
            .position(|x| x.id == site_luid)
            .ok_or_else(|| ApiError::site_not_found(site_luid))?
    };
    if idx != s.site {
        return Err(ApiError::unauthorized());
    }
    if let Some(scopes) = &s.scopes {
        if !scope_allows(scopes, scope) {
            return Err(ApiError::scope(scope));
        }
    }
    Ok((s, idx))
}

/// `fields=_all_` or an explicit list naming `name`.
pub fn wants_field(ctx: &Ctx<'_>, name: &str) -> bool {
    match ctx.query.get("fields") {
        Some(f) => f.split(',').any(|x| x == "_all_" || x == name),
        None => false,
    }
}
