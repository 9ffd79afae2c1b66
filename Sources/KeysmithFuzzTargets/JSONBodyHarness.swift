import Foundation
import HTTPTypes
import KeysmithCore

@testable import KeysmithServer

/// Every JSON body the management API decodes, then validates as its controller does (without the store). A body
/// `JSONDecoder` refuses is a 400 or a 422 naming a field, never a 500; a refused key names its fields; and a key the
/// API creates, shown as the API shows it and sent back unchanged as a PATCH, validates to the same settings.
///
/// Input: a request body; each body type reads the same bytes.
enum JSONBodyHarness {
    static func run(_ input: [UInt8]) throws(PropertyViolation) {
        let data = Data(input)
        if let body = try decoded(CreateKeyRequest.self, from: data) { try check(body, from: input) }
        if let body = try decoded(UpdateKeyRequest.self, from: data), let key = FuzzFixture.fullKey {
            _ = try? body.draft(merging: key).validate(now: FuzzFixture.now, requireCustomSecret: false)
        }
        if let body = try decoded(RotateRequest.self, from: data) {
            _ = RotationGrace(rawValue: body.grace ?? RotationGrace.immediately.rawValue)
        }
        if let body = try decoded(AdminKeyRequest.self, from: data) { check(body) }
        if let body = try decoded(EntityKeyRequest.self, from: data) {
            var draft = KeyDraft(name: body.name ?? "", environment: body.environment ?? KeyEnvironment.live.rawValue)
            draft.ttl = body.ttl?.text ?? ""
            _ = try? draft.validate(now: FuzzFixture.now)
        }
        if let body = try decoded(ProjectRequest.self, from: data) {
            _ = try? ProjectSpec.validate(name: body.name ?? "", keyPrefix: body.keyPrefix, description: body.description)
        }
        if let body = try decoded(WorkspaceNameRequest.self, from: data) {
            _ = WorkspaceName.parse(body.name ?? "", what: "a workspace name")
        }
        if let body = try decoded(RoleRequest.self, from: data) { _ = body.role.flatMap(Role.init(rawValue:)) }
        if let body = try decoded(InviteRequest.self, from: data) {
            _ = (EmailAddress.parse(body.email ?? ""), body.role.flatMap(Role.init(rawValue:)))
        }
        _ = try decoded(AcceptInviteRequest.self, from: data)
        if let value = try decoded(JSONValue.self, from: data), case .success(let meta) = KeyMetadata.parse(value) {
            try expect(KeyMetadata.parse(json: meta.json) == .success(meta), "the metadata \(meta.json) does not parse back")
        }
    }

    /// The body, or nil when `JSONDecoder` refuses it with the `DecodingError` `JSONBody` turns into an answer.
    private static func decoded<Body: Decodable>(_ type: Body.Type, from data: Data) throws(PropertyViolation) -> Body? {
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            let problem = JSONBody.problem(for: error)
            try expect(
                problem.status == .badRequest || (problem.status == .unprocessableContent && problem.fields?.isEmpty == false),
                "\(Body.self): \(error) is answered \(problem.status) \(problem.fields ?? [:])")
            return nil
        } catch {
            throw PropertyViolation(description: "\(Body.self): JSONDecoder throws \(error), which the API answers with 500")
        }
    }

    private static func check(_ body: CreateKeyRequest, from input: [UInt8]) throws(PropertyViolation) {
        let text = String(decoding: input, as: UTF8.self)
        let spec: KeySpec
        do throws(KeyError) {
            spec = try body.draft.validate(now: FuzzFixture.now)
        } catch {
            guard case .invalid(let problems) = error else {
                throw PropertyViolation(description: "the body \(text) is refused with \(error), not field problems")
            }
            try FuzzFixture.expectProblems(problems, secret: body.secret, in: "the body \(text)")
            return
        }
        // The API shows expiries in whole seconds: one within the current second is shown as now, and refused.
        guard (spec.expiresAt.map { $0.timeIntervalSince1970.rounded(.down) > FuzzFixture.now.timeIntervalSince1970 } ?? true)
        else { return }

        let key = FuzzFixture.storedKey(spec)
        var json = JSONWriter()
        APIKeyResource(key, now: FuzzFixture.now).write(to: &json)
        let shown = String(decoding: json.bytes, as: UTF8.self)
        let patch: UpdateKeyRequest
        do {
            patch = try JSONDecoder().decode(UpdateKeyRequest.self, from: Data(json.bytes))
        } catch {
            throw PropertyViolation(description: "the body \(text) makes a key shown as \(shown), which PATCH refuses: \(error)")
        }
        let edited: KeySpec
        do throws(KeyError) {
            edited = try patch.draft(merging: key).validate(now: FuzzFixture.now, requireCustomSecret: false)
        } catch {
            throw PropertyViolation(
                description: "the body \(text) makes a key shown as \(shown); PATCHing that is refused: \(error)")
        }
        let changes = FuzzFixture.differences(spec, edited)
        try expect(changes.isEmpty, "the body \(text) makes a key that PATCHing it as shown changes: \(changes)")
        let expiry = spec.expiresAt.map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
        try expect(edited.expiresAt == expiry, "the body \(text) makes a key that PATCHing it as shown changes its expiry")
    }

    /// As `AdminKeysAPIController.create` reads it, but with a store that knows one project.
    private static func check(_ body: AdminKeyRequest) {
        let expiry: String? =
            switch (body.expiresAt, body.ttl) {
            case (.absent, .absent), (.null, .absent), (.absent, .null): "never"
            case (.value(let text), .absent), (.absent, .value(let text)): text
            default: nil
            }
        let projects: [String]? = if case .value(let list) = body.projects { list } else { nil }
        let draft = AdminKeyDraft(
            name: body.name ?? "", permissions: body.permissions ?? [], projects: projects, expiry: expiry ?? "never",
            ipAllowlist: body.ipAllowlist ?? [])
        _ = try? draft.validate(now: FuzzFixture.now, known: [FuzzFixture.projectID])
    }
}
