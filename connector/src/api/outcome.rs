//! What Tableau's answer to a change means for the domain. A few error
//! codes say "it is already so" (the user is already gone, already a
//! member, no longer in the group): those are outcomes, not failures, and
//! only this module reads them, so the actions never match raw codes.

use bytes::Bytes;

use crate::{Error, ErrorCode, Result};

/// How a removal of a user from the site ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removed {
    Done,
    /// Tableau has no such user: a retried DELETE whose first attempt went
    /// through answers 404002 too, so the caller verifies either way.
    AlreadyGone,
}

/// What Tableau's error answer to a removal from the site means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovalRefused {
    /// `409003`: the user still owned content, so Tableau kept them and set
    /// them Unlicensed instead (never a success).
    KeptUnlicensed,
    /// A 4xx: nothing changed.
    Definite,
    /// A 5xx or a lost answer: the user may have been removed.
    Unknown,
}

impl RemovalRefused {
    /// Reads Tableau's error answer `e` to [`super::users::remove_user`].
    pub fn of(e: &Error) -> RemovalRefused {
        if e.is_tableau(ErrorCode::USER_OWNS_CONTENT) {
            RemovalRefused::KeptUnlicensed
        } else if is_definite(e) {
            RemovalRefused::Definite
        } else {
            RemovalRefused::Unknown
        }
    }
}

/// How adding a user to a group ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    Added,
    AlreadyMember,
    /// The group was deleted since the user left it.
    NoSuchGroup,
}

/// How creating a user or a group (Add User to Site, Create Group) ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// Tableau's answer, to decode.
    Done(Bytes),
    /// `409000` or `409009`: the site already has one of that name.
    NameTaken,
}

/// How deleting a group ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupDeleted {
    Done,
    /// `404012`: no such group, whether it never was or a retried DELETE
    /// went through the first time; the caller reads back either way.
    AlreadyGone,
}

/// How removing a user from a group ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Left {
    Removed,
    /// Tableau answered 404002: the membership went away in between.
    NotMember,
}

fn is(answer: &Result<Bytes>, code: ErrorCode) -> bool {
    matches!(answer, Err(e) if e.is_tableau(code))
}

impl Removed {
    /// Reads the answer to [`super::users::remove_user`].
    pub fn from_answer(answer: Result<Bytes>) -> Result<Removed> {
        if is(&answer, ErrorCode::USER_NOT_FOUND) {
            return Ok(Removed::AlreadyGone);
        }
        answer.map(|_| Removed::Done)
    }
}

impl Joined {
    /// Reads the answer to [`super::groups::add_member`].
    pub fn from_answer(answer: Result<Bytes>) -> Result<Joined> {
        if is(&answer, ErrorCode::ALREADY_MEMBER) {
            Ok(Joined::AlreadyMember)
        } else if is(&answer, ErrorCode::GROUP_NOT_FOUND) {
            Ok(Joined::NoSuchGroup)
        } else {
            answer.map(|_| Joined::Added)
        }
    }
}

impl Created {
    /// Reads the answer to [`super::users::add_user`] or
    /// [`super::groups::create_group`].
    pub fn from_answer(answer: Result<Bytes>) -> Result<Created> {
        if is(&answer, ErrorCode::NAME_CONFLICT) || is(&answer, ErrorCode::GROUP_NAME_CONFLICT) {
            return Ok(Created::NameTaken);
        }
        answer.map(Created::Done)
    }
}

impl GroupDeleted {
    /// Reads the answer to [`super::groups::delete_group`].
    pub fn from_answer(answer: Result<Bytes>) -> Result<GroupDeleted> {
        if is(&answer, ErrorCode::GROUP_NOT_FOUND) {
            return Ok(GroupDeleted::AlreadyGone);
        }
        answer.map(|_| GroupDeleted::Done)
    }
}

impl Left {
    /// Reads the answer to [`super::groups::remove_member`].
    pub fn from_answer(answer: Result<Bytes>) -> Result<Left> {
        if is(&answer, ErrorCode::USER_NOT_FOUND) {
            return Ok(Left::NotMember);
        }
        answer.map(|_| Left::Removed)
    }
}

