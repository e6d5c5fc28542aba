//! A batch checked before anything changes: every target and new owner
//! resolved against Tableau, and every problem collected, so one bad row
//! refuses the whole batch with all of its problems named at once.

use std::collections::HashMap;

use tabgov_mapping::{heir_refusal, Account, UserId};

use super::resolve::{Resolution, Resolved, Resolver};
use super::{ActionContext, BatchStage, TargetRequest, Verb};
use crate::{Error, Result};

/// A target after validation.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    pub request: TargetRequest,
    pub user: Resolved,
    pub heir: Option<Account>,
}

/// Resolves every target and new owner; [`Error::Config`] naming every
/// problem when there is one.
pub(super) async fn prepare(
    ctx: &ActionContext<'_>,
    requests: Vec<TargetRequest>,
) -> Result<Vec<Prepared>> {
    let mut check = Check {
        ctx,
        resolver: Resolver::new(),
        heirs: HashMap::new(),
        first_seen: HashMap::new(),
        problems: Vec::new(),
    };
    // Collected, not passed as a lazy iterator: a closure over `&TargetRequest`
    // held in the future would keep it from being provably `Send`.
    let named: Vec<&str> = requests
        .iter()
        .flat_map(|r| std::iter::once(r.user.as_str()).chain(r.transfer_to.as_deref()))
        .collect();
    check.resolver.prepare(ctx, named).await?;
    let total = requests.len();
    let mut prepared = Vec::with_capacity(total);
    for (done, request) in requests.into_iter().enumerate() {
        ctx.report_progress(BatchStage::Checking, done, total);
        prepared.extend(check.target(request).await?);
    }
    // The bar reaches its end before the checks across targets below.
    ctx.report_progress(BatchStage::Checking, total, total);
    check.heirs_stay(&prepared);
    if check.problems.is_empty() {
        return Ok(prepared);
    }
    Err(Error::Config(format!(
        "nothing was changed: {} problem(s): {}",
        check.problems.len(),
        check.problems.join("; ")
    )))
}

/// A target's `transfer_to`, checked.
enum Heir {
    /// The new owner; `None` when it is the user themself (a problem noted,
    /// but the target is kept so the checks across targets still see it).
    Usable(Option<Account>),
    /// Not a user on the site: the target cannot run (problem noted).
    Unusable,
}

/// What checking a batch has seen so far.
struct Check<'c, 'a> {
    ctx: &'c ActionContext<'a>,
    resolver: Resolver,
    /// New owners by how they were named, each resolved once.
    heirs: HashMap<String, Resolution>,
    /// The first target naming each user, by user id.
    first_seen: HashMap<UserId, String>,
    problems: Vec<String>,
}

impl Check<'_, '_> {
    /// Checks one target; `None` (with its problem noted) when it cannot run.
    async fn target(&mut self, request: TargetRequest) -> Result<Option<Prepared>> {
        let label = request.label();
        let asked = &request.user;
        let user = match self.resolver.resolve(self.ctx, asked).await? {
            Resolution::Found(Resolved::Gone { .. }) if request.verb != Verb::Deprovision => {
                return Ok(self.problem(format!("{label}: '{asked}' is no longer on the site")));
            }
            Resolution::Found(user) => user,
            Resolution::Unknown => {
                return Ok(self.problem(format!(
                    "{label}: no user '{asked}' on the site (check the id, name or email)"
                )));
            }
            Resolution::Ambiguous(names) => {
                return Ok(self.problem(format!(
                    "{label}: '{asked}' matches several users ({}): give the user id or name",
                    names.join(", ")
                )));
            }
        };
        if let Some(first) = self.first_seen.get(user.id()) {
            let problem = format!("{label}: duplicate: '{asked}' is the same user as {first}");
            return Ok(self.problem(problem));
        }
        self.first_seen.insert(user.id().clone(), label.clone());
        let heir = match &request.transfer_to {
            None => None,
            Some(query) => match self.heir(query, &user, &label).await? {
                Heir::Usable(heir) => heir,
                Heir::Unusable => return Ok(None),
            },
        };
        Ok(Some(Prepared {
            request,
            user,
            heir,
        }))
    }

    /// The new owner named `query` for `user`.
    async fn heir(&mut self, query: &str, user: &Resolved, label: &str) -> Result<Heir> {
        if !self.heirs.contains_key(query) {
            let found = self.resolver.resolve(self.ctx, query).await?;
            self.heirs.insert(query.to_owned(), found);
        }
        match self.heirs.get(query) {
            Some(Resolution::Found(Resolved::Present(heir)))
                if heir_refusal(user.id(), &heir.id).is_some() =>
            {
                self.problems.push(format!(
                    "{label}: transfer_to '{query}' is the user being removed"
                ));
                Ok(Heir::Usable(None))
            }
            Some(Resolution::Found(Resolved::Present(heir))) => {
                Ok(Heir::Usable(Some(heir.clone())))
            }
            _ => {
                self.problems.push(format!(
                    "{label}: transfer_to '{query}' is not a user on the site (check the id, name or email)"
                ));
                Ok(Heir::Unusable)
            }
        }
    }

    /// Notes that no new owner is deprovisioned by the same batch.
    fn heirs_stay(&mut self, prepared: &[Prepared]) {
        let removed: HashMap<&str, String> = prepared
            .iter()
            .filter(|p| p.request.verb == Verb::Deprovision)
            .map(|p| (p.user.id().as_str(), p.request.label()))
            .collect();
        for p in prepared {
            let Some(heir) = &p.heir else { continue };
            if let Some(other) = removed.get(heir.id.as_str()) {
                self.problems.push(format!(
                    "{}: transfer_to '{}' is itself deprovisioned by {other}",
                    p.request.label(),
                    heir.name
                ));
            }
        }
    }

    fn problem(&mut self, problem: String) -> Option<Prepared> {
        self.problems.push(problem);
        None
    }
}
