import Foundation
import KeysmithCore
import KeysmithStore

/// Makes invitations for the console and the API: checks the email and role (only an owner invites an owner),
/// stores the invitation with its token only as a hash, and hands back the one-time link, to be shown once.
struct InviteIssuer: Sendable {
    let database: any WorkspaceStore
    let clock: AppClock

    /// Invitations stay valid this long.
    static let lifetime: TimeInterval = 7 * 24 * 3600

    /// A problem with the email or role is `WorkspaceError.invalid` on that field; nothing is stored then.
    func invite(
        email typed: String, role typedRole: String?, to workspace: WorkspaceID, inviterRole: Role?, invitedBy: String,
        host: String, origin: RequestOrigin
    ) async throws -> (invite: InviteRecord, url: String) {
        var problems: [String: String] = [:]
        var email: EmailAddress?
        switch EmailAddress.parse(typed) {
        case .success(let parsed): email = parsed
        case .failure(let message): problems["email"] = message.text
        }
        let role = typedRole.flatMap(Role.init(rawValue:))
        if role == nil { problems["role"] = "Use one of owner, admin, developer, viewer." }
        if role == .owner, inviterRole != .owner { problems["role"] = "Only an owner can invite another owner." }
        guard let email, let role, problems.isEmpty else { throw WorkspaceError.invalid(problems) }
        let token = RandomToken.make()
        let now = clock.now()
        let record = InviteRecord(
            id: .generate(), workspaceId: workspace, email: email.value, role: role, tokenHash: RandomToken.hash(token),
            invitedBy: invitedBy, createdAt: now, expiresAt: now.addingTimeInterval(Self.lifetime))
        try await database.createInvite(record, origin: origin, now: now)
        return (record, "http://\(host)/invites/\(token)")
    }
}