/// Reads the answer to a user lookup ([`super::users::get_user`]): `None`
/// when Tableau has no such user, the decoded user otherwise.
pub fn found<T>(
    answer: Result<Bytes>,
    decode: impl FnOnce(&[u8]) -> Result<T>,
) -> Result<Option<T>> {
    match answer {
        Err(e) if e.is_tableau(ErrorCode::USER_NOT_FOUND) => Ok(None),
        Err(e) => Err(e),
        Ok(body) => decode(&body).map(Some),
    }
}

/// Whether Tableau's refusal is definite (a 4xx: the change did not
/// happen). After a lost connection or a 5xx, which may have done the work
/// before failing, the outcome is unknown until read back.
pub fn is_definite(e: &Error) -> bool {
    matches!(e, Error::Tableau(t) if t.status < 500)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TableauError;

    fn tableau(status: u16, code: &str) -> Result<Bytes> {
        Err(Error::Tableau(TableauError {
            status,
            code: ErrorCode::parse(code),
            summary: String::new(),
            detail: String::new(),
        }))
    }

    #[test]
    fn already_so_codes_are_outcomes_and_the_rest_stay_errors() {
        let ok = || Ok(Bytes::new());
        assert_eq!(Removed::from_answer(ok()).unwrap(), Removed::Done);
        assert_eq!(
            Removed::from_answer(tableau(404, "404002")).unwrap(),
            Removed::AlreadyGone
        );
        assert!(Removed::from_answer(tableau(409, "409003")).is_err());
        assert_eq!(Joined::from_answer(ok()).unwrap(), Joined::Added);
        assert_eq!(
            Joined::from_answer(tableau(409, "409011")).unwrap(),
            Joined::AlreadyMember
        );
        assert_eq!(
            Joined::from_answer(tableau(404, "404012")).unwrap(),
            Joined::NoSuchGroup
        );
        assert!(Joined::from_answer(tableau(403, "403000")).is_err());
        assert_eq!(
            Left::from_answer(tableau(404, "404002")).unwrap(),
            Left::NotMember
        );
        assert_eq!(Left::from_answer(ok()).unwrap(), Left::Removed);
        assert!(Left::from_answer(tableau(500, "500000")).is_err());
        let decode = |_: &[u8]| Ok(7);
        assert_eq!(found(tableau(404, "404002"), decode).unwrap(), None);
        assert_eq!(found(ok(), decode).unwrap(), Some(7));
    }

    #[test]
    fn name_conflicts_and_a_gone_group_are_outcomes() {
        let ok = || Ok(Bytes::from_static(b"<x/>"));
        assert_eq!(
            Created::from_answer(ok()).unwrap(),
            Created::Done(Bytes::from_static(b"<x/>"))
        );
        for code in ["409000", "409009"] {
            assert_eq!(
                Created::from_answer(tableau(409, code)).unwrap(),
                Created::NameTaken
            );
        }
        assert!(Created::from_answer(tableau(400, "400013")).is_err());
        assert_eq!(
            GroupDeleted::from_answer(tableau(404, "404012")).unwrap(),
            GroupDeleted::AlreadyGone
        );
        assert_eq!(GroupDeleted::from_answer(ok()).unwrap(), GroupDeleted::Done);
        assert!(GroupDeleted::from_answer(tableau(400, "400000")).is_err());
    }

    #[test]
    fn a_409003_keeps_the_user_and_a_5xx_is_unknown() {
        let of = |r: Result<Bytes>| RemovalRefused::of(&r.unwrap_err());
        assert_eq!(of(tableau(409, "409003")), RemovalRefused::KeptUnlicensed);
        assert_eq!(of(tableau(400, "400000")), RemovalRefused::Definite);
        assert_eq!(of(tableau(500, "500000")), RemovalRefused::Unknown);
    }

    #[test]
    fn only_a_4xx_is_definite() {
        assert!(is_definite(&tableau(400, "400000").unwrap_err()));
        assert!(!is_definite(&tableau(503, "503000").unwrap_err()));
        let lost = Error::Timeout {
            method: "DELETE".into(),
            path: "sites/s/users/u".into(),
            attempts: 3,
        };
        assert!(!is_definite(&lost));
    }
}
