//! `tabgov offboard` end to end: a CSV of leavers, validated as a whole
//! (one bad row changes nothing and names its line), then carried out row
//! by row with a result per row.

use crate::action_helpers;
use crate::common;

use action_helpers::{act, act_stdin, assert_exit, empty_site, journal};
use common::Env;
use tabgov_state::{JournalAction, JournalState};

/// A site with three leavers: alice and bob (Creators), carol (owns a
/// workbook), and their manager mia.
async fn leavers() -> Env {
    let env = Env::start(empty_site()).await;
    env.sim.add_user("", "alice", "Creator");
    env.sim.add_user("", "bob", "Creator");
    let carol = env.sim.add_user("", "carol", "Explorer");
    env.sim.add_user("", "mia", "Creator");
    env.sim
        .give_content("", &carol.id, "workbook", "Carol's Dashboard");
    env.sync(&[]).await.ok();
    env
}

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn roles(env: &Env) -> Vec<(String, String)> {
    env.sim
        .users("")
        .into_iter()
        .map(|u| (u.name, u.site_role))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_unknown_user_refuses_the_file_and_names_the_line() {
    let env = leavers().await;
    let before = roles(&env);
    let file = write(
        &env,
        "leavers.csv",
        "user,action,reason\nalice,suspend,left\n\nghost@example.com,deprovision,left\nbob,deprovision,left\n",
    );
    let run = act(&env, "offboard", &["--file", &file]).await;
    assert_exit(&run, 2);
    assert!(
        run.stderr.contains("line 4: no user 'ghost@example.com'"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("line 2") && !run.stderr.contains("line 5"),
        "{}",
        run.stderr
    );
    assert_eq!(roles(&env), before);
    assert!(journal(&env).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rows_are_all_named_before_anything_changes() {
    let env = leavers().await;
    let before = roles(&env);
    let file = write(
        &env,
        "leavers.csv",
        "user,action\nalice,suspend\nbob,fire\nALICE@example.com,deprovision\ncarol,\n",
    );
    let run = act(&env, "offboard", &["--file", &file]).await;
    assert_exit(&run, 2);
    for expected in [
        "line 3: unknown action 'fire'",
        "line 5: no action: fill the action column or pass --action",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
    // The same person by name and by email is a duplicate, found once the
    // names are resolved (the file's own problems come first).
    let file = write(
        &env,
        "dupes.csv",
        "user,action\nalice,suspend\nALICE@example.com,deprovision\n",
    );
    let run = act(&env, "offboard", &["--file", &file]).await;
    assert_exit(&run, 2);
    assert!(
        run.stderr
            .contains("line 3: duplicate: 'ALICE@example.com' is the same user as line 2"),
        "{}",
        run.stderr
    );
    assert_eq!(roles(&env), before);
    assert!(journal(&env).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_file_is_carried_out_with_a_result_per_row() {
    let env = leavers().await;
    let file = write(
        &env,
        "leavers.csv",
        "User,Action,Transfer_To,Reason,Ticket\n\
         alice,,,long leave,HR-7\n\
         bob@example.com,deprovision,,left,HR-8\n\
         carol,deprovision,mia,left,HR-9\n",
    );
    let run = act(
        &env,
        "offboard",
        &[
            "--file", &file, "--action", "suspend", "--actor", "hr-feed", "--format", "csv",
        ],
    )
    .await
    .ok();
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let summary: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (&r[col("line")], &r[col("action")], &r[col("result")]))
        .collect();
    assert_eq!(
        summary,
        [
            ("2", "suspend", "completed"),
            ("3", "deprovision", "completed"),
            ("4", "deprovision", "completed")
        ]
    );

    let alice = env.sim.user_by_name("", "alice").unwrap();
    assert_eq!(alice.site_role, "Unlicensed");
    assert!(env.sim.user_by_name("", "bob").is_none());
    assert!(env.sim.user_by_name("", "carol").is_none());
    let mia = env.sim.user_by_name("", "mia").unwrap();
    assert_eq!(
        env.sim.owned_content("", &mia.id).len(),
        1,
        "carol's workbook is mia's"
    );

    let entries = journal(&env).await;
    let seen: Vec<(JournalAction, JournalState, Option<&str>, Option<&str>)> = entries
        .iter()
        .map(|e| {
            (
                e.intent.action.clone(),
                e.state,
                e.intent.ticket.as_deref(),
                e.intent.actor.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                JournalAction::Suspend,
                JournalState::Completed,
                Some("HR-7"),
                Some("hr-feed")
            ),
            (
                JournalAction::Deprovision,
                JournalState::Completed,
                Some("HR-8"),
                Some("hr-feed")
            ),
            (
                JournalAction::Deprovision,
                JournalState::Completed,
                Some("HR-9"),
                Some("hr-feed")
            ),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_on_standard_input_can_be_planned() {
    let env = leavers().await;
    let before = roles(&env);
    let run = act_stdin(
        &env,
        "offboard",
        &[
            "--file",
            "-",
            "--action",
            "deprovision",
            "--on-content",
            "suspend",
            "--dry-run",
            "--format",
            "json",
        ],
        "user\nalice\ncarol\n",
    )
    .await;
    assert_exit(&run, 0);
    let rows = run.json();
    assert_eq!(
        rows[0]["detail"],
        "would remove alice from the site (owns no content)"
    );
    assert_eq!(rows[1]["action"], "suspend", "{rows}");
    assert_eq!(rows[1]["result"], "planned");
    assert_eq!(roles(&env), before);
    assert!(journal(&env).await.is_empty());
}
