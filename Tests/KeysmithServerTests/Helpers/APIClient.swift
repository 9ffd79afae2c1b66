import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import NIOCore
import Synchronization
import Testing

/// Calls the JSON API the ways DESIGN §6 allows: as the signed-in console user (session cookie plus `X-CSRF-Token`,
/// as a script on a console page would), as a key (`Authorization: Bearer`, no cookies), or with no credentials.
struct APIClient {
    let client: any TestClientProtocol
    /// Sent with every request: the caller's credentials.
    var headers: HTTPFields

    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let apiKeyHeader = HTTPField.Name("x-api-key")!
    static let apiSecretHeader = HTTPField.Name("x-api-secret")!

    init(client: any TestClientProtocol, headers: HTTPFields = [:]) {
        self.client = client
        self.headers = headers
    }

    /// As the browser's signed-in user; `csrf: false` leaves out the header a console script would send.
    init(session browser: Browser, csrf: Bool = true) {
        var headers = HTTPFields()
        headers[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        if csrf, let token = browser.csrfToken { headers[Self.csrfHeader] = token }
        self.init(client: browser.client, headers: headers)
    }

    /// As a key, presented as `Authorization: Bearer <token>`.
    init(token: String, client: any TestClientProtocol) {
        self.init(client: client, headers: [.authorization: "Bearer \(token)"])
    }

    /// Sends `body` as it is, with `Content-Type: contentType` when there is a body.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, raw body: String? = nil, contentType: String = "application/json",
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        if body != nil { headers[.contentType] = contentType }
        for field in extra { headers[field.name] = field.value }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Sends `body` (a JSON object or array built from literals; `NSNull()` for null) as JSON.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, json body: Any, headers extra: HTTPFields = [:]) async throws
        -> TestResponse
    {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return try await send(method, path, raw: String(decoding: data, as: UTF8.self), headers: extra)
    }

    @discardableResult
    func get(_ path: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.get, path, headers: headers)
    }

    @discardableResult
    func post(_ path: String, _ body: Any? = nil) async throws -> TestResponse {
        guard let body else { return try await send(.post, path) }
        return try await send(.post, path, json: body)
    }

    @discardableResult
    func patch(_ path: String, _ body: Any) async throws -> TestResponse {
        try await send(.patch, path, json: body)
    }

    @discardableResult
    func delete(_ path: String) async throws -> TestResponse {
        try await send(.delete, path)
    }

    /// Creates a key and requires the 201; `token` is there when the key was activated with a generated secret.
    @discardableResult
    func createKey(_ body: [String: Any], headers: HTTPFields = [:]) async throws -> CreatedKey {
        let response = try await send(.post, "/api/v1/keys", json: body, headers: headers)
        try #require(response.status == .created, "create failed: \(response.status) \(response.text)")
        let json = try response.json
        let id = try #require(json["id"]?.string)
        if let project = json["projectId"]?.string { KeyProjects.remember(id, in: project) }
        return CreatedKey(id: id, token: json["token"]?.string, body: json)
    }

    /// Creates an admin key (`POST /api/v1/admin-keys`) and requires the 201 with its token.
    func createAdminKey(_ body: [String: Any]) async throws -> (id: String, token: String) {
        let response = try await post("/api/v1/admin-keys", body)
        try #require(response.status == .created, "admin key create failed: \(response.status) \(response.text)")
        let json = try response.json
        return (try #require(json["id"]?.string), try #require(json["token"]?.string))
    }

    /// `POST /api/v1/keys/verify` with a token (and optional scope and address) at the gate of `project` — by
    /// default the project the key was created in through `createKey`; requires the always-200 answer.
    func verify(token: String, scope: String? = nil, ip: String? = nil, project: String? = nil) async throws -> JSONValue {
        let gate = try #require(project ?? KeyProjects.project(ofToken: token), "no project known for this token")
        var body: [String: Any] = ["token": token, "project": gate]
        if let scope { body["scope"] = scope }
        if let ip { body["ip"] = ip }
        let response = try await post("/api/v1/keys/verify", body)
        try #require(response.status == .ok, "verify failed: \(response.status) \(response.text)")
        return try response.json
    }
}

/// The project of each key the tests created through the API, so a verification can name its gate without every
/// test looking it up. Key ids are random, so one table serves every test.
enum KeyProjects {
    private static let table = Mutex<[String: String]>([:])

    static func remember(_ keyID: String, in project: String) {
        table.withLock { $0[keyID] = project }
    }

