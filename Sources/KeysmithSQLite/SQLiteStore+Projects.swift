import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

/// Projects: keyspaces inside a workspace (DESIGN §11). A workspace always keeps at least one.
extension SQLiteStore {
    public func projects(of workspace: WorkspaceID) async throws -> [ProjectRecord] {
        try await writer.read { db in try Self.projects(db, workspace: workspace) }
    }

    /// One of the workspace's projects; another workspace's id is not found.
    public func project(id: ProjectID, in workspace: WorkspaceID) async throws -> ProjectRecord? {
        try await writer.read { db in
            try ProjectRecord.filter(key: id.value).filter(ProjectRecord.Columns.workspaceId == workspace.value).fetchOne(db)
        }
    }

    /// A name already used in the workspace is `WorkspaceError.invalid` on `name`.
    public func createProject(in workspace: WorkspaceID, _ spec: ProjectSpec, origin: RequestOrigin, now: Date) async throws
        -> ProjectRecord
    {
        try await mappingUniqueViolation(to: WorkspaceRules.projectNameTaken(spec.name)) {
            try await writer.write { db in
                guard try WorkspaceRecord.exists(db, key: workspace.value) else { throw WorkspaceError.notFound }
                return try Self.insertProject(db, workspace: workspace, spec, origin: origin, now: now)
            }
        }
    }

    /// New keys of the project start with the new prefix; existing keys keep the prefix in their id.
    public func updateProject(_ id: ProjectID, in workspace: WorkspaceID, _ spec: ProjectSpec, origin: RequestOrigin, now: Date)
        async throws -> ProjectRecord
    {
        try await mappingUniqueViolation(to: WorkspaceRules.projectNameTaken(spec.name)) {
            try await writer.write { db in
                guard
                    var project = try ProjectRecord.filter(key: id.value)
                        .filter(ProjectRecord.Columns.workspaceId == workspace.value).fetchOne(db)
                else { throw WorkspaceError.notFound }
                let changes = project.changes(to: spec)
                guard !changes.isEmpty else { return project }
                project.apply(spec, now: now)
                try project.update(db)
                try Self.audit(
                    db, workspace: workspace,
                    AuditEvent(.projectUpdated, subject: id.value, detail: changes.joined(separator: ", ")), origin: origin,
                    now: now)
                return project
            }
        }
    }

    /// Deletes the project and every key in it (their audit entries stay); the workspace's last project cannot go.
    /// `committed` gets the deleted key ids.
    public func deleteProject(
        _ id: ProjectID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable ([String]) -> Void
    ) async throws {
        try await writer.write { db in
            guard
                let project = try ProjectRecord.filter(key: id.value)
                    .filter(ProjectRecord.Columns.workspaceId == workspace.value).fetchOne(db)
            else { throw WorkspaceError.notFound }
            try WorkspaceRules.checkProjectDeletion(
                projects: try ProjectRecord.filter(ProjectRecord.Columns.workspaceId == workspace.value).fetchCount(db))
            let keyIDs = try String.fetchAll(db, APIKeyRecord.select(APIKeyRecord.Columns.id).inProject(id))
            let detail = keyIDs.count == 1 ? "\(project.name), with 1 key" : "\(project.name), with \(keyIDs.count) keys"
            try Self.audit(
                db, workspace: workspace, AuditEvent(.projectDeleted, subject: id.value, detail: detail), origin: origin, now: now
            )
            try project.delete(db)
            db.afterNextTransaction { _ in committed(keyIDs) }
        }
    }

    /// How many keys each of the workspace's projects holds.
    public func keyCountsByProject(in workspace: WorkspaceID) async throws -> [ProjectID: Int] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT projectId, COUNT(*) AS n FROM apiKey WHERE workspaceId = ? GROUP BY projectId",
                arguments: [workspace.value])
            return Dictionary(uniqueKeysWithValues: rows.map { (ProjectID(unchecked: $0["projectId"]), $0["n"] as Int) })
        }
    }

    static func projects(_ db: Database, workspace: WorkspaceID) throws -> [ProjectRecord] {
        try ProjectRecord.filter(ProjectRecord.Columns.workspaceId == workspace.value)
            .order(ProjectRecord.Columns.createdAt, ProjectRecord.Columns.name).fetchAll(db)
    }

    static func insertProject(_ db: Database, workspace: WorkspaceID, _ spec: ProjectSpec, origin: RequestOrigin, now: Date)
        throws
        -> ProjectRecord
    {
        let project = ProjectRecord(
            id: .generate(), workspaceId: workspace, name: spec.name, keyPrefix: spec.keyPrefix.value,
            description: spec.description, createdAt: now, updatedAt: now)
        try project.insert(db)
        try audit(
            db, workspace: workspace, AuditEvent(.projectCreated, subject: project.id.value, detail: spec.name), origin: origin,
            now: now)
        return project
    }
}
