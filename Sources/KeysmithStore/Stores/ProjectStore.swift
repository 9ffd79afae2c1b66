import Foundation
import KeysmithCore

/// Projects: a workspace's keyspaces, each with its own prefix.
public protocol ProjectStore: Sendable {
    func projects(of workspace: WorkspaceID) async throws -> [ProjectRecord]

    /// One of the workspace's projects; another workspace's id is not found.
    func project(id: ProjectID, in workspace: WorkspaceID) async throws -> ProjectRecord?

    /// A name already used in the workspace is `WorkspaceError.invalid` on `name`.
    func createProject(in workspace: WorkspaceID, _ spec: ProjectSpec, origin: RequestOrigin, now: Date) async throws
        -> ProjectRecord

    /// New keys of the project start with the new prefix; existing keys keep the prefix in their id.
    func updateProject(_ id: ProjectID, in workspace: WorkspaceID, _ spec: ProjectSpec, origin: RequestOrigin, now: Date)
        async throws -> ProjectRecord

    /// Deletes the project and every key in it (their audit entries stay); the workspace's last project cannot go.
    /// `committed` gets the deleted key ids.
    func deleteProject(
        _ id: ProjectID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable ([String]) -> Void
    ) async throws

    /// How many keys each of the workspace's projects holds.
    func keyCountsByProject(in workspace: WorkspaceID) async throws -> [ProjectID: Int]

    /// Every scope some key of the project holds, sorted: what the key form offers as its resource × access grid,
    /// since Keysmith does not know a project's API and its keys are the best record of the scopes in use.
    func scopesInUse(projectID: ProjectID) async throws -> [Scope]
}

extension ProjectStore {
    public func deleteProject(_ id: ProjectID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date) async throws {
        try await deleteProject(id, in: workspace, origin: origin, now: now, committed: { _ in })
    }
}
