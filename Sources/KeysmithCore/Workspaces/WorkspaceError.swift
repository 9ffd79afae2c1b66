/// What can go wrong with workspaces, projects, members, invitations and admin keys.
public enum WorkspaceError: Error, Equatable, Sendable {
    /// Absent, or another workspace's: the same answer, so ids cannot be probed.
    case notFound
    /// Field name → message, as forms and the API show them.
    case invalid([String: String])
    /// The caller's role or permissions do not allow it.
    case forbidden(String)
    /// The change would break a rule of the workspace, such as keeping one owner.
    case conflict(String)
    /// A project or admin key of that name exists in the workspace; the message is for the `name` field.
    case nameTaken(String)
}

extension WorkspaceError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notFound: "Not found"
        case .invalid(let fields): fields.values.sorted().joined(separator: " ")
        case .forbidden(let message), .conflict(let message), .nameTaken(let message): message
        }
    }
}
