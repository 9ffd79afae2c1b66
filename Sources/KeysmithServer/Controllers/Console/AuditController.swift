import Foundation
import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/audit`: what happened in the current workspace, by whom, newest first, 50 to a page, narrowed by key, event
/// and date; `/audit.csv`: the same selection as a download.
struct AuditController {
    let services: AppServices

    /// Rows in one export; far more than a workspace makes in years, small enough to build in memory.
    static let exportLimit = 100_000
    /// Keys offered in the filter's list (any other id can still be typed).
    static let keyChoiceLimit = 200

    func addRoutes(to routes: some RouterMethods<ConsoleContext>) {
        routes.get(SiteURL.audit(page: 1).route, use: list)
        routes.get(SiteURL.auditCSV.route, use: export)
    }

    @Sendable func list(_ request: Request, context: ConsoleContext) async throws -> Response {
        let filter = AuditFilter(FormFields.query(of: request))
        let workspace = context.workspace
        var page: Page<AuditEntryRecord>?
        if let query = filter.query {
            page = try await services.database.auditEntries(workspaceID: workspace.id, matching: query)
        }
        let subjects = try await services.database.auditSubjects(of: page?.items ?? [], workspaceID: workspace.id)
        let keys = try await services.database.keyNames(workspaceID: workspace.id, limit: Self.keyChoiceLimit)
        let auditPage = AuditPage(
            layout: Layout("Audit log", context, section: .audit), filter: filter, page: page, subjects: subjects,
            workspace: (workspace.id.value, workspace.name),
            keyChoices: keys.map { AuditPage.KeyChoice(id: $0.id, name: $0.name) },
            now: services.clock.now())
        // A filter that cannot be used is the request's fault; the page says which field to fix.
        return try services.views.render(auditPage, status: filter.errors.isEmpty ? .ok : .badRequest)
    }

    @Sendable func export(_ request: Request, context: ConsoleContext) async throws -> Response {
        let filter = AuditFilter(FormFields.query(of: request))
        guard var query = filter.query else {
            let problems = filter.errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
            return Response(
                status: .badRequest, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: problems + "\n")))
        }
        query.page = 1
        let workspace = context.workspace
        let entries = try await services.database.allAuditEntries(
            workspaceID: workspace.id, matching: query, limit: Self.exportLimit)
        let subjects = try await services.database.auditSubjects(of: entries, workspaceID: workspace.id)
        let csv = AuditCSV.document(entries, subjects: subjects, workspace: (workspace.id.value, workspace.name))
        let day = RFC3339.string(from: services.clock.now()).prefix(10)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"keysmith-audit-\(workspace.id.value)-\(day).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }
}
