//! Removing one user from one group (an access review's revoke of a group
//! membership), journalled like every action: intent first, the Tableau
//! call, a read-back, then the outcome with the store's membership update.
//! A membership Tableau no longer shows is a journalled no-op; an intent
//! left open by a crash is settled by the next attempt.

use chrono::Utc;
use serde::Serialize;
use tabgov_mapping::Account;
use tabgov_state::{JournalAction, JournalEntry, JournalState, NewJournalEntry};

use super::journal::{record_noop, write_intent, Open, StoreChange};
use super::render;
use super::suspend::{groups_of, open_intent};
use super::{ActionContext, Outcome};
use crate::api::{groups, users};
use crate::{Error, ErrorCode, Result};

/// One membership to end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRequest {
    pub user_id: String,
    pub group_id: String,
    /// For messages and the journal.
    pub group_name: String,
    pub reason: Option<String>,
    pub ticket: Option<String>,
}

/// How one membership removal ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MembershipResult {
    pub user_id: String,
    pub user_name: Option<String>,
    pub group_id: String,
    pub group_name: String,
    pub result: Outcome,
    /// One sentence: what was (or would be) done, or why not.
    pub detail: String,
    pub journal_id: Option<i64>,
    pub tableau_code: Option<String>,
    pub dry_run: bool,
    /// What the removal cannot guarantee (a directory sync adding the
    /// membership back).
    pub warnings: Vec<String>,
}

impl MembershipResult {
    fn new(request: &MembershipRequest, dry_run: bool) -> MembershipResult {
        MembershipResult {
            user_id: request.user_id.clone(),
            user_name: None,
            group_id: request.group_id.clone(),
            group_name: request.group_name.clone(),
            result: Outcome::Planned,
            detail: String::new(),
            journal_id: None,
            tableau_code: None,
            dry_run,
            warnings: Vec::new(),
        }
    }

    fn ended(mut self, outcome: Outcome, detail: impl Into<String>) -> MembershipResult {
        self.result = outcome;
        self.detail = detail.into();
        self
    }

    fn failed(mut self, error: &Error) -> MembershipResult {
        self.tableau_code = error.tableau().map(|t| t.code.to_string());
        self.ended(Outcome::Failed, error.to_string())
    }
}

/// Whether Tableau lists `user_id` in `group_id` now.
pub async fn is_member(ctx: &ActionContext<'_>, user_id: &str, group_id: &str) -> Result<bool> {
    Ok(groups_of(ctx, user_id)
        .await?
        .iter()
        .any(|g| g.id == group_id))
}

/// Takes the user out of the group; never fails as a whole.
pub async fn remove_from_group(
    ctx: &ActionContext<'_>,
    request: &MembershipRequest,
) -> MembershipResult {
    let base = MembershipResult::new(request, ctx.opts.dry_run);
    if request.user_id == ctx.own_user_id {
        return base.ended(
            Outcome::Refused,
            "refused: tabgov never acts on the account it signs in with",
        );
    }
    match run(ctx, request, base.clone()).await {
        Ok(result) => result,
        Err(e) => base.failed(&e),
    }
}

async fn run(
    ctx: &ActionContext<'_>,
    request: &MembershipRequest,
    mut result: MembershipResult,
) -> Result<MembershipResult> {
    let (user, group) = (&request.user_id, &request.group_name);
    let account = match ctx
        .transport
        .send(&users::get_user(&ctx.site_luid, user))
        .await
    {
        Ok(body) => users::decode_user(&body)?,
        Err(e) if e.is_tableau(ErrorCode::USER_NOT_FOUND) => {
            return Ok(result.ended(
                Outcome::Noop,
                "nothing to do: the user is no longer on the site",
            ));
        }
        Err(e) => return Err(e),
    };
    result.user_name = Some(account.name.clone());
    let name = &account.name;
    // The store update: the membership is gone, the role as Tableau shows it.
    let change = StoreChange {
        role: Some(account.site_role.clone()),
        left_groups: vec![request.group_id.clone()],
        ..StoreChange::default()
    };
    let open = open_intent(ctx, user, &JournalAction::RemoveMember)
        .await?
        .filter(|o| o.groups_removed.contains(&request.group_id));
    let mine = groups_of(ctx, user).await?;
    let Some(current) = mine.iter().find(|g| g.id == request.group_id) else {
        return match (open, ctx.site, ctx.opts.dry_run) {
            (_, _, true) | (_, None, _) => Ok(result.ended(
                Outcome::Noop,
                format!("nothing to do: {name} is not in {group}"),
            )),
            // An earlier attempt removed the user and died before its outcome.
            (Some(open), Some(site), false) => {
                let outcome =
                    format!("removed {name} from {group} (an interrupted attempt, settled)");
                Open::new(site, open.id, user)
                    .completed(ctx, &outcome, &change)
                    .await?;
                result.journal_id = Some(open.id);
                Ok(result.ended(Outcome::Completed, outcome))
            }
            (None, Some(site), false) => {
                let reason = format!("{name} is not in {group}");
                let id = record_noop(ctx, &entry(ctx, site, request, &account), &reason, &change)
                    .await?;
                result.journal_id = Some(id);
                Ok(result.ended(Outcome::Noop, format!("nothing to do: {reason}")))
            }
        };
    };
    result
        .warnings
        .extend(render::directory_sync_warning(&[current]));
    if ctx.opts.dry_run {
        return Ok(result.ended(
            Outcome::Planned,
            format!("would remove {name} from {group}"),
        ));
    }
    let Some(site) = ctx.site else {
        return Err(Error::Internal("the site has no row in the store".into()));
    };
    let id = match open {
        Some(JournalEntry { id, .. }) => id,
        None => write_intent(ctx, &entry(ctx, site, request, &account)).await?,
    };
    result.journal_id = Some(id);
    let sent = ctx
        .transport
        .send(&groups::remove_member(
            &ctx.site_luid,
            &request.group_id,
            user,
        ))
        .await;
    if let Err(e) = sent {
        // 404002 here: the membership went away in between; the read-back decides.
        if !e.is_tableau(ErrorCode::USER_NOT_FOUND) {
            Open::new(site, id, user).refused(ctx, &e).await?;
            return Ok(result.failed(&e));
        }
    }
    if is_member(ctx, user, &request.group_id).await? {
        let outcome = format!("Tableau still lists {name} in {group} after the removal");
        Open::new(site, id, user)
            .close(
                ctx,
                JournalState::Failed,
                &outcome,
                None,
                &StoreChange::none(),
            )
            .await?;
        return Ok(result.ended(Outcome::Failed, outcome));
    }
    let outcome = format!("removed {name} from {group}");
    Open::new(site, id, user)
        .completed(ctx, &outcome, &change)
        .await?;
    Ok(result.ended(Outcome::Completed, outcome))
}

/// The journal entry of a removal from `request`'s group.
fn entry(
    ctx: &ActionContext<'_>,
    site: tabgov_state::SiteKey,
    request: &MembershipRequest,
    account: &Account,
) -> NewJournalEntry {
    let mut entry =
        NewJournalEntry::new(site, JournalAction::RemoveMember, &account.id, Utc::now());
    entry.target_user_name = Some(account.name.clone());
    entry.actor = ctx.opts.actor.clone();
    entry.reason = request.reason.clone();
    entry.ticket = request.ticket.clone();
    entry.campaign = ctx.campaign.clone();
    entry.reviewer = ctx.reviewer.clone();
    entry.previous_site_role = Some(account.site_role.clone());
    entry.new_site_role = Some(account.site_role.clone());
    entry.groups_removed = vec![request.group_id.clone()];
    entry
}
