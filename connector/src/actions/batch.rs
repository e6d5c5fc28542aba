//! A batch: every target resolved and validated before anything changes,
//! the batch rails applied, then each target acted on in turn. One bad
//! target refuses the whole batch, naming it; a target refused by a safety
//! rule while acting does not stop the others.

use std::collections::HashSet;

use tabgov_mapping::UserId;

use super::batch_check::{prepare, Prepared};
use super::deprovision::{deprovision, Target};
use super::inventory::ContentIndex;
use super::resolve::Resolved;
use super::restore::restore;
use super::safety::{other_site_admins, site_admin_ids};
use super::suspend::suspend;
use super::{ActionContext, ActionResult, BatchStage, Outcome, TargetRequest, Verb};
use crate::{Error, Result};

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
            (verb, _) if verb.is_provisioning() => ActionResult::new(&p.request, opts.dry_run)
                .ended(
                    Outcome::Refused,
                    "provisioning is not an offboarding action: it is called one change at a time",
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
    let leaving: HashSet<UserId> = prepared
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
