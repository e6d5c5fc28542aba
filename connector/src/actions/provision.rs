//! Provisioning users, journalled like every action: adding a user to the
//! site (then their full name and email, which Add User to Site does not
//! take) and updating a user's full name, email or site role. A site-role
//! change keeps the rails of suspend: never the account tabgov signs in
//! with, never the last site administrator.

use std::collections::HashSet;
use std::sync::OnceLock;

use tabgov_mapping::{role_change_refusal, Account, OwnedContent, SiteRole, TargetFacts, UserId};
use tabgov_state::{AccountRecord, IntentTarget, JournalEntry, NewJournalEntry, StoreChange};

use super::current::account_now;
use super::engine::{
    act_keeping_error, journal_action, open_intent, AlreadyDone, Change, Decision, Planned,
    Refused, Subject, Verdict,
};
use super::provisioned::{account_record, concluded};
use super::safety::{other_site_admins, site_admin_ids};
use super::{ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::api::outcome::{is_definite, Created};
use crate::api::users::{self, UpdatedUser, UserAttributes};
use crate::{Error, Result};

/// A user to add to the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSiteUser {
    /// The sign-in name.
    pub name: String,
    pub site_role: SiteRole,
    pub full_name: Option<String>,
    pub email: Option<String>,
    /// `ServerDefault`, `SAML`, `OpenID`...; Tableau's default when `None`.
    pub auth_setting: Option<String>,
}

/// What to change on a user; `None` leaves an attribute as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserUpdate {
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub site_role: Option<SiteRole>,
}

/// Adds `new` to the site, then sets their full name and email, and
/// records the account in the store. A name the site already has is
/// [`Error::AlreadyExists`] (nothing added); a dry run is
/// [`Error::Planned`]. An add interrupted after Tableau created the user
/// is finished by the next call with the same name.
pub async fn add_user(ctx: &ActionContext<'_>, new: NewSiteUser) -> Result<AccountRecord> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(Error::Config("a user to add needs a sign-in name".into()));
    }
    let unknown = UserId::from("");
    let base = base(name, Verb::AddUser, ctx.opts.dry_run);
    let who = Subject {
        user_id: &unknown,
        user_name: Some(name),
        reason: None,
        ticket: None,
    };
    let added = OnceLock::new();
    let planning = plan_add(ctx, name, &new, &added, base.clone());
    concluded(act_keeping_error(ctx, Verb::AddUser, who, &base, planning).await)?;
    let account = added
        .into_inner()
        .ok_or_else(|| Error::Internal("an add completed without its account".into()))?;
    account_record(ctx, account).await
}

/// A result to fill in for a provisioning action on `label`.
pub(crate) fn base(label: &str, verb: Verb, dry_run: bool) -> ActionResult {
    ActionResult::new(&TargetRequest::new(label, verb), dry_run)
}

/// The user Tableau lists under `name` (any case), when the name can be
/// looked up: a filter value cannot hold `,` or `&`, and a name with one
/// is found by Tableau's own answer (409) instead.
async fn user_named(ctx: &ActionContext<'_>, name: &str) -> Result<Option<Account>> {
    if name.contains([',', '&']) {
        return Ok(None);
    }
    let find = users::find_user_by_name(&ctx.site_luid, name);
    let page = users::decode_users(&ctx.transport.send(&find).await?)?;
    Ok(page
        .items
        .into_iter()
        .find(|a| a.name.eq_ignore_ascii_case(name)))
}

async fn plan_add<'a>(
    ctx: &ActionContext<'_>,
    name: &'a str,
    new: &'a NewSiteUser,
    added: &'a OnceLock<Account>,
    result: ActionResult,
) -> Result<Planned<Addition<'a>>> {
    let open = match ctx.site {
        Some(site) => {
            let action = journal_action(Verb::AddUser);
            let by_name = IntentTarget::UserName(name);
            ctx.store
                .journal_open_intent_for(site, &action, by_name)
                .await?
        }
        None => None,
    };
    let existing = user_named(ctx, name).await?;
    let planned = match (&existing, &open) {
        (Some(_), None) => {
            return Err(Error::AlreadyExists {
                what: format!("a user named '{name}'"),
            })
        }
        (Some(_), Some(open)) => format!(
            "would settle the interrupted add of {name} (journal entry {})",
            open.id
        ),
        (None, _) => format!("would add {name} as {}", new.site_role),
    };
    let change = Addition {
        name,
        new,
        existing,
        added,
    };
    let decision = Decision::Change { change, planned };
    Ok(Planned::new(open, decision, result))
}

/// An add under way.
struct Addition<'a> {
    name: &'a str,
    new: &'a NewSiteUser,
    /// The user an interrupted attempt already created.
    existing: Option<Account>,
    /// Where the account read back is left for the caller.
    added: &'a OnceLock<Account>,
}

