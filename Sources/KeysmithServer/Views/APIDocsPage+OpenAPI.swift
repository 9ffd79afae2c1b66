import Foundation

extension APIDocsPage {
    /// Why the OpenAPI document could not become a page; only a broken `Templates/api/openapi.json` gets here.
    enum DocumentError: Error, Equatable, CustomStringConvertible {
        case notAnObject
        case missing(String)
        case unresolvableReference(String)

        var description: String {
            switch self {
            case .notAnObject: "the OpenAPI document is not a JSON object"
            case .missing(let field): "the OpenAPI document has no \(field)"
            case .unresolvableReference(let reference): "the OpenAPI document cannot resolve \(reference)"
            }
        }
    }

    /// Where the API serves the document this page is built from.
    static let documentPath = "/api/v1/openapi.json"

    /// The methods shown, in the order a reader expects them under one path.
    private static let methods = ["get", "post", "put", "patch", "delete"]

    /// Reads the document once (at start-up): sections in the order of its `tags`, operations by path then method.
    ///
    /// Examples are listed by name, except that one named `default` comes first and feeds the curl command;
    /// query parameters with an `example` appear in the curl command, others only in the table.
    /// - Parameter baseURL: the server's public origin for the curl commands, such as `http://127.0.0.1:8080`.
    static func build(openAPI data: Data, layout: Layout, baseURL: String) throws -> APIDocsPage {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DocumentError.notAnObject
        }
        let document = OpenAPIReader(root: root)
        guard let info = root["info"] as? [String: Any], let title = info["title"] as? String else {
            throw DocumentError.missing("info.title")
        }
        guard let paths = root["paths"] as? [String: Any] else { throw DocumentError.missing("paths") }
        let origin = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let schemes = document.dictionary(root["components"]).flatMap { document.dictionary($0["securitySchemes"]) } ?? [:]

        var operationsByTag: [String: [Operation]] = [:]
        for path in paths.keys.sorted() {
            guard let item = try document.resolve(paths[path]) as? [String: Any] else { continue }
            for method in methods {
                guard let raw = item[method] as? [String: Any] else { continue }
                let operation = try Self.operation(
                    raw, method: method, path: path, pathItem: item, document: document, schemes: schemes, origin: origin)
                let tag = (raw["tags"] as? [String])?.first ?? "Other"
                operationsByTag[tag, default: []].append(operation)
            }
        }

        let declaredTags = (root["tags"] as? [[String: Any]]) ?? []
        var sections: [Section] = []
        for tag in declaredTags {
            guard let name = tag["name"] as? String, let operations = operationsByTag.removeValue(forKey: name) else { continue }
            sections.append(
                Section(
                    anchor: "tag-" + anchorText(name), name: name, description: paragraphs(tag["description"]),
                    operations: operations))
        }
        for name in operationsByTag.keys.sorted() {
            sections.append(
                Section(anchor: "tag-" + anchorText(name), name: name, description: [], operations: operationsByTag[name] ?? []))
        }

