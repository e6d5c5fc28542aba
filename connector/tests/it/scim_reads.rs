//! The SCIM face's reads end to end: users and groups from the store as
//! SCIM resources, the look-ups identity providers make, paging, attribute
//! selection, and the errors a client gets for a bad token or query.

use reqwest::Method;
use tableau_sim::SimConfig;

use crate::common::serve::{ServeConfig, Served};
use crate::common::Env;

async fn started(users: usize) -> (Env, Served) {
    let env = Env::start(SimConfig::new().users(users).groups(3).seed(21)).await;
    let served = env.serve(ServeConfig::default()).await;
    served.wait_for_success(0).await;
    (env, served)
}

#[tokio::test]
async fn users_are_found_by_user_name_and_read_by_id() {
    let (env, served) = started(12).await;
    let someone = env.sim.users("")[3].clone();

    let filter = format!(
        "/Users?filter=userName%20eq%20%22{}%22",
        someone.name.to_uppercase()
    );
    let found = served.scim(Method::GET, &filter, None).await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(
        found.headers["content-type"].to_str().unwrap(),
        "application/scim+json"
    );
    let list = found.json();
    assert_eq!(
        list["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    );
    assert_eq!(
        list["totalResults"], 1,
        "userName compares in any case: {list}"
    );
    let user = &list["Resources"][0];
    assert_eq!(user["id"], someone.id.as_str());
    assert_eq!(user["userName"], someone.name.as_str());
    assert_eq!(user["active"], someone.site_role != "Unlicensed");
    let location = user["meta"]["location"].as_str().unwrap();
    assert!(
        location.ends_with(&format!("/scim/v2/main/Users/{}", someone.id)),
        "{location}"
    );
    let ext = &user["urn:tabgov:params:scim:schemas:extension:tableau:2.0:User"];
    assert_eq!(ext["siteRole"], someone.site_role.as_str());

    let one = served
        .scim(Method::GET, &format!("/Users/{}", someone.id), None)
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(one.json()["userName"], someone.name.as_str());

    // Attribute selection: id and schemas always come back.
    let narrow = served
        .scim(
            Method::GET,
            &format!("/Users/{}?attributes=userName", someone.id),
            None,
        )
        .await
        .json();
    assert_eq!(narrow["userName"], someone.name.as_str());
    assert!(
        narrow.get("id").is_some() && narrow.get("emails").is_none(),
        "{narrow}"
    );

    let missing = served.scim(Method::GET, "/Users/no-such-user", None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["status"], "404");
}

#[tokio::test]
async fn user_pages_cover_the_site_once_and_counts_are_capped() {
    let (env, served) = started(30).await;
    let on_site = env.sim.users("").len();
    let mut seen = std::collections::BTreeSet::new();
    let mut start = 1;
    loop {
        let page = served
            .scim(
                Method::GET,
                &format!("/Users?startIndex={start}&count=7"),
                None,
            )
            .await
            .json();
        assert_eq!(page["totalResults"], on_site);
        assert_eq!(page["startIndex"], start);
        let items = page["Resources"].as_array().unwrap();
        assert_eq!(page["itemsPerPage"], items.len());
        if items.is_empty() {
            break;
        }
        for u in items {
            assert!(
                seen.insert(u["id"].as_str().unwrap().to_owned()),
                "repeated {u}"
            );
        }
        start += items.len();
    }
    assert_eq!(seen.len(), on_site);
    let capped = served
        .scim(Method::GET, "/Users?count=5000", None)
        .await
        .json();
    assert_eq!(
        capped["itemsPerPage"], on_site,
        "a count over 1000 is lowered, not refused"
    );
}

#[tokio::test]
async fn bad_queries_and_tokens_get_scim_errors() {
    let (_env, served) = started(5).await;
    let bad = served
        .scim(Method::GET, "/Users?filter=userName%20eq", None)
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    let error = bad.json();
    assert_eq!(
        error["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    assert_eq!(error["scimType"], "invalidFilter");
    assert_eq!(error["status"], "400");

    let ordering = served
        .scim(Method::GET, "/Users?filter=active%20gt%20true", None)
        .await;
    assert_eq!(ordering.status, 400, "{}", ordering.body);
    assert_eq!(ordering.json()["scimType"], "invalidFilter");

    let path = "/scim/v2/main/Users";
    let none = served.call(Method::GET, path, None, None, &[]).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.json()["status"], "401");
    let wrong = served
        .call(Method::GET, path, Some("tg_nope"), None, &[])
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body, none.body, "no hint of which tokens exist");
    let read = served
        .call(Method::GET, path, Some(&served.read), None, &[])
        .await;
    assert_eq!(read.status, 403, "{}", read.body);
    // And the scim token opens nothing under /v1.
    let v1 = served
        .call(Method::GET, "/v1/accounts", Some(&served.scim), None, &[])
        .await;
    assert_eq!(v1.status, 403);

    let site = served.scim(Method::GET, "/../nowhere/Users", None).await;
    assert_ne!(site.status, 200);
    let unknown_site = served
        .call(
            Method::GET,
            "/scim/v2/nowhere/Users",
            Some(&served.scim),
            None,
            &[],
        )
        .await;
    assert_eq!(unknown_site.status, 404, "{}", unknown_site.body);
}

#[tokio::test]
async fn groups_are_found_by_name_with_their_members() {
    let (env, served) = started(15).await;
    let group = env
        .sim
        .groups("")
        .into_iter()
        .find(|g| g.name != "All Users" && !env.sim.group_members("", &g.id).is_empty())
        .expect("a group with members");
    let members = env.sim.group_members("", &group.id);
    let filter = format!(
        "/Groups?filter=displayName%20eq%20%22{}%22",
        group.name.replace(' ', "%20")
    );
    let found = served.scim(Method::GET, &filter, None).await.json();
    assert_eq!(found["totalResults"], 1, "{found}");
    let g = &found["Resources"][0];
    assert_eq!(g["id"], group.id.as_str());
    let listed: std::collections::BTreeSet<String> = g["members"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| m["value"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let want: std::collections::BTreeSet<String> = members.into_iter().collect();
    assert_eq!(listed, want);

    let lean = served
        .scim(
            Method::GET,
            &format!("{filter}&excludedAttributes=members"),
            None,
        )
        .await
        .json();
    assert!(lean["Resources"][0].get("members").is_none(), "{lean}");

    // Paged by position over the site's groups, by name.
    let all = served
        .scim(Method::GET, "/Groups?excludedAttributes=members", None)
        .await
        .json();
    let total = all["totalResults"].as_u64().unwrap();
    assert!(total >= 2, "{all}");
    let second = served
        .scim(Method::GET, "/Groups?startIndex=2&count=1", None)
        .await
        .json();
    assert_eq!(second["totalResults"], total);
    assert_eq!(second["itemsPerPage"], 1);
    assert_eq!(second["Resources"][0]["id"], all["Resources"][1]["id"]);
    let one = served
        .scim(Method::GET, &format!("/Groups/{}", group.id), None)
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["displayName"], group.name.as_str());
}
