import Foundation

/// What the audit log asks for: entries about one object, of some actions, in a time range, a page at a time.
public struct AuditQuery: Sendable, Equatable {
    /// The object's id (a key id such as `ks_live_…`); nil for every object.
    public var subject: String?
    /// The raw actions to include; nil for every action.
    public var actions: [String]?
    /// From this moment on (inclusive).
    public var since: Date?
    /// Up to, not including, this moment.
    public var until: Date?
    public var page: Int
    public var pageSize: Int

    public init(
        subject: String? = nil, actions: [String]? = nil, since: Date? = nil, until: Date? = nil, page: Int = 1,
        pageSize: Int = 50
    ) {
        self.subject = subject
        self.actions = actions
        self.since = since
        self.until = until
        self.page = min(max(1, page), KeyListQuery.maxPage)
        self.pageSize = min(max(1, pageSize), 100)
    }
}

/// Names of the objects audit entries point at, so the log can link what still exists and name what is gone.
public struct AuditSubjects: Sendable, Equatable {
    /// The workspace's keys among the subjects, by id: their current name.
    public var keys: [String: String] = [:]
    /// Keys among the subjects that were deleted, by id: their name when deleted.
    public var deletedKeys: [String: String] = [:]
    /// The workspace's projects among the subjects, by id.
    public var projects: [String: String] = [:]
    /// The workspace's admin keys among the subjects and actors, by id.
    public var adminKeys: [String: String] = [:]

    public init(
        keys: [String: String] = [:], deletedKeys: [String: String] = [:], projects: [String: String] = [:],
        adminKeys: [String: String] = [:]
    ) {
        self.keys = keys
        self.deletedKeys = deletedKeys
        self.projects = projects
        self.adminKeys = adminKeys
    }
}
