/// `/members`: who is in the workspace with which role, pending invitations and the invite form.
struct MembersPage: PageModel {
    static let template = "members/list"

    struct MemberRow: Sendable {
        let accountId: String
        let email: String
        let role: String
        let joined: DisplayDate
        let isYou: Bool
        /// The roles the viewer may give this member; empty when they may not change it.
        let roleOptions: [FormOption]
        let canChangeRole: Bool
        let canRemove: Bool
    }

    struct InviteRow: Sendable {
        let id: String
        let email: String
        let role: String
        let expires: DisplayDate
    }

    let layout: Layout
    let members: [MemberRow]
    let invites: [InviteRow]
    let hasInvites: Bool
    let inviteRoles: [FormOption]
    let inviteEmail: String
    let errors: [String: String]
    /// The link of the invitation just made: shown on this one answer only.
    let newInviteURL: String?
    let newInviteEmail: String?
}

/// `/invites/{token}`: the invitation, and what to do with it (accept, or sign up / log in first).
struct InvitePage: PageModel {
    static let template = "members/invite"

    let layout: Layout
    let token: String
    let workspaceName: String
    let role: String
    let email: String
    let isSignedIn: Bool
    let isForSomeoneElse: Bool
    let signupURL: String
    let loginURL: String
}
