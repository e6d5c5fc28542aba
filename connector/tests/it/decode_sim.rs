//! The request builders and decoders against the simulator, in both its
//! answer formats: every decoder reads what the simulator emits and agrees
//! with the simulator's own state. Requests go out through a bare reqwest
//! call, so this exercises `api` alone, not `transport`.

use std::collections::{BTreeMap, BTreeSet};

use tabgov::api::auth::{self, SignInCredential};
use tabgov::api::content::{self, decode_content};
use tabgov::api::error_body::decode_error;
use tabgov::api::groups::{self, decode_groups, decode_member_ids};
use tabgov::api::users::{self, decode_updated_user, decode_user, decode_users};
use tabgov::api::{ApiRequest, Method, PageRequest};
use tabgov_mapping::{ContentKind, GrantLicenseMode, GroupId, SiteLuid, SiteRole, UserId};
use tableau_sim::{SimConfig, Simulator};

struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    /// Sends `req`; returns the status and body. `json` asks for JSON.
    async fn send_as(&self, req: &ApiRequest, json: bool) -> (u16, Vec<u8>) {
        let url = format!("{}/api/3.21/{}", self.base, req.path);
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut r = self.http.request(method, url).query(&req.query);
        if let Some(t) = &self.token {
            r = r.header("X-Tableau-Auth", t);
        }
        if json {
            r = r.header("Accept", "application/json");
        }
        if let Some(b) = &req.body {
            r = r.header("Content-Type", "application/xml").body(b.clone());
        }
        let resp = r.send().await.expect("simulator reachable");
        let status = resp.status().as_u16();
        (status, resp.bytes().await.expect("body").to_vec())
    }

    /// Sends `req` and expects success.
    async fn ok(&self, req: &ApiRequest) -> Vec<u8> {
        let (status, body) = self.send_as(req, false).await;
        assert!(
            status < 300,
            "{req:?}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        body
    }
}

