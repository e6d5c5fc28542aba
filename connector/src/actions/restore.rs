//! Restore: undo the user's last suspend, from the journal. The site role
//! the suspend journalled comes back, and so do the groups a `--sticky`
//! suspend removed the user from.

use tabgov_mapping::{plan_restore, Account, GroupRef, RestorePlan, SiteRole};
use tabgov_state::{journal_last_suspend, JournalEntry, NewJournalEntry};

use super::current::{groups_of, role_now};
use super::engine::{act, open_intent, AlreadyDone, Change, Decision, Planned, Subject, Verdict};
use super::journal::StoreChange;
use super::{render, ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::api::outcome::Joined;
use crate::api::{groups, users};
use crate::Result;

/// Restores `account`; never fails as a whole, failures end in the result.
pub(crate) async fn restore(
    ctx: &ActionContext<'_>,
    request: &TargetRequest,
    account: &Account,
) -> ActionResult {
    let base =
        ActionResult::new(request, ctx.opts.dry_run).user_is(&account.id, Some(&account.name));
    let who = Subject::of(request, &account.id, Some(&account.name));
    act(
        ctx,
        Verb::Restore,
        who,
        &base,
        plan(ctx, account, base.clone()),
    )
    .await
}

async fn plan<'a>(
    ctx: &ActionContext<'_>,
    account: &'a Account,
    mut result: ActionResult,
) -> Result<Planned<Restoration<'a>>> {
    let last = match ctx.site {
        Some(site) => journal_last_suspend(ctx.store.pool(), site, &account.id).await?,
        None => None,
    };
    let journalled: Vec<String> = last
        .as_ref()
        .map(|e| e.groups_removed.clone())
        .unwrap_or_default();
    let member_of: Vec<String> = if journalled.is_empty() {
        Vec::new()
    } else {
        let now = groups_of(ctx, &account.id).await?;
        now.into_iter().map(|g| g.id).collect()
    };
    let names = ctx.stored_group_names(&journalled).await?;
    let rejoin: Vec<GroupRef> = journalled
        .iter()
        .filter(|id| !member_of.contains(id))
        .map(|id| GroupRef {
            id: id.clone(),
            name: names.get(id).cloned().unwrap_or_else(|| id.clone()),
        })
        .collect();
    let suspended_from = last.and_then(|e| e.previous_site_role);
    let plan = plan_restore(account, &ctx.own_user_id, suspended_from.as_ref(), rejoin);
    let open = open_intent(ctx, &account.id, Verb::Restore).await?;
    let text = render::restore_plan(&account.name, &plan);
    let role = &account.site_role;
    let decision = match plan {
        RestorePlan::Refuse { refusal } => {
            result = result.roles(Some(role), None);
            Decision::Ended(Outcome::Refused, refusal.to_string())
        }
        RestorePlan::Noop { reason } => {
            result = result.roles(Some(role), Some(role));
            // Settling: an earlier attempt restored Tableau and died before its outcome.
            let change = StoreChange {
                role: Some(role.clone()),
                joined_groups: if open.is_some() {
                    journalled
                } else {
                    Vec::new()
                },
                ..StoreChange::default()
            };
            Decision::AlreadyDone(AlreadyDone {
                detail: text,
                settles: format!("{reason} (settled the interrupted restore)"),
                change,
                reason,
            })
        }
        RestorePlan::Restore { from, to, rejoin } => {
            result = result.roles(Some(&from), Some(&to));
            result.groups = rejoin.iter().map(|g| g.name.clone()).collect();
            let change = Restoration {
                account,
                from,
                to,
                rejoin,
            };
            Decision::Change {
                change,
                planned: text,
            }
        }
    };
    Ok(Planned {
        open,
        decision,
        result,
    })
}

/// A restore under way.
struct Restoration<'a> {
    account: &'a Account,
    from: SiteRole,
    to: SiteRole,
    rejoin: Vec<GroupRef>,
}

/// Groups rejoined, problems, and warnings (groups that no longer exist).
type Rejoined = (Vec<GroupRef>, Vec<String>, Vec<String>);

impl Change for Restoration<'_> {
    type Sent = Rejoined;

    fn fill(&self, entry: &mut NewJournalEntry) {
        entry.previous_site_role = Some(self.from.clone());
        entry.new_site_role = Some(self.to.clone());
    }

    fn continues(&mut self, open: &JournalEntry) -> std::result::Result<(), String> {
        if open.new_site_role.as_ref() == Some(&self.to) {
            Ok(())
        } else {
            Err("it planned another role than the journal's last suspend".into())
        }
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<Rejoined> {
        let user = &self.account.id;
        if self.from != self.to {
            let set = users::update_site_role(&ctx.site_luid, user, &self.to);
            let body = ctx.transport.send(&set).await?;
            users::decode_updated_user(&body)?;
        }
        let (mut joined, mut problems, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
        for group in &self.rejoin {
            let add = groups::add_member(&ctx.site_luid, &group.id, user);
            match Joined::from_answer(ctx.transport.send(&add).await) {
                Ok(Joined::Added | Joined::AlreadyMember) => joined.push(group.clone()),
                Ok(Joined::NoSuchGroup) => warnings.push(format!(
                    "group {} no longer exists; not rejoined",
                    group.name
                )),
                Err(e) => problems.push(format!("could not rejoin {}: {e}", group.name)),
            }
        }
        Ok((joined, problems, warnings))
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        (joined, problems, warnings): Rejoined,
        result: &mut ActionResult,
    ) -> Result<Verdict> {
        result.warnings.extend(warnings);
        let now = role_now(ctx, &self.account.id).await?;
        let (from, to) = (&self.from, &self.to);
        if &now != to {
            return Ok(Verdict::NotDone {
                outcome: format!("Tableau shows {now} after the update, not {to}"),
                change: StoreChange::role(now),
            });
        }
        result.groups = joined.iter().map(|g| g.name.clone()).collect();
        let mut outcome = format!("{from} -> {to}");
        if !joined.is_empty() {
            outcome.push_str(&format!("; rejoined {}", render::names(&result.groups)));
        }
        if !problems.is_empty() {
            outcome.push_str(&format!("; {}", problems.join("; ")));
        }
        Ok(Verdict::Done {
            outcome,
            change: StoreChange {
                role: Some(to.clone()),
                joined_groups: joined.into_iter().map(|g| g.id).collect(),
                ..StoreChange::default()
            },
            unfinished: (!problems.is_empty()).then_some("add the user to those groups in Tableau"),
        })
    }
}