/// What the calls of an add did: the user, and the full name and email
/// as Tableau holds them now (or why they could not be set).
struct Sent {
    account: Account,
    updated: Option<std::result::Result<UpdatedUser, String>>,
}

impl Change for Addition<'_> {
    type Sent = Sent;

    fn fill(&self, entry: &mut NewJournalEntry) {
        entry.new_site_role = Some(self.new.site_role.clone());
    }

    fn continues(&mut self, _open: &JournalEntry) -> std::result::Result<(), String> {
        // Only an intent to add this very name is looked up.
        Ok(())
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<Sent> {
        let account = match self.existing.take() {
            Some(account) => account,
            None => {
                let (role, auth) = (&self.new.site_role, self.new.auth_setting.as_deref());
                let add = users::add_user(&ctx.site_luid, self.name, role, auth);
                match Created::from_answer(ctx.transport.send(&add).await)? {
                    Created::Done(body) => users::decode_user(&body)?,
                    Created::NameTaken => {
                        return Err(Error::AlreadyExists {
                            what: format!("a user named '{}'", self.name),
                        })
                    }
                }
            }
        };
        let set = UserAttributes {
            full_name: self.new.full_name.as_deref(),
            email: self.new.email.as_deref(),
            site_role: None,
        };
        let updated = if set.is_empty() {
            None
        } else {
            let update = users::update_user(&ctx.site_luid, &account.id, &set);
            let answer = async { users::decode_updated_user(&ctx.transport.send(&update).await?) };
            Some(answer.await.map_err(|e| e.to_string()))
        };
        Ok(Sent { account, updated })
    }

    fn refused(&self, e: &Error) -> Option<Refused> {
        (matches!(e, Error::AlreadyExists { .. }) || is_definite(e)).then(|| Refused {
            outcome: e.to_string(),
            change: StoreChange::none(),
            shown: Outcome::Failed,
        })
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        sent: Sent,
        result: &mut ActionResult,
    ) -> Result<Verdict> {
        let Some(mut account) = account_now(ctx, &sent.account.id).await? else {
            return Ok(Verdict::NotDone {
                outcome: format!("Tableau does not list {} after the add", self.name),
                change: StoreChange::none(),
            });
        };
        let mut unfinished = None;
        match sent.updated {
            Some(Ok(u)) => {
                account.full_name = account.full_name.or(u.full_name);
                account.email = account.email.or(u.email);
            }
            Some(Err(e)) => {
                result
                    .warnings
                    .push(format!("full name and email not set: {e}"));
                unfinished = Some("set the full name and email in Tableau");
            }
            None => {}
        }
        *result = result.clone().user_is(&account.id, Some(&account.name));
        let outcome = format!("added {} as {}", account.name, account.site_role);
        let change = StoreChange {
            account: Some(Box::new(account.clone())),
            ..StoreChange::default()
        };
        // Set once: the engine verifies an attempt once.
        let _ = self.added.set(account);
        Ok(Verdict::Done {
            outcome,
            change,
            unfinished,
        })
    }
}

/// Sets what `update` gives on `user` and records the account in the
/// store. A site-role change is refused ([`Error::Refused`]) for the
/// account tabgov signs in with and for the last site administrator;
/// nothing to change is a journalled no-op; a dry run is
/// [`Error::Planned`].
pub async fn update_user(
    ctx: &ActionContext<'_>,
    user: &UserId,
    update: UserUpdate,
) -> Result<AccountRecord> {
    let Some(account) = account_now(ctx, user).await? else {
        return Err(Error::NotFound {
            what: format!("user {user}"),
        });
    };
    let base = base(&account.name, Verb::UpdateUser, ctx.opts.dry_run)
        .user_is(&account.id, Some(&account.name));
    let who = Subject {
        user_id: &account.id,
        user_name: Some(&account.name),
        reason: None,
        ticket: None,
    };
    let updated = OnceLock::new();
    let planning = plan_update(ctx, &account, &update, &updated, base.clone());
    concluded(act_keeping_error(ctx, Verb::UpdateUser, who, &base, planning).await)?;
    account_record(ctx, updated.into_inner().unwrap_or(account)).await
}

