//! Provisioning end to end through the library (no command runs it yet):
//! adding and updating users, adding members, creating and deleting
//! groups, against the simulator with a real SQLite store, journalled like
//! every action.

use crate::action_helpers::{empty_site, journal};
use crate::common::{Env, PAT_NAME, PAT_SECRET};
use tabgov::actions::group_admin::{add_member, create_group, delete_group, MemberOutcome};
use tabgov::actions::provision::{add_user, update_user, NewSiteUser, UserUpdate};
use tabgov::actions::scopes::{self};
use tabgov::actions::{ActionContext, ActionOptions, Verb};
use tabgov::credentials::{Credential, Scope};
use tabgov::transport::{Transport, TransportOptions};
use tabgov::{Error, Secret};
use tabgov_mapping::{AccountStatus, License, SiteRole};
use tabgov_state::{JournalAction, JournalState, Store};

/// Signs in to the simulator's default site with every scope provisioning
/// needs.
async fn connect(env: &Env) -> Transport {
    let mut options = TransportOptions::new(env.sim.base_url(), "");
    options.max_rps = 0;
    let credential = Credential::Pat {
        name: PAT_NAME.to_owned(),
        secret: Secret::new(PAT_SECRET),
    };
    let mut wanted: Vec<Scope> = [
        Verb::AddUser,
        Verb::UpdateUser,
        Verb::AddMember,
        Verb::CreateGroup,
        Verb::DeleteGroup,
    ]
    .into_iter()
    .flat_map(|v| scopes::for_verb(v).iter().copied())
    .collect();
    wanted.sort();
    wanted.dedup();
    Transport::connect(options, credential, &wanted)
        .await
        .unwrap()
}

/// A synced site, its store, and a transport to it.
async fn ready() -> (Env, Store, Transport) {
    let env = Env::start(empty_site()).await;
    env.sim.add_user("", "bob", "Viewer");
    env.sync(&[]).await.ok();
    let store = env.store().await;
    let transport = connect(&env).await;
    (env, store, transport)
}

