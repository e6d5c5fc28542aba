//! The service's job queue: idempotent submits, one claimer per job, jobs
//! a killed service left running go back to the queue.

use std::collections::BTreeSet;

use serde_json::json;
use tabgov_state::{Error, JobState, NewJob, Store, Submitted};

use crate::common::{on_both_engines, TestStore};

on_both_engines!(
    a_key_repeated_with_the_same_request_finds_its_job,
    a_key_reused_for_another_request_is_refused,
    concurrent_submits_of_one_key_queue_one_job,
    jobs_are_claimed_oldest_first_and_finished_once,
    concurrent_claimers_never_take_the_same_job,
    running_jobs_are_requeued_at_start,
);

fn job(key: Option<&str>, hash: &str) -> NewJob {
    NewJob {
        idempotency_key: key.map(str::to_owned),
        request_hash: hash.into(),
        site_label: "finance".into(),
        dry_run: false,
        request: json!({"rows": [{"user": "alice@example.com", "action": "suspend"}]}),
        submitted_by: "hr-feed".into(),
    }
}

async fn a_key_repeated_with_the_same_request_finds_its_job(t: TestStore) {
    let store = t.store;
    let Submitted::Accepted(first) = store.submit_job(&job(Some("k1"), "h1")).await.unwrap() else {
        panic!("the first submit queues a job");
    };
    assert_eq!(first.state, JobState::Queued);
    assert_eq!(first.attempts, 0);
    assert_eq!(first.request["rows"][0]["action"], "suspend");
    assert_eq!(first.submitted_by, "hr-feed");

    let again = store.submit_job(&job(Some("k1"), "h1")).await.unwrap();
    assert_eq!(again, Submitted::Existing(first.clone()));
    // Jobs without a key never collide.
    let a = store.submit_job(&job(None, "h1")).await.unwrap();
    let b = store.submit_job(&job(None, "h1")).await.unwrap();
    assert!(matches!(a, Submitted::Accepted(_)));
    assert!(matches!(b, Submitted::Accepted(_)));
    assert_ne!(a.job().id, b.job().id);
    assert_eq!(store.list_jobs(10).await.unwrap().len(), 3);
}

async fn a_key_reused_for_another_request_is_refused(t: TestStore) {
    let store = t.store;
    store.submit_job(&job(Some("k1"), "h1")).await.unwrap();
    let refused = store.submit_job(&job(Some("k1"), "h2")).await;
    match refused {
        Err(e @ Error::IdempotencyKeyReused { .. }) => {
            let message = e.to_string();
            assert!(message.contains("\"k1\""), "{message}");
            assert!(message.contains("use a new key"), "{message}");
        }
        other => panic!("a reused key is refused: {other:?}"),
    }
    assert_eq!(store.list_jobs(10).await.unwrap().len(), 1);
}

async fn concurrent_submits_of_one_key_queue_one_job(t: TestStore) {
    let store = t.store;
    let submits = (0..8).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.submit_job(&job(Some("same"), "h")).await })
    });
    let mut accepted = 0;
    let mut ids = BTreeSet::new();
    for submit in submits {
        let submitted = submit.await.unwrap().unwrap();
        accepted += usize::from(matches!(submitted, Submitted::Accepted(_)));
        ids.insert(submitted.job().id);
    }
    assert_eq!(accepted, 1);
    assert_eq!(ids.len(), 1);
    assert_eq!(store.scalar_for_test("SELECT COUNT(*) FROM jobs").await, 1);
}

async fn jobs_are_claimed_oldest_first_and_finished_once(t: TestStore) {
    let store = t.store;
    let first = store.submit_job(&job(Some("a"), "h")).await.unwrap();
    let second = store.submit_job(&job(Some("b"), "h")).await.unwrap();

    let claimed = store.claim_job().await.unwrap().unwrap();
    assert_eq!(claimed.id, first.job().id);
    assert_eq!(claimed.state, JobState::Running);
    assert_eq!(claimed.attempts, 1);
    assert!(claimed.started_at.is_some());
    let results = json!([{"user": "alice@example.com", "outcome": "suspended"}]);
    store
        .finish_job(claimed.id, JobState::Succeeded, Some(&results), None)
        .await
        .unwrap();
    let done = store.job(claimed.id).await.unwrap().unwrap();
    assert_eq!(done.state, JobState::Succeeded);
    assert_eq!(done.results, Some(results.clone()));
    assert!(done.finished_at.is_some());

    let again = store
        .finish_job(claimed.id, JobState::Failed, None, Some("late"))
        .await;
    assert!(matches!(
        again,
        Err(Error::JobNotRunning {
            state: Some(JobState::Succeeded),
            ..
        })
    ));
    let queued = store
        .finish_job(second.job().id, JobState::Failed, None, None)
        .await;
    assert!(matches!(queued, Err(Error::JobNotRunning { .. })));
    let not_an_end = store
        .finish_job(second.job().id, JobState::Queued, None, None)
        .await;
    assert!(matches!(not_an_end, Err(Error::InvalidJobEnd(_))));

    let next = store.claim_job().await.unwrap().unwrap();
    assert_eq!(next.id, second.job().id);
    store
        .finish_job(next.id, JobState::Failed, None, Some("site unknown"))
        .await
        .unwrap();
    assert!(store.claim_job().await.unwrap().is_none());
    let listed: Vec<_> = store
        .list_jobs(10)
        .await
        .unwrap()
        .into_iter()
        .map(|j| (j.id, j.state, j.error))
        .collect();
    assert_eq!(
        listed,
        [
            (next.id, JobState::Failed, Some("site unknown".into())),
            (claimed.id, JobState::Succeeded, None),
        ]
    );
    assert_eq!(store.list_jobs(1).await.unwrap().len(), 1);
}

async fn concurrent_claimers_never_take_the_same_job(t: TestStore) {
    let store = t.store;
    const JOBS: usize = 12;
    for i in 0..JOBS {
        store
            .submit_job(&job(Some(&format!("k{i}")), "h"))
            .await
            .unwrap();
    }
    let workers = (0..4).map(|_| {
        let store: Store = store.clone();
        tokio::spawn(async move {
            let mut taken = Vec::new();
            while let Some(j) = store.claim_job().await.unwrap() {
                taken.push(j.id);
            }
            taken
        })
    });
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    let distinct: BTreeSet<_> = all.iter().copied().collect();
    assert_eq!(all.len(), JOBS, "every job is taken once: {all:?}");
    assert_eq!(distinct.len(), JOBS);
}

async fn running_jobs_are_requeued_at_start(t: TestStore) {
    let store = t.store;
    store.submit_job(&job(Some("a"), "h")).await.unwrap();
    store.submit_job(&job(Some("b"), "h")).await.unwrap();
    let taken = store.claim_job().await.unwrap().unwrap();
    // The service is killed here; at its next start:
    assert_eq!(store.requeue_interrupted_jobs().await.unwrap(), 1);
    assert_eq!(store.requeue_interrupted_jobs().await.unwrap(), 0);
    let back = store.job(taken.id).await.unwrap().unwrap();
    assert_eq!(back.state, JobState::Queued);
    let retaken = store.claim_job().await.unwrap().unwrap();
    assert_eq!(retaken.id, taken.id, "the oldest job comes first again");
    assert_eq!(retaken.attempts, 2);
}
