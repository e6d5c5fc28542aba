//! The store as the command line meets it: a bad --db, a store from a newer
//! tabgov, a read-only store, the record of a failed run, and what stderr
//! looks like when it is not a terminal.

use crate::common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use common::bare::tabgov_bare;
use common::settle::settle;
use common::{Env, Run, PAT_SECRET};
use sqlx::{ConnectOptions, Connection};
use tableau_sim::SimConfig;

async fn synced(seed: u64) -> Env {
    let env = Env::start(SimConfig::new().users(20).groups(3).seed(seed)).await;
    env.sync(&[]).await.ok();
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_db_is_a_usage_error_and_an_unreachable_postgres_is_named_without_its_password() {
    let env = Env::start(SimConfig::new()).await;
    let conn = env.conn();
    let mut sync: Vec<&str> = vec!["sync"];
    sync.extend(conn.iter().map(String::as_str));
    let secret = [("TABGOV_PAT_SECRET", PAT_SECRET)];
    for command in [vec!["accounts"], sync] {
        let mut args = vec!["--db", ""];
        args.extend(&command);
        let run = tabgov_bare(env.dir.path(), &args, &secret).await;
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains("--db is empty"), "{}", run.stderr);

        // A loopback port nobody listens on: refused at once.
        let nobody = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = nobody.local_addr().unwrap().port();
        drop(nobody);
        let url = format!("postgres://tabgov:hunter2@127.0.0.1:{port}/tabgov");
        let mut args = vec!["--db", url.as_str()];
        args.extend(&command);
        let run = tabgov_bare(env.dir.path(), &args, &secret).await;
        assert_eq!(run.code, 1, "{run:?}");
        assert!(
            run.stderr.contains("cannot connect to the store")
                && run.stderr.contains("tabgov:***@127.0.0.1"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    }
    // TABGOV_DB set to nothing is the same mistake.
    let mut env_vars = secret.to_vec();
    env_vars.push(("TABGOV_DB", ""));
    let run = tabgov_bare(env.dir.path(), &["accounts"], &env_vars).await;
    assert_eq!(run.code, 2, "{run:?}");
    let entries = std::fs::read_dir(env.dir.path()).unwrap().count();
    assert_eq!(entries, 0, "no store was created anywhere");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_in_a_missing_directory_is_a_usage_error_naming_it() {
    let env = Env::start(SimConfig::new()).await;
    let conn = env.conn();
    let mut sync: Vec<&str> = vec!["sync"];
    sync.extend(conn.iter().map(String::as_str));
    let secret = [("TABGOV_PAT_SECRET", PAT_SECRET)];
    let db = env.dir.path().join("no-such-dir").join("tabgov.db");
    let db = db.to_str().unwrap();
    for command in [vec!["accounts"], sync] {
        let mut args = vec!["--db", db];
        args.extend(&command);
        let run = tabgov_bare(env.dir.path(), &args, &secret).await;
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr
                .contains("no-such-dir for the store does not exist: create it"),
            "{}",
            run.stderr
        );
    }
    assert!(!env.dir.path().join("no-such-dir").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_from_a_newer_tabgov_is_refused_and_never_altered() {
    let env = synced(61).await;
    let store = env.raw_db().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (20991231, 'a later tabgov', 1, x'00', 1)",
    )
    .execute(&store)
    .await
    .unwrap();
    store.close().await;
    settle(&env).await;
    let file = env.dir.path().join("tabgov.db");
    let before = std::fs::read(&file).unwrap();
    for args in [
        vec!["accounts"],
        vec!["report", "licenses"],
        env.sync_args(&env.conn(), &[]),
    ] {
        let run = env.tabgov(&args).await;
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains("newer tabgov") && run.stderr.contains("upgrade tabgov"),
            "{}",
            run.stderr
        );
        assert!(
            std::fs::read(&file).unwrap() == before,
            "{args:?} altered the store"
        );
    }
}

/// Runs tabgov as a user that cannot write what the test made read-only:
/// `nobody` when the tests run as root (root writes anyway), else ourselves.
async fn tabgov_as(env: &Env, nobody: bool, args: &[&str]) -> Run {
    let mut cmd = env.command(&env.db(), args, &[("TABGOV_PAT_SECRET", PAT_SECRET)]);
    if nobody {
        cmd.uid(NOBODY).gid(NOBODY);
    }
    let out = cmd.output().await.expect("tabgov runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const NOBODY: u32 = 65534;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The store's lock files.
fn lock_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lock"))
        .collect()
}

const READERS: [&[&str]; 5] = [
    &["accounts", "--format", "json"],
    &["groups"],
    &["changes", "--format", "csv"],
    &["review", "export"],
    &["report", "licenses", "--format", "csv"],
];

/// A review sheet revoking `user`'s site role, in a directory anyone may
/// read (the store's directory may be read-only).
fn revoke_sheet(export: &str, user: &str) -> tempfile::TempDir {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(export.as_bytes());
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (u, k, d) = (col("username"), col("entitlement"), col("decision"));
    let row = rows
        .iter()
        .position(|r| r[u] == user && r[k] == "site_role")
        .unwrap();
    rows[row][d] = "revoke".to_owned();
    let mut sheet = csv::Writer::from_writer(Vec::new());
    for r in &rows {
        sheet.write_record(r).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o755);
    let path = dir.path().join("review.csv");
    std::fs::write(&path, sheet.into_inner().unwrap()).unwrap();
    chmod(&path, 0o644);
    dir
}

/// The readers print what they printed from the writable store, and dry
/// runs (which change nothing) plan as usual; a writer fails with one
/// sentence.
async fn readers_work_and_writers_fail(env: &Env, nobody: bool, expected: &[String], case: &str) {
    for (args, before) in READERS.iter().zip(expected) {
        let run = tabgov_as(env, nobody, args).await;
        assert_eq!(run.code, 0, "{case}: {args:?}: {run:?}");
        assert_eq!(&run.stdout, before, "{case}: {args:?}");
    }
    let conn = env.conn();
    let user = env.sim.users("")[3].name.clone();
    let sheet = revoke_sheet(&expected[3], &user);
    let sheet = sheet.path().join("review.csv");
    for dry_run in [
        vec!["suspend", &user, "--dry-run"],
        vec!["review", "apply", sheet.to_str().unwrap(), "--dry-run"],
    ] {
        let mut args = dry_run.clone();
        args.extend(conn.iter().map(String::as_str));
        let run = tabgov_as(env, nobody, &args).await;
        assert_eq!(run.code, 0, "{case}: {dry_run:?}: {run:?}");
        assert!(run.stdout.contains("planned"), "{case}: {}", run.stdout);
    }
    let run = tabgov_as(env, nobody, &env.sync_args(&conn, &[])).await;
    assert_eq!(run.code, 1, "{case}: {run:?}");
    assert!(
        run.stderr.contains("cannot be written") && run.stderr.contains("read-only"),
        "{case}: {}",
        run.stderr
    );
    assert_eq!(
        run.stderr.trim().lines().count(),
        1,
        "{case}: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_store_is_read_and_not_written() {
    let env = synced(62).await;
    let mut expected = Vec::new();
    for args in READERS {
        expected.push(env.tabgov(args).await.ok().stdout);
    }
    settle(&env).await;
    let dir = env.dir.path();
    let file = dir.join("tabgov.db");
    let before = std::fs::read(&file).unwrap();
    let root = std::fs::metadata(&file).unwrap().uid() == 0;

    // A read-only directory (the store file itself writable by its owner).
    if root {
        // `nobody` may read what root wrote, and write none of it.
        chmod(&file, 0o644);
        for path in lock_files(dir) {
            chmod(&path, 0o644);
        }
    }
    chmod(dir, 0o555);
    readers_work_and_writers_fail(&env, root, &expected, "read-only directory").await;
    chmod(dir, 0o755);

    // A read-only store file in a directory that can be written.
    chmod(&file, 0o444);
    if root {
        std::os::unix::fs::chown(dir, Some(NOBODY), Some(NOBODY)).unwrap();
        for path in lock_files(dir) {
            std::fs::remove_file(path).unwrap();
        }
    }
    readers_work_and_writers_fail(&env, root, &expected, "read-only file").await;
    assert!(std::fs::read(&file).unwrap() == before, "never altered");
    chmod(&file, 0o600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sync_records_the_requests_it_sent() {
    let env = synced(63).await;
    for user in env
        .sim
        .users("")
        .iter()
        .filter(|u| u.name != "admin")
        .take(15)
    {
        env.sim.remove_user("", &user.id);
    }
    let served_before = env.sim.request_count();
    let run = env.sync(&[]).await;
    assert_eq!(run.code, 3, "the mass-removal guard refuses: {run:?}");
    let served = env.sim.request_count() - served_before;

    let store = env.store().await;
    let runs = store.list_runs(None).await.unwrap();
    store.close().await;
    let refused = &runs[0];
    assert_eq!(refused.status, tabgov_state::RunStatus::Refused);
    assert!(refused.traffic.pages > 0, "{refused:?}");
    assert!(
        refused.traffic.requests > 0 && refused.traffic.requests as u64 <= served,
        "recorded {} requests, the server answered {served}: {refused:?}",
        refused.traffic.requests
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stderr_that_is_no_terminal_gets_no_colours() {
    let env = Env::start(SimConfig::new().users(5).seed(64)).await;
    let conn = env.conn();
    let mut args = vec!["-vv"];
    args.extend(env.sync_args(&conn, &[]));
    let run = env.tabgov(&args).await.ok();
    assert!(
        run.stderr.contains("DEBUG") || run.stderr.contains("INFO"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
}

/// `args` run by a user that cannot write `dir` (made read-only here).
async fn in_read_only_dir(env: &Env, db: &str, args: &[&str]) -> Run {
    let dir = env.dir.path();
    let nobody = std::fs::metadata(dir).unwrap().uid() == 0;
    chmod(dir, 0o555);
    let mut cmd = env.command(db, args, &[]);
    if nobody {
        cmd.uid(NOBODY).gid(NOBODY);
    }
    let out = cmd.output().await.expect("tabgov runs");
    chmod(dir, 0o755);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_finding_no_store_in_a_read_only_directory_is_told_so() {
    let env = Env::start(SimConfig::new().users(10)).await;
    let missing = env.dir.path().join("missing.db");
    let db = format!("sqlite://{}", missing.display());
    let run = in_read_only_dir(&env, &db, &["accounts"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(&format!(
            "no store at {}: run tabgov sync first or check --db",
            missing.display()
        )) && !run.stderr.contains("writes to it"),
        "{}",
        run.stderr
    );
    assert!(!missing.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_being_written_is_not_read_as_immutable() {
    let env = synced(63).await;
    settle(&env).await;
    let dir = env.dir.path();
    let file = dir.join("tabgov.db");
    // Another user is writing the store: its WAL holds a change.
    let mut writer = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&file)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .connect()
        .await
        .unwrap();
    sqlx::query("PRAGMA user_version = 7")
        .execute(&mut writer)
        .await
        .unwrap();
    let wal = dir.join("tabgov.db-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    chmod(&file, 0o644);
    chmod(&wal, 0o644);
    // Its WAL index cannot be used by the reader.
    chmod(&dir.join("tabgov.db-shm"), 0o000);
    let run = in_read_only_dir(&env, &env.db(), &["accounts"]).await;
    chmod(&dir.join("tabgov.db-shm"), 0o600);
    writer.close().await.unwrap();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("write-ahead log") && run.stderr.contains("writing it"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
}