fn dana() -> NewSiteUser {
    NewSiteUser {
        name: "dana".into(),
        site_role: SiteRole::Explorer,
        full_name: Some("Dana Scully".into()),
        email: Some("dana@example.com".into()),
        auth_setting: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_user_is_in_tableau_the_store_and_the_journal() {
    let (env, store, transport) = ready().await;
    let ctx = ActionContext::new(&transport, &store, ActionOptions::default())
        .await
        .unwrap();
    let record = add_user(&ctx, dana()).await.unwrap();
    let sim = env.sim.user_by_name("", "dana").expect("Tableau has dana");
    assert_eq!(sim.site_role, "Explorer");
    assert_eq!(sim.full_name.as_deref(), Some("Dana Scully"));
    assert_eq!(sim.email.as_deref(), Some("dana@example.com"));
    assert_eq!(record.account.id.as_str(), sim.id);
    assert_eq!(
        (record.status, record.license),
        (AccountStatus::Active, License::Explorer)
    );
    assert_eq!(record.account.email.as_deref(), Some("dana@example.com"));
    let listed = store.list_accounts(&Default::default()).await.unwrap();
    assert!(listed.iter().any(|a| a.account.name == "dana"));
    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = &entries[0];
    assert_eq!(
        (&e.intent.action, e.state),
        (&JournalAction::AddUser, JournalState::Completed)
    );
    assert_eq!(e.intent.target_user_id.as_str(), sim.id);
    assert_eq!(e.intent.target_user_name.as_deref(), Some("dana"));

    // The same name again: a typed conflict, nothing changed or journalled.
    let again = add_user(&ctx, dana()).await.unwrap_err();
    assert!(matches!(again, Error::AlreadyExists { .. }), "{again}");
    assert_eq!(journal(&env).await.len(), 1);
    let accounts = store.list_accounts(&Default::default()).await.unwrap();
    assert_eq!(accounts, listed, "the store is unchanged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_set_names_and_roles_but_never_demote_the_last_administrator() {
    let (env, store, transport) = ready().await;
    let ctx = ActionContext::new(&transport, &store, ActionOptions::default())
        .await
        .unwrap();
    let bob = env.sim.user_by_name("", "bob").unwrap();
    let update = UserUpdate {
        full_name: Some("Bob Ross".into()),
        email: Some("bob@example.com".into()),
        site_role: Some(SiteRole::Creator),
    };
    let record = update_user(&ctx, &bob.id.as_str().into(), update)
        .await
        .unwrap();
    let now = env.sim.user("", &bob.id).unwrap();
    assert_eq!(
        (
            now.site_role.as_str(),
            now.full_name.as_deref(),
            now.email.as_deref()
        ),
        ("Creator", Some("Bob Ross"), Some("bob@example.com"))
    );
    assert_eq!(record.license, License::Creator);
    assert_eq!(record.account.full_name.as_deref(), Some("Bob Ross"));
    let stored = store.account(ctx.site_key().unwrap(), &record.account.id);
    let stored = stored.await.unwrap().unwrap();
    assert_eq!(stored.account.email.as_deref(), Some("bob@example.com"));
    let e = journal(&env).await.pop().unwrap();
    assert_eq!(
        (&e.intent.action, e.state),
        (&JournalAction::UpdateUser, JournalState::Completed)
    );
    assert_eq!(e.intent.previous_site_role, Some(SiteRole::Viewer));

    // tabgov signs in as `admin`: make it a plain Creator, so `boss` is the
    // only site administrator; demoting boss is refused, nothing sent.
    let admin = env.sim.user_by_name("", "admin").unwrap();
    env.sim.set_site_role("", &admin.id, "Creator");
    let boss = env.sim.add_user("", "boss", "SiteAdministratorExplorer");
    let demote = UserUpdate {
        site_role: Some(SiteRole::Viewer),
        ..UserUpdate::default()
    };
    let refused = update_user(&ctx, &boss.id.as_str().into(), demote.clone()).await;
    let refused = refused.unwrap_err();
    assert!(matches!(refused, Error::Refused(_)), "{refused}");
    assert!(refused.to_string().contains("last site administrator"));
    assert_eq!(
        env.sim.user("", &boss.id).unwrap().site_role,
        "SiteAdministratorExplorer"
    );
    let own = update_user(&ctx, &admin.id.as_str().into(), demote).await;
    assert!(own.unwrap_err().to_string().contains("signs in with"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_is_added_once_and_groups_come_and_go() {
    let (env, store, transport) = ready().await;
    let ctx = ActionContext::new(&transport, &store, ActionOptions::default())
        .await
        .unwrap();
    let group = create_group(&ctx, "Finance").await.unwrap();
    assert!(!group.directory_synced);
    assert!(env.sim.groups("").iter().any(|g| g.id == group.id.as_str()));
    let taken = create_group(&ctx, "finance").await.unwrap_err();
    assert!(matches!(taken, Error::AlreadyExists { .. }), "{taken}");

    let bob = env.sim.user_by_name("", "bob").unwrap();
    let first = add_member(&ctx, &group.id, &bob.id.as_str().into()).await;
    assert_eq!(first.unwrap(), MemberOutcome::Added);
    let second = add_member(&ctx, &group.id, &bob.id.as_str().into()).await;
    assert_eq!(second.unwrap(), MemberOutcome::AlreadyMember);
    assert_eq!(env.sim.group_members("", group.id.as_str()).len(), 1);
    let joins: Vec<_> = journal(&env)
        .await
        .into_iter()
        .filter(|e| e.intent.action == JournalAction::AddMember)
        .map(|e| e.state)
        .collect();
    assert_eq!(joins, [JournalState::Completed, JournalState::Noop]);
    let site = ctx.site_key().unwrap();
    let stored = store.account(site, &bob.id.as_str().into()).await.unwrap();
    assert_eq!(stored.unwrap().groups, ["Finance"]);

    delete_group(&ctx, &group.id).await.unwrap();
    assert!(!env.sim.groups("").iter().any(|g| g.id == group.id.as_str()));
    assert!(env.sim.user("", &bob.id).is_some(), "members stay");
    let names: Vec<String> = store
        .list_groups(site)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert!(!names.contains(&"Finance".to_owned()), "{names:?}");
    let gone = delete_group(&ctx, &group.id).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone}");
    let actions: Vec<_> = journal(&env)
        .await
        .into_iter()
        .map(|e| (e.intent.action, e.state))
        .collect();
    assert!(actions.contains(&(JournalAction::CreateGroup, JournalState::Completed)));
    assert!(actions.contains(&(JournalAction::DeleteGroup, JournalState::Completed)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_groups_and_all_users_are_never_deleted() {
    let (env, store, transport) = ready().await;
    let ctx = ActionContext::new(&transport, &store, ActionOptions::default())
        .await
        .unwrap();
    let synced = env.sim.add_group("", "Engineering", None, None);
    env.sim
        .set_group_grant("", &synced.id, None, None, "corp.example.com");
    let refused = delete_group(&ctx, &synced.id.as_str().into()).await;
    match refused.unwrap_err() {
        Error::DirectoryGroup { name, domain } => {
            assert_eq!(
                (name.as_str(), domain.as_str()),
                ("Engineering", "corp.example.com")
            )
        }
        other => panic!("{other}"),
    }
    let groups = env.sim.groups("");
    let all = groups.iter().find(|g| g.name == "All Users").unwrap();
    let refused = delete_group(&ctx, &all.id.as_str().into()).await;
    assert!(matches!(refused.unwrap_err(), Error::Refused(_)));
    assert!(env.sim.groups("").iter().any(|g| g.id == synced.id));
    assert!(journal(&env).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_changes_nothing() {
    let (env, store, transport) = ready().await;
    let options = ActionOptions {
        dry_run: true,
        ..ActionOptions::default()
    };
    let ctx = ActionContext::new(&transport, &store, options)
        .await
        .unwrap();
    let users_before = env.sim.users("").len();
    let groups_before = env.sim.groups("").len();
    let accounts_before = store.list_accounts(&Default::default()).await.unwrap();
    let planned = add_user(&ctx, dana()).await.unwrap_err();
    assert!(matches!(planned, Error::Planned(_)), "{planned}");
    assert!(planned.to_string().contains("would add dana"), "{planned}");
    let planned = create_group(&ctx, "Finance").await.unwrap_err();
    assert!(matches!(planned, Error::Planned(_)), "{planned}");
    let bob = env.sim.user_by_name("", "bob").unwrap();
    let update = UserUpdate {
        email: Some("new@example.com".into()),
        ..UserUpdate::default()
    };
    let planned = update_user(&ctx, &bob.id.as_str().into(), update).await;
    assert!(matches!(planned.unwrap_err(), Error::Planned(_)));
    let all = env.sim.groups("").into_iter().next().unwrap();
    let planned = add_member(&ctx, &all.id.as_str().into(), &bob.id.as_str().into()).await;
    // Everyone is in "All Users": nothing to plan, and nothing journalled.
    assert_eq!(planned.unwrap(), MemberOutcome::AlreadyMember);
    assert_eq!(env.sim.users("").len(), users_before);
    assert_eq!(env.sim.groups("").len(), groups_before);
    assert_eq!(env.sim.user("", &bob.id).unwrap().email, bob.email);
    let accounts = store.list_accounts(&Default::default()).await.unwrap();
    assert_eq!(accounts, accounts_before);
    assert!(journal(&env).await.is_empty());
}
