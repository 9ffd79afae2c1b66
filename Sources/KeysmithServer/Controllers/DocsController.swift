import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The API's own description: `GET /api/v1/openapi.json` (the contract, served as written) and `GET /docs/api`
/// (the same document as a readable page with copyable curl examples).
struct DocsController {
    let document: Data
    let views: Views

    /// Loads `api/openapi.json` from the templates folder once; a missing or broken document stops the start.
    init(templatesDirectory: String, views: Views) throws {
        document = try Data(contentsOf: URL(fileURLWithPath: templatesDirectory).appendingPathComponent("api/openapi.json"))
        _ = try JSONSerialization.jsonObject(with: document)
        self.views = views
    }

    /// `/openapi.json` in the API group.
    func addDocumentRoutes(to routes: some RouterMethods<AppRequestContext>) {
        routes.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: document))
            )
        }
        routes.refuseOtherMethods(on: "/openapi.json", allowing: [.get])
    }

    /// `/docs/api` in the console group.
    func addPageRoutes(to routes: some RouterMethods<AppRequestContext>) {
        routes.get(SiteURL.apiDocs.route, use: page)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let base = "http://\(request.head.authority ?? "127.0.0.1:8080")"
        return try views.render(
            try APIDocsPage.build(openAPI: document, layout: Layout("API reference", context, section: .docs), baseURL: base))
    }
}
