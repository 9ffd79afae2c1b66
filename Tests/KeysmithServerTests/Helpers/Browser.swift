import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A minimal browser over Hummingbird's test client: keeps cookies and the page's CSRF token between requests.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// From the last HTML page's `<meta name="csrf-token">`, as a script or form would use it.
    var csrfToken: String?
    var userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36"

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    mutating func get(_ path: String) async throws -> TestResponse {
        try await send(.get, path)
    }

    /// Posts a form with this browser's CSRF token unless the form names its own `csrf_token`.
    @discardableResult
    mutating func post(_ path: String, _ form: [String: String] = [:], headers: HTTPFields = [:]) async throws -> TestResponse {
        var form = form
        if form["csrf_token"] == nil, let csrfToken { form["csrf_token"] = csrfToken }
        return try await postRaw(path, form, headers: headers)
    }

    /// Posts exactly the given fields, with no CSRF token added.
    @discardableResult
    mutating func postRaw(_ path: String, _ form: [String: String], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(.post, path, headers: headers, body: ByteBuffer(string: Self.encode(form)))
    }

    /// Posts fields in order, names may repeat (checkboxes, header rows), with this browser's CSRF token unless `csrf`
    /// is false — the way a real HTML form is sent, which `post(_:_:)`'s dictionary cannot express.
    @discardableResult
    mutating func submit(_ path: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> TestResponse {
        let pairs = (csrf ? [("csrf_token", csrfToken ?? "")] : []) + fields
        return try await send(
            .post, path, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: Self.encode(pairs))
        )
    }

    mutating func send(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: ByteBuffer? = nil)
        async throws -> TestResponse
    {
        var headers = headers
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        if headers[.userAgent] == nil { headers[.userAgent] = userAgent }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] { store(setCookie: header) }
        if let token = Self.metaCSRFToken(in: response.text) { csrfToken = token }
        return response
    }

    /// Signs up through the real form and ends signed in.
    mutating func signUp(email: String = "ann@example.com", password: String = "correct horse battery") async throws {
        try await get("/signup")
        let response = try await post("/signup", ["email": email, "password": password])
        precondition(response.status == .seeOther, "sign-up failed: \(response.status) \(response.text)")
        try await get("/account")
    }

    mutating func logIn(email: String = "ann@example.com", password: String = "correct horse battery") async throws
        -> TestResponse
    {
        try await get("/login")
        return try await post("/login", ["email": email, "password": password])
    }

    private mutating func store(setCookie header: String) {
        let pair = header.split(separator: ";", maxSplits: 1)[0].split(
            separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard pair.count == 2 else { return }
        let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
        if header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = String(pair[1]) }
    }

    static func encode(_ form: [String: String]) -> String {
        encode(form.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    static func metaCSRFToken(in html: String) -> String? {
        guard let range = html.range(of: #"<meta name="csrf-token" content=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
