import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// The Mustache templates of `Templates/`, loaded once at start-up; a missing page template stops the start.
struct Views: Sendable {
    enum ViewsError: Error, CustomStringConvertible {
        case missingTemplate(String)
        var description: String {
            switch self {
            case .missingTemplate(let name): "template \(name).mustache not found"
            }
        }
    }

    let library: MustacheLibrary

    init(directory: String, required: [any PageModel.Type]) async throws {
        self.library = try await MustacheLibrary(directory: directory)
        for page in required where library.getTemplate(named: page.template) == nil {
            throw ViewsError.missingTemplate("\(directory)/\(page.template)")
        }
    }

    /// Renders a page as an uncacheable HTML response: console pages hold account data.
    func render<Page: PageModel>(_ page: Page, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(MustacheReflection.wrap(page) ?? page, withTemplate: Page.template) else {
            throw ViewsError.missingTemplate(Page.template)
        }
        let headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
