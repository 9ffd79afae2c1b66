import Foundation
import KeysmithCore
import Testing

struct ResponseHeaderTemplateTests {
    static func values() throws -> ResponseHeaderValues {
        ResponseHeaderValues(
            keyID: try KeysFixture.keyID,
            keyName: "CI deploy",
            environment: .live,
            workspaceID: WorkspaceID(unchecked: "ws_0000000000000042"),
            projectID: ProjectID(unchecked: "prj_0000000000000007"),
            scopes: try ScopeSet.parse(["orders:*", "keys:read"]).get(),
            rateLimitRemaining: 9,
            quotaRemaining: nil,
            requestIP: "203.0.113.7"
        )
    }

    @Test(
        arguments: [
            ("X-Key", "${key.id}", "ks_live_0123456789ABCDEF"),
            (
                "X-Info", "env=${key.environment}; account=${account.id}; name=${key.name}",
                "env=live; account=ws_0000000000000042; name=CI deploy"
            ),
            ("X-Project", "${project.id} in ${workspace.id}", "prj_0000000000000007 in ws_0000000000000042"),
            ("X-Scopes", "${key.scopes}", "keys:read,orders:*"),
            ("X-Remaining", "${ratelimit.remaining} left", "9 left"),
            ("X-Client-IP", "${request.ip}", "203.0.113.7"),
            ("X-Static", "fixed value", "fixed value"),
            ("X-Dollars", "costs $5 {not a placeholder} $", "costs $5 {not a placeholder} $"),
            ("X-Empty", "", ""),
            ("x_custom.Header~1", "${key.id}${key.id}", "ks_live_0123456789ABCDEFks_live_0123456789ABCDEF"),
        ] as [(String, String, String)])
    func templatesRenderPlaceholdersPerRequest(name: String, value: String, rendered: String) throws {
        let template = try ResponseHeaderTemplate.parse(ResponseHeaderDraft(name: name, value: value)).get()

        #expect(template.render(try Self.values()) == rendered)
        #expect(template.name == name)
        #expect(template.value == value)
    }

    /// DESIGN §8: a placeholder with no value (here: no quota) leaves the header out instead of sending it empty.
    @Test func aPlaceholderWithoutAValueOmitsTheHeader() throws {
        let template = try ResponseHeaderTemplate.parse(ResponseHeaderDraft(name: "X-Left", value: "${quota.remaining}/100"))
            .get()

        #expect(template.render(try Self.values()) == nil)
    }

