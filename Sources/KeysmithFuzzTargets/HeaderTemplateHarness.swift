import Foundation
import HTTPTypes

@testable import KeysmithCore

/// Response header templates. An accepted header parses back from its draft and from JSON, has a name swift-http-types
/// takes and a reserved name never, uses one placeholder per `${`, and renders without control characters whatever
/// the substituted values hold, so no value can split the response.
///
/// Input: the header name, a line break, the value; as a list, one `name:value` per line.
enum HeaderTemplateHarness {
    /// Substituted values an attacker might choose (a key name, a client address), each with line breaks and NUL.
    private static let hostileValues = ResponseHeaderValues(
        keyID: FuzzFixture.keyID, keyName: "name\r\nSet-Cookie: a=b\u{0}\u{85}\u{2028}", environment: .live,
        workspaceID: FuzzFixture.workspaceID, projectID: FuzzFixture.projectID, scopes: .empty, rateLimitRemaining: 7,
        quotaRemaining: 0, requestIP: "203.0.113.7\n\t")

    static func run(_ input: [UInt8]) throws(PropertyViolation) {
        let text = String(decoding: input, as: UTF8.self)
        let (name, value) =
            text.firstIndex(of: "\n").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) } ?? (text, "")
        let draft = ResponseHeaderDraft(name: name, value: value)
        let result = ResponseHeaderTemplate.parse(draft)
        let excluded = ResponseHeaderTemplate.parse(ResponseHeaderDraft(name: name, value: value, exclude: true))
        try expect(
            result.map(\.name) == excluded.map(\.name), "exclude changes whether “\(name)”: “\(value)” is a valid header")
        if case .success(let template) = result { try check(template, from: draft) }

        let drafts = text.split(separator: "\n", omittingEmptySubsequences: false).map(draft(fromLine:))
        if case .success(let templates) = ResponseHeaderTemplate.parse(drafts) {
            try expect(templates.count <= ResponseHeaderTemplate.maxCount, "“\(text)” gives more than 20 headers")
            try expect(
                Set(templates.map { $0.name.lowercased() }).count == templates.count, "“\(text)” gives a header twice")
            try expect(
                ResponseHeaderTemplate.parse(templates.map(\.draft)) == .success(templates),
                "the headers of “\(text)” do not parse back")
        }
    }

    /// `name:value`, or a name alone.
    private static func draft(fromLine line: Substring) -> ResponseHeaderDraft {
        guard let colon = line.firstIndex(of: ":") else { return ResponseHeaderDraft(name: String(line), value: "") }
        return ResponseHeaderDraft(name: String(line[..<colon]), value: String(line[line.index(after: colon)...]))
    }

    private static func check(_ template: ResponseHeaderTemplate, from draft: ResponseHeaderDraft) throws(PropertyViolation) {
        let label = "“\(draft.name)”: “\(draft.value)”"
        try expect(template.name == draft.name.trimmingWhitespace(), "\(label) is named “\(template.name)”")
        try expect(!ResponseHeaderTemplate.isReserved(template.name), "\(label) sets a reserved header")
        try expect(template.isSendable, "\(label) is accepted but never sent")
        try expect(HTTPField.Name(template.name) != nil, "\(label) has a name swift-http-types refuses")
        try expect(ResponseHeaderTemplate.parse(template.draft) == .success(template), "\(label) does not parse back")
        let json = try? JSONDecoder().decode(ResponseHeaderTemplate.self, from: JSONEncoder().encode(template))
        try expect(json == template, "\(label) does not survive JSON")
        let opened = template.value.ranges(of: "${").count
        try expect(template.placeholders.count == opened, "\(label) has \(template.placeholders.count) placeholders")

        guard let rendered = template.render(hostileValues) else {
            throw PropertyViolation(description: "\(label) does not render although every placeholder has a value")
        }
        try expect(
            !rendered.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\t" },
            "\(label) renders control characters: \(rendered.debugDescription)")
        if template.placeholders.isEmpty { try expect(rendered == template.value, "\(label) renders as “\(rendered)”") }
        var withoutLimits = hostileValues
        (withoutLimits.rateLimitRemaining, withoutLimits.quotaRemaining) = (nil, nil)
        let needsLimits = template.placeholders.contains { $0 == .rateLimitRemaining || $0 == .quotaRemaining }
        try expect(
            (template.render(withoutLimits) == nil) == needsLimits,
            "\(label) renders without a rate limit or quota: \(template.render(withoutLimits) ?? "nil")")
    }
}
