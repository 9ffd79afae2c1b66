/// What a change to a workspace's members, invitations and projects must keep, whichever store makes it. A store
/// reads the facts inside its transaction and asks here, so SQLite and PostgreSQL refuse the same changes, with
/// the same words, and a rule is changed in one place.
public enum WorkspaceRules {
    /// `actor` may give a member holding `current` the role `role`: only owners touch owners.
    public static func checkRoleChange(of current: Role, to role: Role, by actor: Role) throws {
        guard actor.mayChange(current, to: role) else {
            throw WorkspaceError.forbidden("Only an owner can change an owner's role or make someone an owner.")
        }
    }

    /// Whether a member holding `current` and given `role` (nil: leaving) stops being an owner, so that the store
    /// must count the owners left (`checkAnOwnerRemains`).
    public static func takesAnOwnerAway(from current: Role, becoming role: Role?) -> Bool {
        current == .owner && role != .owner
    }

    /// A workspace keeps at least one owner.
    public static func checkAnOwnerRemains(otherOwners: Int) throws {
        guard otherOwners > 0 else {
            throw WorkspaceError.conflict("A workspace keeps at least one owner. Make someone else an owner first.")
        }
    }

    /// `actor` (nil when members leave themselves) may remove a member holding `role`.
    public static func checkRemoval(of role: Role, by actor: Role?) throws {
        if let actor, !actor.mayChange(role, to: nil) {
            throw WorkspaceError.forbidden("Only an owner can remove an owner.")
        }
    }

    /// Nobody is left without a workspace: `memberships` counts the one they would leave.
    public static func checkAnotherWorkspaceRemains(memberships: Int) throws {
        guard memberships > 1 else {
            throw WorkspaceError.conflict("This is their only workspace; delete their account instead.")
        }
    }

    /// Why an account cannot be deleted while it is the only owner of a workspace that has other members.
    public static func soleOwnerCannotLeave(_ workspaceName: String) -> WorkspaceError {
        .conflict("You are the only owner of “\(workspaceName)”, which has other members. Make one of them an owner first.")
    }

    /// A workspace is deleted only when every member has another one to go to.
    public static func checkDeletion(strandedMembers: Int) throws {
        guard strandedMembers == 0 else {
            let who = strandedMembers == 1 ? "a member" : "\(strandedMembers) members"
            throw WorkspaceError.conflict(
                "This is the only workspace of \(who); it cannot be deleted while they have no other.")
        }
    }

    /// `email` may be invited: not a member yet, and without an invitation still pending.
    public static func checkInvite(of email: String, isMember: Bool, pendingInvites: Int) throws {
        guard !isMember else { throw WorkspaceError.invalid(["email": "\(email) is already a member."]) }
        guard pendingInvites == 0 else {
            throw WorkspaceError.invalid(["email": "\(email) already has a pending invitation; revoke it to send a new one."])
        }
    }

    /// An invitation is accepted only by the account it was sent to.
    public static func checkAcceptance(of invitedEmail: String, by accountEmail: String) throws {
        guard invitedEmail == accountEmail else {
            throw WorkspaceError.forbidden("This invitation is for \(invitedEmail); sign in with that email to accept it.")
        }
    }

    /// A workspace keeps at least one project: `projects` counts the one to delete.
    public static func checkProjectDeletion(projects: Int) throws {
        guard projects > 1 else {
            throw WorkspaceError.conflict("A workspace keeps at least one project. Create another before deleting this one.")
        }
    }

    /// A project name is unique in its workspace (a UNIQUE constraint in each store; this is what it means).
    public static func projectNameTaken(_ name: String) -> WorkspaceError {
        .nameTaken("This workspace already has a project named “\(name)”.")
    }

    /// An admin key name is unique in its workspace. `name` is nil on an edit, where the store cannot tell which.
    public static func adminKeyNameTaken(_ name: String?) -> WorkspaceError {
        guard let name else { return .nameTaken("This workspace already has an admin key with this name.") }
        return .nameTaken("This workspace already has an admin key named “\(name)”.")
    }
}