async fn plan_update<'a>(
    ctx: &ActionContext<'_>,
    account: &'a Account,
    update: &'a UserUpdate,
    updated: &'a OnceLock<Account>,
    result: ActionResult,
) -> Result<Planned<Update<'a>>> {
    let differs = |asked: &Option<String>, now: &Option<String>| {
        asked.as_ref().filter(|a| Some(*a) != now.as_ref()).cloned()
    };
    let full_name = differs(&update.full_name, &account.full_name);
    let email = differs(&update.email, &account.email);
    let role = update.site_role.clone().filter(|r| *r != account.site_role);
    let open = open_intent(ctx, &account.id, Verb::UpdateUser).await?;
    let result = result.roles(Some(&account.site_role), role.as_ref());
    if let Some(to) = &role {
        let admins = site_admin_ids(ctx).await?;
        let facts = TargetFacts {
            account,
            owned: OwnedContent::default(),
            relicensing_groups: Vec::new(),
            own_user_id: &ctx.own_user_id,
            other_site_admins: other_site_admins(&admins, &HashSet::from([account.id.clone()])),
        };
        if let Some(refusal) = role_change_refusal(&facts, to) {
            let decision = Decision::Ended(Outcome::Refused, refusal.to_string());
            return Ok(Planned::new(open, decision, result));
        }
    }
    let name = &account.name;
    if full_name.is_none() && email.is_none() && role.is_none() {
        let reason = "nothing to change".to_owned();
        let done = AlreadyDone {
            detail: format!("nothing to do: {name} already shows it"),
            settles: format!("updated {name} (an interrupted attempt, settled)"),
            change: StoreChange {
                account: Some(Box::new(account.clone())),
                ..StoreChange::default()
            },
            reason,
        };
        let _ = updated.set(account.clone());
        return Ok(Planned::new(open, Decision::AlreadyDone(done), result));
    }
    let planned = format!("would update {name}");
    let change = Update {
        account,
        full_name,
        email,
        role,
        updated,
    };
    Ok(Planned::new(
        open,
        Decision::Change { change, planned },
        result,
    ))
}

/// An update under way: only what differs is sent.
struct Update<'a> {
    account: &'a Account,
    full_name: Option<String>,
    email: Option<String>,
    role: Option<SiteRole>,
    updated: &'a OnceLock<Account>,
}

impl Change for Update<'_> {
    type Sent = UpdatedUser;

    fn fill(&self, entry: &mut NewJournalEntry) {
        if let Some(role) = &self.role {
            entry.previous_site_role = Some(self.account.site_role.clone());
            entry.new_site_role = Some(role.clone());
        }
    }

    fn continues(&mut self, open: &JournalEntry) -> std::result::Result<(), String> {
        match (&open.intent.new_site_role, &self.role) {
            (Some(planned), Some(now)) if planned != now => {
                Err(format!("it set {planned}, this sets {now}"))
            }
            _ => Ok(()),
        }
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<UpdatedUser> {
        let set = UserAttributes {
            full_name: self.full_name.as_deref(),
            email: self.email.as_deref(),
            site_role: self.role.as_ref(),
        };
        let update = users::update_user(&ctx.site_luid, &self.account.id, &set);
        users::decode_updated_user(&ctx.transport.send(&update).await?)
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        sent: UpdatedUser,
        _: &mut ActionResult,
    ) -> Result<Verdict> {
        let name = &self.account.name;
        let Some(mut now) = account_now(ctx, &self.account.id).await? else {
            return Ok(Verdict::NotDone {
                outcome: format!("Tableau no longer lists {name} after the update"),
                change: StoreChange::none(),
            });
        };
        // A cleared name or email is kept as "" (the store's write keeps a
        // stored value over an absent one), however Tableau shows it.
        let shown = |asked: &Option<String>, sent: Option<String>, now: Option<String>| match asked
            .as_deref()
        {
            Some("") => Some(String::new()),
            _ => sent.or(now).filter(|v| !v.is_empty()),
        };
        now.full_name = shown(&self.full_name, sent.full_name, now.full_name);
        now.email = shown(&self.email, sent.email, now.email);
        let missing = [
            (
                self.role.as_ref().map(SiteRole::as_str),
                Some(now.site_role.as_str()),
                "site role",
            ),
            (
                self.full_name.as_deref(),
                now.full_name.as_deref(),
                "full name",
            ),
            (self.email.as_deref(), now.email.as_deref(), "email"),
        ]
        .into_iter()
        .filter(|(asked, shown, _)| asked.is_some() && asked != shown)
        .map(|(_, _, what)| what)
        .collect::<Vec<_>>();
        let change = StoreChange {
            account: Some(Box::new(now.clone())),
            ..StoreChange::default()
        };
        let _ = self.updated.set(now);
        if !missing.is_empty() {
            let outcome = format!(
                "Tableau does not show the new {} of {name} after the update",
                missing.join(", ")
            );
            return Ok(Verdict::NotDone { outcome, change });
        }
        Ok(Verdict::Done {
            outcome: format!("updated {name}"),
            change,
            unfinished: None,
        })
    }
}