const ALL: PageRequest = PageRequest {
    number: 1,
    size: 1000,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decoders_read_what_the_simulator_emits() {
    let sim = Simulator::start(SimConfig::new().users(60).groups(8).seed(7))
        .await
        .expect("simulator starts");
    let mut c = Client {
        http: reqwest::Client::new(),
        base: sim.base_url(),
        token: None,
    };

    let info = auth::decode_server_info(&c.ok(&auth::server_info()).await).unwrap();
    assert_eq!(info.rest_api_version, "3.21");
    assert!(info.product_version.is_some() && info.build.is_some());

    let bad = SignInCredential::Pat {
        name: "admin-pat",
        secret: "wrong",
    };
    let (status, body) = c.send_as(&auth::sign_in(&bad, ""), false).await;
    assert!(decode_error(status, &body).is(tabgov::ErrorCode::SIGN_IN_FAILED));
    let pat = SignInCredential::Pat {
        name: "admin-pat",
        secret: "admin-secret",
    };
    let session = auth::decode_sign_in(&c.ok(&auth::sign_in(&pat, "")).await).unwrap();
    let site = SiteLuid::new(sim.site_id(""));
    assert_eq!(
        (session.site_id.as_str(), session.site_content_url.as_str()),
        (site.as_str(), "")
    );
    c.token = Some(session.token.expose().to_owned());

    // Users: every attribute agrees with the simulator's state.
    let page = decode_users(&c.ok(&users::list_users(&site, ALL)).await).unwrap();
    let expected = sim.users("");
    assert_eq!(
        (page.total_available as usize, page.items.len()),
        (expected.len(), expected.len())
    );
    let by_id: BTreeMap<_, _> = page.items.iter().map(|a| (a.id.clone(), a)).collect();
    for u in &expected {
        let a = by_id[u.id.as_str()];
        assert_eq!(
            (&a.name, &a.email, &a.full_name),
            (&u.name, &u.email, &u.full_name)
        );
        assert_eq!(a.site_role, SiteRole::parse(&u.site_role));
        assert_eq!(
            a.last_login.map(|t| t.timestamp()),
            u.last_login.map(|t| t.timestamp())
        );
    }
    let small = decode_users(
        &c.ok(&users::list_users(&site, PageRequest::new(2, 7)))
            .await,
    )
    .unwrap();
    assert_eq!((small.number, small.size, small.items.len()), (2, 7, 7));
    assert_eq!(small.items[0].id, page.items[7].id);

    let someone = &expected[expected.len() / 2];
    let found = decode_users(&c.ok(&users::find_user_by_name(&site, &someone.name)).await).unwrap();
    assert_eq!(
        found
            .items
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        [someone.id.as_str()]
    );
    let one = decode_user(&c.ok(&users::get_user(&site, &uid(&someone.id))).await).unwrap();
    assert_eq!(
        (one.name.as_str(), one.domain.as_deref()),
        (someone.name.as_str(), Some(someone.domain.as_str()))
    );
    assert_eq!(
        one.auth_setting.as_deref(),
        Some(someone.auth_setting.as_str())
    );
    let (status, body) = c
        .send_as(&users::get_user(&site, &uid("no-such-user")), false)
        .await;
    assert!(decode_error(status, &body).is(tabgov::ErrorCode::USER_NOT_FOUND));
    let (status, body) = c
        .send_as(&users::get_user(&site, &uid("no-such-user")), true)
        .await;
    let e = decode_error(status, &body);
    assert!(
        e.is(tabgov::ErrorCode::USER_NOT_FOUND) && !e.summary.is_empty(),
        "{e:?}"
    );

    // Groups, including a grant-licence one, and their members.
    let granting = sim.add_group("", "Granting", Some("Explorer"), Some("onLogin"));
    let page = decode_groups(&c.ok(&groups::list_groups(&site, ALL)).await).unwrap();
    let expected = sim.groups("");
    assert_eq!(page.items.len(), expected.len());
    for g in &expected {
        let d = page
            .items
            .iter()
            .find(|d| d.id == g.id)
            .expect("group listed");
        assert_eq!(
            (&d.name, d.domain.as_deref()),
            (&g.name, Some(g.domain.as_str()))
        );
        assert_eq!(
            d.minimum_site_role,
            g.minimum_site_role.as_deref().map(SiteRole::parse)
        );
        assert_eq!(
            d.grant_license_mode,
            g.grant_license_mode.as_deref().map(GrantLicenseMode::parse)
        );
        let members =
            decode_member_ids(&c.ok(&groups::group_members(&site, &gid(&g.id), ALL)).await)
                .unwrap();
        let want: BTreeSet<_> = sim.group_members("", &g.id).into_iter().collect();
        assert_eq!(
            members
                .items
                .into_iter()
                .map(UserId::into_string)
                .collect::<BTreeSet<_>>(),
            want,
            "{}",
            g.name
        );
    }
    let of_user = decode_groups(
        &c.ok(&users::groups_of_user(&site, &uid(&someone.id), ALL))
            .await,
    )
    .unwrap();
    let want: BTreeSet<_> = sim.user_groups("", &someone.id).into_iter().collect();
    assert_eq!(
        of_user
            .items
            .iter()
            .map(|g| g.id.to_string())
            .collect::<BTreeSet<_>>(),
        want
    );

    let added = decode_user(
        &c.ok(&groups::add_member(
            &site,
            &gid(&granting.id),
            &uid(&someone.id),
        ))
        .await,
    )
    .unwrap();
    assert_eq!(added.id, someone.id);
    let (status, body) = c
        .send_as(
            &groups::add_member(&site, &gid(&granting.id), &uid(&someone.id)),
            false,
        )
        .await;
    assert!(decode_error(status, &body).is(tabgov::ErrorCode::ALREADY_MEMBER));
    c.ok(&groups::remove_member(
        &site,
        &gid(&granting.id),
        &uid(&someone.id),
    ))
    .await;
    assert!(sim.group_members("", &granting.id).is_empty());

    // Content: every item of every kind, with its owner.
    let mut owned: BTreeMap<(ContentKind, String), String> = BTreeMap::new();
    for u in sim.users("") {
        for item in sim.owned_content("", &u.id) {
            let kind = ContentKind::parse(&item.kind).expect("known kind");
            owned.insert((kind, item.id), u.id.clone());
        }
    }
    assert!(!owned.is_empty());
    for kind in ContentKind::ALL {
        let page =
            decode_content(kind, &c.ok(&content::list_content(&site, kind, ALL)).await).unwrap();
        assert_eq!(page.items.len() as u64, page.total_available);
        for item in page.items {
            let key = (kind, item.id.clone());
            assert_eq!(
                item.owner_id.as_ref(),
                owned.get(&key),
                "{kind} {}",
                item.id
            );
        }
    }
    let (owner, theirs) = sim
        .users("")
        .into_iter()
        .map(|u| {
            let items = sim.owned_content("", &u.id);
            (u, items)
        })
        // Still an owner after one workbook moves away, so the removal
        // below meets 409003.
        .find(|(u, items)| {
            u.name != "admin" && items.len() > 1 && items.iter().any(|i| i.kind == "workbook")
        })
        .expect("a user owning a workbook and more");
    let books = decode_content(
        ContentKind::Workbook,
        &c.ok(&users::owned_workbooks(&site, &uid(&owner.id), ALL))
            .await,
    )
    .unwrap();
    let want = theirs.iter().filter(|i| i.kind == "workbook").count();
    assert_eq!(books.items.len(), want);
    assert!(books
        .items
        .iter()
        .all(|i| i.owner_id.as_deref() == Some(owner.id.as_str())));
    let flows = decode_content(
        ContentKind::Flow,
        &c.ok(&users::owned_flows(&site, &uid(&owner.id), ALL)).await,
    )
    .unwrap();
    assert_eq!(
        flows.items.len(),
        theirs.iter().filter(|i| i.kind == "flow").count()
    );

    // Suspension and removal.
    let updated = decode_updated_user(
        &c.ok(&users::update_site_role(
            &site,
            &uid(&owner.id),
            &SiteRole::Viewer,
        ))
        .await,
    )
    .unwrap();
    assert_eq!(
        (updated.name.as_deref(), updated.site_role),
        (Some(owner.name.as_str()), SiteRole::Viewer)
    );
    let (status, body) = c
        .send_as(&users::remove_user(&site, &uid(&owner.id), None), false)
        .await;
    let conflict = decode_error(status, &body);
    assert!(
        conflict.is(tabgov::ErrorCode::USER_OWNS_CONTENT),
        "{conflict:?}"
    );
    assert_eq!(
        sim.user("", &owner.id).map(|u| u.site_role),
        Some("Unlicensed".to_owned())
    );
    c.ok(&users::remove_user(
        &site,
        &uid(&owner.id),
        Some(&uid(&someone.id)),
    ))
    .await;
    assert!(sim.user("", &owner.id).is_none());

    c.ok(&auth::sign_out()).await;
    let (status, body) = c.send_as(&users::list_users(&site, ALL), false).await;
    assert!(decode_error(status, &body).code.as_str().starts_with("401"));
    sim.stop().await;
}

/// The simulator's user id (a string) as the client's typed id.
fn uid(id: &str) -> UserId {
    UserId::from(id)
}

/// The simulator's group id (a string) as the client's typed id.
fn gid(id: &str) -> GroupId {
    GroupId::from(id)
}
