import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/audit`: what happened in the current workspace, by whom, newest first, 50 to a page.
struct AuditController {
    let services: AppServices

    func addRoutes(to routes: some RouterMethods<ConsoleContext>) {
        routes.get("/audit", use: list)
    }

    @Sendable func list(_ request: Request, context: ConsoleContext) async throws -> Response {
        let pageNumber = max(1, request.uri.queryParameters.get("page", as: Int.self) ?? 1)
        let page = try await services.database.auditEntries(workspaceID: context.workspace.id, page: pageNumber)
        let now = services.clock.now()
        let rows = page.items.map { entry in
            AuditPage.Row(
                action: entry.auditAction?.summary ?? entry.action, actor: AuditPage.actorLabel(entry.actor),
                subject: entry.subject, detail: entry.detail,
                ip: entry.ip ?? "—", device: UserAgentSummary.describe(entry.userAgent),
                at: DisplayDate(entry.createdAt, now: now)
            )
        }
        let pagination =
            page.pageCount > 1
            ? Pagination(number: page.number, pageCount: page.pageCount, totalCount: page.totalCount, noun: ("entry", "entries"))
            {
                SiteURL.audit(page: $0).path
            } : nil
        return try services.views.render(
            AuditPage(
                layout: Layout("Audit log", context, section: .audit), rows: rows, hasRows: !rows.isEmpty, pagination: pagination)
        )
    }
}
