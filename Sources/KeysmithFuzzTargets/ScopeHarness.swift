import Foundation
import KeysmithCore

/// Scopes and scope sets. A set's text parses back equal (as the console field and as a JSON array), it is sorted,
/// unique and at most 50, and a scope grants only itself, its resource's scopes for `resource:*`, or all for `*`.
///
/// Input: the console's scopes field (commas, spaces or line breaks between scopes).
enum ScopeHarness {
    /// Grant pairs are checked among the first scopes only, so a 50-scope set stays cheap.
    private static let grantSample = 12

    static func run(_ input: [UInt8]) throws(PropertyViolation) {
        let text = String(decoding: input, as: UTF8.self)
        if case .success(let scope) = Scope.parse(text) {
            try expect(Scope.parse(scope.value) == .success(scope), "“\(text)” is the scope \(scope), which does not parse back")
            try expect(scope.grants(scope) && Scope.all.grants(scope), "the scope \(scope) is not granted by itself or *")
        }
        guard case .success(let set) = ScopeSet.parse(text: text) else { return }
        try expect(ScopeSet.parse(text: set.description) == .success(set), "“\(text)” is \(set), which does not parse back")
        try expect(
            ScopeSet.parse(set.scopes.map(\.value)) == .success(set), "“\(text)” is \(set), which does not parse back as JSON")
        try expect(ScopeSet(set.scopes) == set, "ScopeSet(\(set.scopes)) is not \(set)")
        try expect(set.scopes.count <= ScopeSet.maxCount, "“\(text)” gives more than 50 scopes")
        try expect(zip(set.scopes, set.scopes.dropFirst()).allSatisfy { $0 < $1 }, "\(set) is not sorted and unique")
        try expect(set.covers(set), "\(set) does not cover itself")
        let json = try? JSONDecoder().decode(ScopeSet.self, from: JSONEncoder().encode(set))
        try expect(json == set, "\(set) does not survive JSON")
        let sample = set.scopes.prefix(grantSample)
        for held in sample {
            for required in sample {
                try expect(
                    held.grants(required) == grants(held, required), "\(held) grants \(required): \(held.grants(required))")
            }
        }
    }

    /// DESIGN's rule, written again from scratch.
    private static func grants(_ held: Scope, _ required: Scope) -> Bool {
        if held.value == "*" || held == required { return true }
        let heldParts = held.value.split(separator: ":", omittingEmptySubsequences: false)
        let requiredParts = required.value.split(separator: ":", omittingEmptySubsequences: false)
        return heldParts.count == 2 && heldParts[1] == "*" && requiredParts.count == 2 && heldParts[0] == requiredParts[0]
    }
}
