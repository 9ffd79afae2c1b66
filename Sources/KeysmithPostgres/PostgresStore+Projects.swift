import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

/// Projects: keyspaces inside a workspace (DESIGN §11). A workspace always keeps at least one.
extension PostgresStore: ProjectStore {
    public func projects(of workspace: WorkspaceID) async throws -> [ProjectRecord] {
        try await read { c in try await projects(c, workspace: workspace) }
    }

    public func project(id: ProjectID, in workspace: WorkspaceID) async throws -> ProjectRecord? {
        try await read { c in try await project(c, id: id, in: workspace) }
    }

    public func createProject(in workspace: WorkspaceID, _ spec: ProjectSpec, origin: RequestOrigin, now: Date) async throws
        -> ProjectRecord
    {
        try await mappingUniqueViolation(to: WorkspaceRules.projectNameTaken(spec.name)) {
            try await write { c in
                let exists =
                    try await c.query(
                        "SELECT EXISTS (SELECT 1 FROM workspace WHERE id = \(workspace.value)) AS found", logger: logger
                    ).first { try $0.value("found", as: Bool.self) } ?? false
                guard exists else { throw WorkspaceError.notFound }
                return try await insertProject(c, workspace: workspace, spec, origin: origin, now: now)
            }
        }
    }

    public func updateProject(_ id: ProjectID, in workspace: WorkspaceID, _ spec: ProjectSpec, origin: RequestOrigin, now: Date)
        async throws -> ProjectRecord
    {
        try await mappingUniqueViolation(to: WorkspaceRules.projectNameTaken(spec.name)) {
            try await write { c in
                guard var project = try await project(c, id: id, in: workspace) else { throw WorkspaceError.notFound }
                let changes = project.changes(to: spec)
                guard !changes.isEmpty else { return project }
                project.apply(spec, now: now)
                try await c.query(
                    """
                    UPDATE project SET name = \(project.name), key_prefix = \(project.keyPrefix),
                        description = \(project.description), updated_at = \(now)
                    WHERE id = \(id.value)
                    """, logger: logger)
                try await audit(
                    c, workspace: workspace,
                    AuditEvent(.projectUpdated, subject: id.value, detail: changes.joined(separator: ", ")), origin: origin,
                    now: now)
                return project
            }
        }
    }

    public func deleteProject(
        _ id: ProjectID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable ([String]) -> Void
    ) async throws {
        _ = try await write { c in
            guard let project = try await project(c, id: id, in: workspace) else { throw WorkspaceError.notFound }
            let count =
                try await c.query("SELECT COUNT(*) AS n FROM project WHERE workspace_id = \(workspace.value)", logger: logger)
                .first { try $0.value("n", as: Int.self) } ?? 0
            try WorkspaceRules.checkProjectDeletion(projects: count)
            let keyIDs = try await c.query("SELECT id FROM api_key WHERE project_id = \(id.value)", logger: logger)
                .collect { try $0.value("id", as: String.self) }
            let detail = keyIDs.count == 1 ? "\(project.name), with 1 key" : "\(project.name), with \(keyIDs.count) keys"
            try await audit(
                c, workspace: workspace, AuditEvent(.projectDeleted, subject: id.value, detail: detail), origin: origin, now: now)
            try await c.query("DELETE FROM project WHERE id = \(id.value)", logger: logger)
            return keyIDs
        } committed: {
            committed($0)
        }
    }

    public func keyCountsByProject(in workspace: WorkspaceID) async throws -> [ProjectID: Int] {
        try await read { c in
            let pairs = try await c.query(
                "SELECT project_id, COUNT(*) AS n FROM api_key WHERE workspace_id = \(workspace.value) GROUP BY project_id",
                logger: logger
            ).collect { (ProjectID(unchecked: try $0.value("project_id")), try $0.value("n", as: Int.self)) }
            return Dictionary(uniqueKeysWithValues: pairs)
        }
    }

    /// Every scope some key of the project holds, sorted (see `ProjectStore`).
    public func scopesInUse(projectID: ProjectID) async throws -> [Scope] {
        let columns = try await read { c in
            try await c.query("SELECT scopes FROM api_key WHERE project_id = \(projectID.value)", logger: logger)
                .collect { try $0.value("scopes", as: String.self) }
        }
        let texts = columns.flatMap { (try? JSONColumn.decode([String].self, from: $0)) ?? [] }
        return Set(texts.compactMap { try? Scope.parse($0).get() }).sorted()
    }

    func projects(_ c: PostgresConnection, workspace: WorkspaceID) async throws -> [ProjectRecord] {
        try await c.query(
            """
            SELECT \(unescaped: ProjectRecord.columns) FROM project WHERE workspace_id = \(workspace.value)
            ORDER BY created_at, name
            """, logger: logger
        ).collect(ProjectRecord.init(row:))
    }

    private func project(_ c: PostgresConnection, id: ProjectID, in workspace: WorkspaceID) async throws -> ProjectRecord? {
        try await c.query(
            """
            SELECT \(unescaped: ProjectRecord.columns) FROM project WHERE id = \(id.value) AND workspace_id = \(workspace.value)
            """, logger: logger
        ).first(ProjectRecord.init(row:))
    }

    func insertProject(_ c: PostgresConnection, workspace: WorkspaceID, _ spec: ProjectSpec, origin: RequestOrigin, now: Date)
        async throws -> ProjectRecord
    {
        let project = ProjectRecord(
            id: .generate(), workspaceId: workspace, name: spec.name, keyPrefix: spec.keyPrefix.value,
            description: spec.description, createdAt: now, updatedAt: now)
        try await c.query(
            """
            INSERT INTO project (\(unescaped: ProjectRecord.columns)) VALUES (
                \(project.id.value), \(workspace.value), \(project.name), \(project.keyPrefix), \(project.description),
                \(now), \(now))
            """, logger: logger)
        try await audit(
            c, workspace: workspace, AuditEvent(.projectCreated, subject: project.id.value, detail: spec.name), origin: origin,
            now: now)
        return project
    }
}