    /// The project of the key a token belongs to (its id is everything before the last `_`).
    static func project(ofToken token: String) -> String? {
        guard let end = token.lastIndex(of: "_") else { return nil }
        let keyID = String(token[..<end])
        return table.withLock { $0[keyID] }
    }
}

/// A key as `POST /api/v1/keys` answered it.
struct CreatedKey {
    let id: String
    let token: String?
    let body: JSONValue

    /// The secret part of the token (after the key id and `_`).
    var secret: String? { token.map { String($0.dropFirst(id.count + 1)) } }
}

extension TestResponse {
    /// The body parsed as JSON; fails the test (throws) when it is not JSON.
    var json: JSONValue {
        get throws {
            do {
                return try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
            } catch {
                Issue.record("not JSON (\(status)): \(text)")
                throw error
            }
        }
    }
}

/// Parses JSON text written in a test, for comparing parts of an answer with `==`.
func json(_ text: String) -> JSONValue {
    (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string("<invalid JSON in test: \(text)>")
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    subscript(_ index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { array[index] } else { nil }
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var int: Int? { if case .integer(let value) = self { Int(value) } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var isNull: Bool { self == .null }
}

/// Requires DESIGN §6's error answer: `status`, and a body that is exactly `{"error": {"code", "message"[, "fields"]}}`
/// with string values. Returns `fields` (empty when absent) so a test can check which fields were named.
@discardableResult
func expectProblem(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: String] {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    let body = try response.json
    #expect(body.object.map { Set($0.keys) } == ["error"], "\(response.text)", sourceLocation: sourceLocation)
    let error = try #require(body["error"]?.object, sourceLocation: sourceLocation)
    #expect(Set(error.keys).isSubset(of: ["code", "message", "fields"]), "\(response.text)", sourceLocation: sourceLocation)
    #expect(error["code"]?.string == code, "\(response.text)", sourceLocation: sourceLocation)
    #expect(error["message"]?.string?.isEmpty == false, "\(response.text)", sourceLocation: sourceLocation)
    guard let fields = error["fields"] else { return [:] }
    let object = try #require(fields.object, "fields is not an object: \(response.text)", sourceLocation: sourceLocation)
    var messages: [String: String] = [:]
    for (name, value) in object {
        messages[name] = try #require(
            value.string, "field message is not a string: \(response.text)", sourceLocation: sourceLocation)
    }
    return messages
}

/// Everything a refused request must leave alone in one account: its keys (every field but their last use, which
/// the caller's own key gets on every verified call, written behind) and its audit log.
struct AccountState: Equatable {
    var keys: [APIKey]
    var auditCount: Int

    static func of(_ app: TestApp, email: String = "ann@example.com") async throws -> AccountState {
        let project = try await defaultProject(app, email: email)
        let keys = try await app.database.keys(
            projectID: project.id, matching: KeyListQuery(), after: nil, limit: 100, now: app.clock.now)
        let audit = try await app.database.auditEntries(workspaceID: project.workspaceId, page: 1)
        let withoutLastUse = keys.items.map { key in
            var key = key
            (key.lastUsedAt, key.lastUsedIP) = (nil, nil)
            return key
        }
        return AccountState(keys: withoutLastUse, auditCount: audit.totalCount)
    }

    /// The account id of a signed-up user, for store look-ups.
    static func accountId(_ app: TestApp, email: String = "ann@example.com") async throws -> Int64 {
        try #require(try await app.database.account(email: EmailAddress(unchecked: email))?.id)
    }

    /// The Default project of the user's personal workspace, where their keys go unless a test says otherwise.
    static func defaultProject(_ app: TestApp, email: String = "ann@example.com") async throws -> ProjectRecord {
        let id = try await accountId(app, email: email)
        let selection = try await app.database.selection(accountId: id, workspace: nil, project: nil)
        return try #require(selection?.project)
    }
}

/// One row of a route table: method, path (`{id}` stands for a key id) and an optional raw JSON body.
struct APIRoute: Sendable, CustomTestStringConvertible {
    let method: HTTPRequest.Method
    let path: String
    let body: String?

    init(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) {
        self.method = method
        self.path = path
        self.body = body
    }

    var testDescription: String { "\(method) \(path)" }

    /// Sends this request as `api`, with `id` in place of `{id}`.
    func send(as api: APIClient, id: String = "") async throws -> TestResponse {
        try await api.send(method, path.replacingOccurrences(of: "{id}", with: id), raw: body)
    }
}
