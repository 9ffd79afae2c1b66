/// A response header a key adds on successful verification: a safe name and a value parsed once into segments.
///
/// Names are RFC 7230 tokens and never hop-by-hop or framing headers, nor ones Keysmith or the proxy own
/// (`content-length`, `set-cookie`, `authorization`, `x-ratelimit-*`, …). Values have no control characters and at
/// most 1024 characters; `exclude` keeps a header defined but not sent.
public struct ResponseHeaderTemplate: Hashable, Sendable {
    public let name: String
    public let value: String
    public let exclude: Bool
    let segments: [Segment]

    /// Literal text or a placeholder, in value order; parsed once so rendering never re-scans `${`.
    enum Segment: Hashable, Sendable {
        case text(String)
        case placeholder(ResponseHeaderPlaceholder)
    }

    public static let maxCount = 20
    public static let maxNameLength = 100
    public static let maxValueLength = 1024

    /// Lowercased names a key may not set (DESIGN §8): hop-by-hop and framing headers, credentials, cookies, caching,
    /// redirects, rate-limit and identity headers, CORS and the security headers Keysmith sends itself.
    public static let reservedNames: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "date", "set-cookie", "cookie", "authorization", "www-authenticate",
        "location", "retry-after", "cache-control", "pragma", "expires", "x-api-key", "x-api-secret", "x-request-id",
        "x-frame-options", "strict-transport-security", "x-content-type-options", "referrer-policy",
        "permissions-policy", "cross-origin-opener-policy", "cross-origin-embedder-policy",
        "cross-origin-resource-policy",
    ]
    public static let reservedNamePrefixes = ["x-ratelimit-", "ratelimit", "x-keysmith-", "content-", "access-control-"]

    /// Whether a key may not set a header called `name`, whatever its case.
    public static func isReserved(_ name: String) -> Bool {
        let lowercased = name.lowercased()
        return reservedNames.contains(lowercased) || reservedNamePrefixes.contains(where: lowercased.hasPrefix)
    }

    public static func parse(_ draft: ResponseHeaderDraft) -> Result<ResponseHeaderTemplate, FieldMessage> {
        parse(draft, allowingReserved: false)
    }

    /// `allowingReserved` reads back what an older version stored before a name became reserved; such a header is
    /// kept (so the key still loads and can be edited) but never sent.
    static func parse(_ draft: ResponseHeaderDraft, allowingReserved: Bool) -> Result<ResponseHeaderTemplate, FieldMessage> {
        let name = draft.name.trimmingWhitespace()
        guard !name.isEmpty else { return .failure("Enter a header name.") }
        guard name.utf8.count <= maxNameLength, name.utf8.allSatisfy(isTokenCharacter) else {
            return .failure(FieldMessage("“\(name)” is not a valid header name; use letters, digits and - (such as X-Team)."))
        }
        guard allowingReserved || !isReserved(name) else {
            return .failure(FieldMessage("\(name) is reserved and cannot be set by a key."))
        }
        guard draft.value.unicodeScalars.count <= maxValueLength else {
            return .failure(FieldMessage("The value of \(name) is longer than \(maxValueLength) characters."))
        }
        guard !draft.value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" })
        else {
            return .failure(FieldMessage("The value of \(name) must not contain line breaks or control characters."))
        }
        return segments(of: draft.value).map { segments in
            ResponseHeaderTemplate(name: name, value: draft.value, exclude: draft.exclude, segments: segments)
        }.mapError { FieldMessage("\(name): \($0.text)") }
    }

    /// A key's whole list: at most 20, names unique (case-insensitive), every problem named.
    public static func parse(_ drafts: [ResponseHeaderDraft]) -> Result<[ResponseHeaderTemplate], FieldMessage> {
        guard drafts.count <= maxCount else {
            return .failure(FieldMessage("Use at most \(maxCount) response headers (found \(drafts.count))."))
        }
        var templates: [ResponseHeaderTemplate] = []
        var seen: Set<String> = []
        var problems: [String] = []
        for draft in drafts {
            switch parse(draft) {
            case .success(let template):
                if seen.insert(template.name.lowercased()).inserted {
                    templates.append(template)
                } else {
                    problems.append("\(template.name) is listed more than once.")
                }
            case .failure(let message):
                problems.append(message.text)
            }
        }
        guard problems.isEmpty else { return .failure(FieldMessage(problems.joined(separator: " "))) }
        return .success(templates)
    }

    /// Whether the header may be sent: false for a name reserved since it was stored, and for an excluded header.
    public var isSendable: Bool { !exclude && !Self.isReserved(name) }

    /// The value for one request, or nil when a placeholder has no value (no rate limit, no quota): the header is
    /// then left out rather than sent empty. Substituted values lose control characters so they cannot split it.
    public func render(_ values: ResponseHeaderValues) -> String? {
        var result = ""
        for segment in segments {
            switch segment {
            case .text(let text):
                result += text
            case .placeholder(let placeholder):
                guard let value = values[placeholder] else { return nil }
                result.unicodeScalars.append(
                    contentsOf: value.unicodeScalars.lazy.map { $0.properties.generalCategory == .control ? " " : $0 })
            }
        }
        return result
    }

    /// The placeholders the value uses, in order.
    public var placeholders: [ResponseHeaderPlaceholder] {
        segments.compactMap { if case .placeholder(let placeholder) = $0 { placeholder } else { nil } }
    }

    public var draft: ResponseHeaderDraft { ResponseHeaderDraft(name: name, value: value, exclude: exclude) }

    private static func segments(of value: String) -> Result<[Segment], FieldMessage> {
        var segments: [Segment] = []
        var rest = value[...]
        while let start = rest.firstRange(of: "${") {
            if start.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<start.lowerBound]))) }
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                return .failure("“${” is not closed; write placeholders as ${key.id}.")
            }
            let name = String(afterOpen[..<close])
            guard let placeholder = ResponseHeaderPlaceholder(rawValue: name) else {
                let known = ResponseHeaderPlaceholder.allCases.map { "${\($0.rawValue)}" }.joined(separator: ", ")
                return .failure(FieldMessage("unknown placeholder ${\(name)}; use one of \(known)."))
            }
            segments.append(.placeholder(placeholder))
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        return .success(segments)
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension ResponseHeaderTemplate: Codable {
    private enum CodingKeys: String, CodingKey { case name, value, exclude }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let draft = ResponseHeaderDraft(
            name: try container.decode(String.self, forKey: .name),
            value: try container.decode(String.self, forKey: .value),
            exclude: try container.decodeIfPresent(Bool.self, forKey: .exclude) ?? false
        )
        switch Self.parse(draft, allowingReserved: true) {
        case .success(let template): self = template
        case .failure(let message):
            throw DecodingError.dataCorruptedError(forKey: .name, in: container, debugDescription: message.text)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(value, forKey: .value)
        try container.encode(exclude, forKey: .exclude)
    }
}
