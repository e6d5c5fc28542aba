//! A batch: every target resolved and validated before anything changes,
//! the batch rails applied, then each target acted on in turn. One bad
//! target refuses the whole batch, naming it; a target refused by a safety
//! rule while acting does not stop the others.

use std::collections::{HashMap, HashSet};

use tabgov_mapping::Account;

use super::deprovision::{deprovision, Target};
use super::inventory::ContentIndex;
use super::resolve::{Resolution, Resolved, Resolver};
use super::restore::restore;
use super::safety::{other_site_admins, site_admin_ids};
use super::suspend::suspend;
use super::{ActionContext, ActionResult, BatchStage, Outcome, TargetRequest, Verb};
use crate::{Error, Result};

/// A target after validation.
#[derive(Debug, Clone)]
struct Prepared {
    request: TargetRequest,
    user: Resolved,
    heir: Option<Account>,
}

/// Runs a batch. A batch its [`BatchPolicy`](tabgov_mapping::BatchPolicy)
/// does not allow is [`Error::BatchNotConfirmed`], and a batch with an unknown, ambiguous or repeated
/// user (or an unusable `transfer_to`) is [`Error::Config`] naming every
/// problem; either way nothing was changed.
pub async fn run_batch(
    ctx: &ActionContext<'_>,
    requests: Vec<TargetRequest>,
) -> Result<Vec<ActionResult>> {
    if requests.is_empty() {
        return Err(Error::Config(
            "no user given: name at least one user".into(),
        ));
    }
    let opts = &ctx.opts;
    if !opts.dry_run {
        if let Err(too_large) = opts.batch.check(requests.len()) {
            return Err(Error::BatchNotConfirmed(too_large));
        }
    }
    let prepared = prepare(ctx, requests).await?;
    let others = admins_staying(ctx, &prepared).await?;
    let mut index = ContentIndex::new();
    let mut results = Vec::with_capacity(prepared.len());
    for (done, p) in prepared.iter().enumerate() {
        ctx.report_progress(BatchStage::Acting, done, prepared.len());
        let result = match (p.request.verb, &p.user) {
            (Verb::Deprovision, user) => {
                let target = Target {
                    request: &p.request,
                    user,
                    heir: p.heir.as_ref(),
                    other_admins: others,
                };
                deprovision(ctx, &mut index, target).await
            }
            (Verb::Suspend, Resolved::Present(account)) => {
                suspend(ctx, &p.request, account, others).await
            }
            (Verb::Restore, Resolved::Present(account)) => restore(ctx, &p.request, account).await,
            (Verb::RemoveMember, _) => ActionResult::new(&p.request, opts.dry_run).ended(
                Outcome::Refused,
                "a membership removal names a group: it is an access review's action",
            ),
            (_, gone) => ActionResult::new(&p.request, opts.dry_run)
                .user_is(gone.id(), gone.name())
                .ended(Outcome::Failed, "the user is no longer on the site"),
        };
        results.push(result);
    }
    ctx.report_progress(BatchStage::Acting, results.len(), prepared.len());
    Ok(results)
}

/// Site administrators who stay when the batch is done. Only read from
/// Tableau when a target is a site administrator: for anyone else the
/// planner does not look at it.
async fn admins_staying(ctx: &ActionContext<'_>, prepared: &[Prepared]) -> Result<usize> {
    let leaving: HashSet<String> = prepared
        .iter()
        .filter(|p| p.request.verb.takes_access())
        .map(|p| p.user.id().to_owned())
        .collect();
    let admin_leaves = prepared.iter().any(|p| {
        p.request.verb.takes_access()
            && matches!(&p.user, Resolved::Present(a) if a.site_role.is_site_admin())
    });
    if !admin_leaves {
        return Ok(0);
    }
    Ok(other_site_admins(&site_admin_ids(ctx).await?, &leaving))
}

/// Resolves every target and new owner; collects every problem.
async fn prepare(ctx: &ActionContext<'_>, requests: Vec<TargetRequest>) -> Result<Vec<Prepared>> {
    let mut resolver = Resolver::new();
    let named = requests
        .iter()
        .flat_map(|r| std::iter::once(r.user.as_str()).chain(r.transfer_to.as_deref()));
    resolver.prepare(ctx, named).await?;
    let mut heirs: HashMap<String, Resolution> = HashMap::new();
    let mut problems = Vec::new();
    let mut first_seen: HashMap<String, String> = HashMap::new();
    let mut prepared = Vec::with_capacity(requests.len());
    let total = requests.len();
    for (done, request) in requests.into_iter().enumerate() {
        ctx.report_progress(BatchStage::Checking, done, total);
        let label = request.label();
        let user = match resolver.resolve(ctx, &request.user).await? {
            Resolution::Found(Resolved::Gone { .. }) if request.verb != Verb::Deprovision => {
                problems.push(format!(
                    "{label}: '{}' is no longer on the site",
                    request.user
                ));
                continue;
            }
            Resolution::Found(user) => user,
            Resolution::Unknown => {
                problems.push(format!(
                    "{label}: no user '{}' on the site (check the id, name or email)",
                    request.user
                ));
                continue;
            }
            Resolution::Ambiguous(names) => {
                problems.push(format!(
                    "{label}: '{}' matches several users ({}): give the user id or name",
                    request.user,
                    names.join(", ")
                ));
                continue;
            }
        };
        if let Some(first) = first_seen.get(user.id()) {
            problems.push(format!(
                "{label}: duplicate: '{}' is the same user as {first}",
                request.user
            ));
            continue;
        }
        first_seen.insert(user.id().to_owned(), label.clone());
        let heir = match &request.transfer_to {
            None => None,
            Some(query) => {
                if !heirs.contains_key(query) {
                    heirs.insert(query.clone(), resolver.resolve(ctx, query).await?);
                }
                match heirs.get(query) {
                    Some(Resolution::Found(Resolved::Present(heir))) if heir.id == user.id() => {
                        // Kept as a target so the checks below still see it.
                        problems.push(format!(
                            "{label}: transfer_to '{query}' is the user being removed"
                        ));
                        None
                    }
                    Some(Resolution::Found(Resolved::Present(heir))) => Some(heir.clone()),
                    _ => {
                        problems.push(format!(
                            "{label}: transfer_to '{query}' is not a user on the site (check the id, name or email)"
                        ));
                        continue;
                    }
                }
            }
        };
        prepared.push(Prepared {
            request,
            user,
            heir,
        });
    }
    // The bar reaches its end before the checks across targets below.
    ctx.report_progress(BatchStage::Checking, total, total);
    let removed: HashMap<&str, String> = prepared
        .iter()
        .filter(|p| p.request.verb == Verb::Deprovision)
        .map(|p| (p.user.id(), p.request.label()))
        .collect();
    for p in &prepared {
        if let Some(heir) = &p.heir {
            if let Some(other) = removed.get(heir.id.as_str()) {
                problems.push(format!(
                    "{}: transfer_to '{}' is itself deprovisioned by {other}",
                    p.request.label(),
                    heir.name
                ));
            }
        }
    }
    if problems.is_empty() {
        return Ok(prepared);
    }
    Err(Error::Config(format!(
        "nothing was changed: {} problem(s): {}",
        problems.len(),
        problems.join("; ")
    )))
}
