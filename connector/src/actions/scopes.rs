//! The least connected-app scopes each action signs in with. They matter
//! only for connected apps; a PAT or password carries its user's rights.

use crate::credentials::Scope;

use super::{TargetRequest, Verb};

/// Suspend: find the user and their groups, read the site's groups (which
/// of them grant a licence on sign-in), set the role.
pub const SUSPEND: &[Scope] = &[Scope::UsersRead, Scope::UsersUpdate, Scope::GroupsRead];

/// What `--sticky` adds: leaving groups.
pub const STICKY: &[Scope] = &[Scope::GroupsUpdate];

/// Restore: find the user and read them back, put the role back, rejoin
/// the groups a sticky suspend removed. Reading is needed to resolve the
/// user by name or email and to verify the change.
pub const RESTORE: &[Scope] = &[
    Scope::UsersRead,
    Scope::UsersUpdate,
    Scope::GroupsRead,
    Scope::GroupsUpdate,
];

/// Deprovision: find the user, inventory their content (flows need their
/// own read scope), remove them. Removal with `mapAssetsTo` moves ownership
/// inside Remove User, which needs no content update scope.
pub const DEPROVISION: &[Scope] = &[
    Scope::UsersRead,
    Scope::UsersDelete,
    Scope::ContentRead,
    Scope::FlowsRead,
];

/// Removing a user from a group: find the user, list their groups, leave.
pub const REMOVE_MEMBER: &[Scope] = &[Scope::UsersRead, Scope::GroupsRead, Scope::GroupsUpdate];

/// Adding a user: look the name up, add, set full name and email, read
/// back.
pub const ADD_USER: &[Scope] = &[Scope::UsersRead, Scope::UsersCreate, Scope::UsersUpdate];

/// Updating a user: read them (and, for a site-role change, the site's
/// administrators), update, read back.
pub const UPDATE_USER: &[Scope] = &[Scope::UsersRead, Scope::UsersUpdate];

/// Adding a member: read the user and their groups, list the site's
/// groups, join.
pub const ADD_MEMBER: &[Scope] = &[Scope::UsersRead, Scope::GroupsRead, Scope::GroupsUpdate];

/// Creating a local group: list the site's groups, create.
pub const CREATE_GROUP: &[Scope] = &[Scope::GroupsRead, Scope::GroupsCreate];

/// Deleting a group: list the site's groups, delete.
pub const DELETE_GROUP: &[Scope] = &[Scope::GroupsRead, Scope::GroupsDelete];

/// The scopes one action needs, by its verb alone (a batch target adds
/// what its options ask for: see [`for_request`]).
pub fn for_verb(verb: Verb) -> &'static [Scope] {
    match verb {
        Verb::AddUser => ADD_USER,
        Verb::UpdateUser => UPDATE_USER,
        Verb::AddMember => ADD_MEMBER,
        Verb::CreateGroup => CREATE_GROUP,
        Verb::DeleteGroup => DELETE_GROUP,
        Verb::Suspend => SUSPEND,
        Verb::Restore => RESTORE,
        Verb::Deprovision => DEPROVISION,
        Verb::RemoveMember => REMOVE_MEMBER,
    }
}

/// The scopes one target needs.
pub fn for_request(request: &TargetRequest) -> Vec<Scope> {
    let mut scopes: Vec<Scope> = match request.verb {
        Verb::Suspend => SUSPEND.to_vec(),
        Verb::Restore => RESTORE.to_vec(),
        Verb::RemoveMember => REMOVE_MEMBER.to_vec(),
        Verb::AddUser
        | Verb::UpdateUser
        | Verb::AddMember
        | Verb::CreateGroup
        | Verb::DeleteGroup => for_verb(request.verb).to_vec(),
        Verb::Deprovision => {
            let mut s = DEPROVISION.to_vec();
            if request.on_content == tabgov_mapping::OnContent::Suspend {
                s.extend_from_slice(SUSPEND);
            }
            s
        }
    };
    let suspends = request.verb == Verb::Suspend
        || (request.verb == Verb::Deprovision
            && request.on_content == tabgov_mapping::OnContent::Suspend);
    if request.sticky && suspends {
        scopes.extend_from_slice(STICKY);
    }
    scopes
}

/// The scopes a batch needs: the union over its targets, sorted.
pub fn for_batch(requests: &[TargetRequest]) -> Vec<Scope> {
    let mut scopes: Vec<Scope> = requests.iter().flat_map(for_request).collect();
    scopes.sort();
    scopes.dedup();
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;
    use tabgov_mapping::OnContent;

    fn req(verb: Verb, sticky: bool, on_content: OnContent) -> TargetRequest {
        TargetRequest {
            sticky,
            on_content,
            ..TargetRequest::new("u", verb)
        }
    }

    fn names(scopes: &[Scope]) -> Vec<&'static str> {
        scopes.iter().map(|s| s.as_str()).collect()
    }

    #[test]
    fn each_action_asks_only_for_what_it_uses() {
        let plain = for_batch(&[req(Verb::Suspend, false, OnContent::Refuse)]);
        assert_eq!(
            names(&plain),
            [
                "tableau:users:read",
                "tableau:users:update",
                "tableau:groups:read"
            ]
        );
        let sticky = for_batch(&[req(Verb::Suspend, true, OnContent::Refuse)]);
        assert_eq!(
            names(&sticky),
            [
                "tableau:users:read",
                "tableau:users:update",
                "tableau:groups:read",
                "tableau:groups:update"
            ]
        );
        let remove = for_batch(&[req(Verb::Deprovision, true, OnContent::Refuse)]);
        assert_eq!(
            names(&remove),
            [
                "tableau:users:read",
                "tableau:users:delete",
                "tableau:content:read",
                "tableau:flows:read"
            ]
        );
        let instead = for_batch(&[req(Verb::Deprovision, false, OnContent::Suspend)]);
        assert_eq!(
            names(&instead),
            [
                "tableau:users:read",
                "tableau:users:update",
                "tableau:users:delete",
                "tableau:groups:read",
                "tableau:content:read",
                "tableau:flows:read"
            ]
        );
        let add = for_batch(&[req(Verb::AddUser, false, OnContent::Refuse)]);
        assert_eq!(
            names(&add),
            [
                "tableau:users:read",
                "tableau:users:update",
                "tableau:users:create"
            ]
        );
        assert_eq!(
            names(for_verb(Verb::DeleteGroup)),
            ["tableau:groups:read", "tableau:groups:delete"]
        );
        assert_eq!(
            names(for_verb(Verb::CreateGroup)),
            ["tableau:groups:read", "tableau:groups:create"]
        );
        let restore = for_batch(&[req(Verb::Restore, false, OnContent::Refuse)]);
        assert_eq!(
            names(&restore),
            [
                "tableau:users:read",
                "tableau:users:update",
                "tableau:groups:read",
                "tableau:groups:update"
            ]
        );
    }
}
