import Foundation
import Hummingbird

/// The context of `/api/v1`: JSON in and out, the optional console session, and the client address.
struct APIContext: ChildRequestContext, ClientAddressContext {
    var coreContext: CoreRequestContextStorage
    /// Set when a console session cookie came along; key-authenticated calls ignore it.
    let identity: SignedInAccount?
    let clientIP: String?

    init(context: AppRequestContext) throws {
        self.coreContext = context.coreContext  // copy: it already holds the path parameters
        self.identity = context.identity
        self.clientIP = context.clientIP
    }

    var maxUploadSize: Int { 64 * 1024 }

    var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
