import HTTPTypes
import Hummingbird

extension RouterMethods {
    /// Answers 405 with `Allow` for the methods `path` does not serve, so a wrong method is told apart from a
    /// wrong path (which stays 404).
    func refuseOtherMethods(on path: RouterPath, allowing allowed: [HTTPRequest.Method]) {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] where !allowed.contains(method) {
            on(path, method: method) { _, _ -> Response in
                throw HTTPProblem(.methodNotAllowed, "METHOD_NOT_ALLOWED", "Use \(allow) here", headers: [.allow: allow])
            }
        }
    }
}