    /// The security review sent these through a key's headers; DESIGN §8 reserves them.
    @Test(arguments: [
        "X-Frame-Options", "Content-Security-Policy", "Strict-Transport-Security", "Access-Control-Allow-Origin",
        "Cache-Control", "X-Keysmith-Project-Id", "x-keysmith-anything", "Content-Type", "WWW-Authenticate", "Location",
        "Retry-After",
    ])
    func securityAndIdentityHeadersAreReserved(name: String) {
        #expect(
            ResponseHeaderTemplate.parse(ResponseHeaderDraft(name: name, value: "x"))
                == .failure(
                    FieldMessage("\(name) is reserved and cannot be set by a key.")))
    }

    /// A header stored before its name became reserved still loads (the key stays usable) but is never sent.
    @Test func aStoredHeaderWhoseNameIsNowReservedLoadsButIsNotSendable() throws {
        let json = Data(#"{"name":"Cache-Control","value":"public","exclude":false}"#.utf8)

        let template = try JSONDecoder().decode(ResponseHeaderTemplate.self, from: json)

        #expect(template.name == "Cache-Control")
        #expect(!template.isSendable)
    }

    @Test(arguments: [
        ("", "x", "Enter a header name."),
        ("X Bad", "x", "“X Bad” is not a valid header name; use letters, digits and - (such as X-Team)."),
        ("X-Ünicode", "x", "“X-Ünicode” is not a valid header name; use letters, digits and - (such as X-Team)."),
        ("X-Colon:", "x", "“X-Colon:” is not a valid header name; use letters, digits and - (such as X-Team)."),
        ("Content-Length", "1", "Content-Length is reserved and cannot be set by a key."),
        ("set-cookie", "a=b", "set-cookie is reserved and cannot be set by a key."),
        ("Connection", "close", "Connection is reserved and cannot be set by a key."),
        ("Transfer-Encoding", "chunked", "Transfer-Encoding is reserved and cannot be set by a key."),
        ("Host", "evil", "Host is reserved and cannot be set by a key."),
        ("X-RateLimit-Limit", "1", "X-RateLimit-Limit is reserved and cannot be set by a key."),
        ("Authorization", "Bearer x", "Authorization is reserved and cannot be set by a key."),
        ("X-Team", "a\r\nSet-Cookie: x=y", "The value of X-Team must not contain line breaks or control characters."),
        ("X-Team", "a\nb", "The value of X-Team must not contain line breaks or control characters."),
        ("X-Team", "nul\u{0}", "The value of X-Team must not contain line breaks or control characters."),
        ("X-Team", String(repeating: "v", count: 1025), "The value of X-Team is longer than 1024 characters."),
        (
            "X-Team", "${key.secret}",
            "X-Team: unknown placeholder ${key.secret}; use one of ${key.id}, ${key.name}, ${key.environment}, "
                + "${workspace.id}, ${project.id}, ${account.id}, ${key.scopes}, ${ratelimit.remaining}, "
                + "${quota.remaining}, ${request.ip}."
        ),
        (
            "X-Team", "${}",
            "X-Team: unknown placeholder ${}; use one of ${key.id}, ${key.name}, ${key.environment}, "
                + "${workspace.id}, ${project.id}, ${account.id}, ${key.scopes}, ${ratelimit.remaining}, "
                + "${quota.remaining}, ${request.ip}."
        ),
        ("X-Team", "id=${key.id", "X-Team: “${” is not closed; write placeholders as ${key.id}."),
        ("X-Team", "${key.id} and ${", "X-Team: “${” is not closed; write placeholders as ${key.id}."),
    ])
    func badHeadersAreRefusedWithAMessageNamingTheProblem(name: String, value: String, message: String) {
        #expect(ResponseHeaderTemplate.parse(ResponseHeaderDraft(name: name, value: value)) == .failure(FieldMessage(message)))
    }

    @Test func valuesAtTheLengthLimitAndWithTabsAreAccepted() throws {
        let value = String(repeating: "v", count: 1023) + "\t"

        #expect(try ResponseHeaderTemplate.parse(ResponseHeaderDraft(name: "X-Long", value: value)).get().value == value)
    }

    @Test(arguments: [(20, nil), (21, "Use at most 20 response headers (found 21).")] as [(Int, String?)])
    func aKeyHasAtMostTwentyResponseHeaders(count: Int, message: String?) {
        let drafts = (0..<count).map { ResponseHeaderDraft(name: "X-H\($0)", value: "\($0)") }

        let result = ResponseHeaderTemplate.parse(drafts)

        if let message {
            #expect(result == .failure(FieldMessage(message)))
        } else {
            #expect((try? result.get())?.count == count)
        }
    }

    @Test func duplicateNamesAndEveryBadHeaderAreReportedTogether() {
        let drafts = [
            ResponseHeaderDraft(name: "X-Team", value: "a"), ResponseHeaderDraft(name: "x-team", value: "b"),
            ResponseHeaderDraft(name: "Host", value: "c"),
        ]

        #expect(
            ResponseHeaderTemplate.parse(drafts)
                == .failure("x-team is listed more than once. Host is reserved and cannot be set by a key.")
        )
    }

    @Test func substitutedValuesCannotSplitTheHeader() throws {
        var values = try Self.values()
        values.keyName = "evil\r\nSet-Cookie: x=y"
        let template = try ResponseHeaderTemplate.parse(ResponseHeaderDraft(name: "X-Name", value: "${key.name}")).get()

        #expect(template.render(values) == "evil  Set-Cookie: x=y")
    }

    @Test func templatesListTheirPlaceholdersAndKeepExclude() throws {
        let draft = ResponseHeaderDraft(name: "X-A", value: "${key.id}-${request.ip}-${key.id}", exclude: true)

        let template = try ResponseHeaderTemplate.parse(draft).get()

        #expect(template.placeholders == [.keyID, .requestIP, .keyID])
        #expect(template.exclude)
        #expect(template.draft == draft)
    }

    @Test func templatesEncodeAsNameValueExcludeAndRevalidateWhenDecoded() throws {
        let template = try ResponseHeaderTemplate.parse(ResponseHeaderDraft(name: "X-A", value: "${key.id}")).get()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys

        let data = try encoder.encode([template])

        #expect(String(decoding: data, as: UTF8.self) == #"[{"exclude":false,"name":"X-A","value":"${key.id}"}]"#)
        #expect(try JSONDecoder().decode([ResponseHeaderTemplate].self, from: data) == [template])
        #expect(
            try JSONDecoder().decode(ResponseHeaderTemplate.self, from: Data(#"{"name":"X-A","value":"1"}"#.utf8)).exclude
                == false)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ResponseHeaderTemplate.self, from: Data(#"{"name":"X Bad","value":"x"}"#.utf8))
        }
    }
}