        return APIDocsPage(
            layout: layout,
            title: title,
            version: info["version"] as? String ?? "",
            introduction: paragraphs(info["description"]),
            baseURL: origin,
            documentURL: documentPath,
            schemes: schemes.keys.sorted().map { name in
                let scheme = document.dictionary(schemes[name]) ?? [:]
                return Scheme(
                    schemeAnchor: "auth-" + anchorText(name), label: credentialLabel(scheme, fallback: name),
                    notes: paragraphs(scheme["description"]))
            },
            sections: sections,
            quickStart: QuickStart(baseURL: origin, projectID: layout.place?.projectID)
        )
    }

    // MARK: - Operations

    private static func operation(
        _ raw: [String: Any],
        method: String,
        path: String,
        pathItem: [String: Any],
        document: OpenAPIReader,
        schemes: [String: Any],
        origin: String
    ) throws -> Operation {
        let operationId = raw["operationId"] as? String ?? "\(method)-\(path)"
        let anchor = anchorText(operationId)

        // Path-level parameters apply unless the operation redefines the same name and location.
        var rawParameters: [[String: Any]] = []
        for entry in (pathItem["parameters"] as? [Any] ?? []) + (raw["parameters"] as? [Any] ?? []) {
            guard let parameter = try document.resolve(entry) as? [String: Any] else { continue }
            rawParameters.removeAll {
                $0["name"] as? String == parameter["name"] as? String && $0["in"] as? String == parameter["in"] as? String
            }
            rawParameters.append(parameter)
        }
        let parameters = try rawParameters.map { parameter in
            Parameter(
                name: parameter["name"] as? String ?? "",
                location: parameter["in"] as? String ?? "",
                type: try typeSummary(parameter["schema"], document: document),
                isRequired: parameter["required"] as? Bool ?? false,
                notes: paragraphs(parameter["description"]))
        }

        let requirements = (raw["security"] ?? document.root["security"]) as? [[String: Any]] ?? []
        let credentials = requirements.compactMap { requirement -> Credential? in
            let names = requirement.keys.sorted()
            guard let first = names.first else { return nil }
            let scopes = Set(names.flatMap { requirement[$0] as? [String] ?? [] }).sorted()
            return Credential(
                schemeAnchor: "auth-" + anchorText(first),
                label: names.map { credentialLabel(document.dictionary(schemes[$0]) ?? [:], fallback: $0) }
                    .joined(separator: " + "),
                scopeNote: scopes.isEmpty ? nil : "the permission " + scopes.joined(separator: ", "))
        }

        var requestSchema: String?
        var requestExamples: [Example] = []
        var curlBody: Any?
        if let body = try document.resolve(raw["requestBody"]) as? [String: Any],
            let media = document.dictionary(body["content"]).flatMap({ document.dictionary($0["application/json"]) })
        {
            let name = schemaName(media["schema"]) ?? "JSON object"
            requestSchema = body["required"] as? Bool == true ? name : "\(name) (optional)"
            let values = try exampleValues(media, document: document)
            requestExamples = try values.map { Example(title: $0.title, json: try prettyJSON($0.value)) }
            curlBody = values.first?.value
        }

        var responses: [Response] = []
        var responseExample: Example?
        var successHasBody = false
        let rawResponses = raw["responses"] as? [String: Any] ?? [:]
        for status in rawResponses.keys.sorted() {
            let response = try document.resolve(rawResponses[status]) as? [String: Any] ?? [:]
            let isSuccess = status.hasPrefix("2")
            let media = document.dictionary(response["content"]).flatMap { document.dictionary($0["application/json"]) }
            if isSuccess, let media {
                successHasBody = true
                if responseExample == nil, let first = try exampleValues(media, document: document).first {
                    responseExample = Example(title: "Example response (\(status))", json: try prettyJSON(first.value))
                }
            }
            responses.append(
                Response(
                    status: status, isSuccess: isSuccess, notes: paragraphs(response["description"]),
                    headerNames: (document.dictionary(response["headers"]) ?? [:]).keys.sorted()))
        }

        let curl = try curlCommand(
            method: method, path: path, parameters: rawParameters, requirements: requirements, schemes: schemes,
            body: curlBody, showHeaders: !successHasBody, document: document, origin: origin)
        return Operation(
            anchor: "op-" + anchor,
            operationId: operationId,
            method: method.uppercased(),
            path: path,
            summary: raw["summary"] as? String ?? operationId,
            description: paragraphs(raw["description"]),
            isPublic: credentials.isEmpty,
            credentials: credentials,
            parameters: parameters,
            hasParameters: !parameters.isEmpty,
            requestSchema: requestSchema,
            requestExamples: requestExamples,
            curlID: "curl-" + anchor,
            curl: curl,
            curlRows: curl.split(separator: "\n").count,
            responseExample: responseExample,
            responses: responses
        )
    }

    /// `example`, or `examples` by name with `default` first; `$ref`s resolved.
    private static func exampleValues(_ media: [String: Any], document: OpenAPIReader) throws -> [(title: String, value: Any)] {
        if let example = media["example"] { return [("Example", example)] }
        guard let examples = document.dictionary(media["examples"]) else { return [] }
        let names = examples.keys.sorted { ($0 == "default" ? 0 : 1, $0) < ($1 == "default" ? 0 : 1, $1) }
        return try names.compactMap { name -> (title: String, value: Any)? in
            guard let example = try document.resolve(examples[name]) as? [String: Any], let value = example["value"] else {
                return nil
            }
            return (example["summary"] as? String ?? name, value)
        }
    }

    /// `curl` with the document's example path parameters, query examples, credential header and body.
    private static func curlCommand(
        method: String,
        path: String,
        parameters: [[String: Any]],
        requirements: [[String: Any]],
        schemes: [String: Any],
        body: Any?,
        showHeaders: Bool,
        document: OpenAPIReader,
        origin: String
    ) throws -> String {
        var resolvedPath = path
        var query: [String] = []
        for parameter in parameters {
            guard let name = parameter["name"] as? String, let example = parameter["example"] else { continue }
            let value = try plainText(example)
            switch parameter["in"] as? String {
            case "path": resolvedPath = resolvedPath.replacingOccurrences(of: "{\(name)}", with: value)
            case "query": query.append("\(name.addingPercentEncodingForQuery())=\(value.addingPercentEncodingForQuery())")
            default: break
            }
        }
        var url = origin + resolvedPath
        if !query.isEmpty { url = "'\(url)?\(query.joined(separator: "&"))'" }

        var lines = ["curl" + (showHeaders ? " -i" : "") + (method == "get" ? "" : " -X \(method.uppercased())") + " \(url)"]
        if let header = credentialHeader(requirements: requirements, schemes: schemes, document: document) {
            lines.append("-H \"\(header)\"")
        }
        if let body {
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
            let json = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "'", with: "'\\''")
            lines.append("-H \"Content-Type: application/json\"")
            lines.append("-d '\(json)'")
        }
        return lines.joined(separator: " \\\n  ")
    }

    /// A bearer token if the operation takes one, else an API-key header; the token comes from `$KEYSMITH_TOKEN`.
    private static func credentialHeader(
        requirements: [[String: Any]],
        schemes: [String: Any],
        document: OpenAPIReader
    ) -> String? {
        let accepted = requirements.flatMap(\.keys).compactMap { document.dictionary(schemes[$0]) }
        if accepted.contains(where: { $0["type"] as? String == "http" && ($0["scheme"] as? String)?.lowercased() == "bearer" }) {
            return "Authorization: Bearer $KEYSMITH_TOKEN"
        }
        if let header = accepted.first(where: { $0["type"] as? String == "apiKey" && $0["in"] as? String == "header" }),
            let name = header["name"] as? String
        {
            return "\(name): $KEYSMITH_TOKEN"
        }
        return nil
    }

    // MARK: - Text

    private static func credentialLabel(_ scheme: [String: Any], fallback: String) -> String {
        let name = scheme["name"] as? String ?? fallback
        switch (scheme["type"] as? String, scheme["in"] as? String) {
        case ("http", _):
            let kind = scheme["scheme"] as? String ?? ""
            return kind.lowercased() == "bearer" ? "Authorization: Bearer" : "HTTP \(kind) authentication"
        case ("apiKey", "cookie"): return "Cookie \(name)"
        case ("apiKey", "header"): return "Header \(name)"
        case ("apiKey", "query"): return "Query parameter \(name)"
        default: return fallback
        }
    }

    /// Paragraphs split at blank lines; text in backticks becomes code spans.
    static func paragraphs(_ value: Any?) -> [Paragraph] {
        guard let text = value as? String else { return [] }
        return text.components(separatedBy: "\n\n").compactMap { block in
            let paragraph = block.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !paragraph.isEmpty else { return nil }
            let spans = paragraph.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap {
                offset, piece -> Span? in
                piece.isEmpty ? nil : Span(text: String(piece), isCode: offset % 2 == 1)
            }
            return Paragraph(spans: spans)
        }
    }

    /// `integer, 1–100, default 25`, `live | sandbox`, `string (Scope)`.
    private static func typeSummary(_ value: Any?, document: OpenAPIReader) throws -> String {
        guard let schema = try document.resolve(value) as? [String: Any] else { return "" }
        var parts: [String] = []
        if let choices = schema["enum"] as? [Any] {
            parts.append(try choices.map(plainText).joined(separator: " | "))
        } else {
            var type = (schema["type"] as? String) ?? (schema["type"] as? [String])?.joined(separator: " or ") ?? "any"
            if let format = schema["format"] as? String { type += " (\(format))" }
            if let name = schemaName(value) { type += " (\(name))" }
            parts.append(type)
        }
        let lower = schema["minimum"] ?? schema["minLength"]
        let upper = schema["maximum"] ?? schema["maxLength"]
        switch (lower, upper) {
        case let (lower?, upper?): parts.append("\(try plainText(lower))–\(try plainText(upper))")
        case let (lower?, nil): parts.append("≥ \(try plainText(lower))")
        case let (nil, upper?): parts.append("≤ \(try plainText(upper))")
        case (nil, nil): break
        }
        if let defaultValue = schema["default"] { parts.append("default \(try plainText(defaultValue))") }
        return parts.joined(separator: ", ")
    }

    /// `CreateKey` for `{"$ref": "#/components/schemas/CreateKey"}`.
    private static func schemaName(_ value: Any?) -> String? {
        guard let reference = (value as? [String: Any])?["$ref"] as? String else { return nil }
        return reference.split(separator: "/").last.map(String.init)
    }

    /// Strings as they are, anything else as compact JSON (`25`, `true`).
    private static func plainText(_ value: Any) throws -> String {
        if let text = value as? String { return text }
        return try jsonFragment(value)
    }

    /// Two-space indented JSON with sorted keys; arrays of a few scalars stay on one line.
    static func prettyJSON(_ value: Any, indent: String = "") throws -> String {
        let inner = indent + "  "
        if let object = value as? [String: Any] {
            guard !object.isEmpty else { return "{}" }
            let members = try object.sorted { $0.key < $1.key }.map { key, member in
                "\(inner)\(try jsonFragment(key)): \(try prettyJSON(member, indent: inner))"
            }
            return "{\n" + members.joined(separator: ",\n") + "\n\(indent)}"
        }
        if let array = value as? [Any] {
            guard !array.isEmpty else { return "[]" }
            if !array.contains(where: { $0 is [String: Any] || $0 is [Any] }) {
                let line = "[" + (try array.map(jsonFragment).joined(separator: ", ")) + "]"
                if line.count <= 72 { return line }
            }
            let elements = try array.map { inner + (try prettyJSON($0, indent: inner)) }
            return "[\n" + elements.joined(separator: ",\n") + "\n\(indent)]"
        }
        return try jsonFragment(value)
    }

    /// One JSON scalar, encoded by Foundation so strings, numbers and booleans are spelled exactly right.
    private static func jsonFragment(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// `listKeys` → `listKeys`, `Keys & Tokens` → `keys-tokens`: letters, digits and `-` only, safe in an id.
    private static func anchorText(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, !result.hasSuffix("-") {
                result += "-"
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? "x" : result
    }

    /// The parsed document with `$ref` resolution (local references only, as the document uses).
    private struct OpenAPIReader {
        let root: [String: Any]

        func dictionary(_ value: Any?) -> [String: Any]? { value as? [String: Any] }

        /// The value, or what its `$ref` chain points at; a reference to nowhere is a broken document.
        func resolve(_ value: Any?) throws -> Any? {
            var current = value
            for _ in 0..<16 {
                guard let reference = (current as? [String: Any])?["$ref"] as? String else { return current }
                guard reference.hasPrefix("#/") else { throw DocumentError.unresolvableReference(reference) }
                var node: Any? = root
                for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
                    let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                    node = (node as? [String: Any])?[key]
                }
                guard let node else { throw DocumentError.unresolvableReference(reference) }
                current = node
            }
            throw DocumentError.unresolvableReference("a $ref chain longer than 16")
        }
    }
}
