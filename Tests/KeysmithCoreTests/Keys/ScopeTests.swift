import Foundation
import KeysmithCore
import Testing

struct ScopeTests {
    @Test(arguments: [
        ("*", "*"), ("keys:read", "keys:read"), ("orders:*", "orders:*"), ("a:b", "a:b"),
        ("billing-v2.invoices:read_all", "billing-v2.invoices:read_all"), ("  orders:read\t", "orders:read"),
    ])
    func scopesParseAsResourceColonActionOrStar(text: String, value: String) throws {
        #expect(try Scope.parse(text).get().value == value)
    }

    @Test(arguments: [
        "", "orders", "orders:", ":read", "Orders:read", "orders:READ", "orders:read:all", "orders:re ad", "*:read",
        "orders:**", "orders:*read", "ordérs:read", "orders/read", "**", "keys:" + String(repeating: "r", count: 96),
    ])
    func malformedScopesAreRefusedWithTheRule(text: String) {
        let scope = text.trimmingCharacters(in: .whitespaces)
        #expect(
            Scope.parse(text)
                == .failure(
                    FieldMessage(
                        "“\(scope)” is not a scope; use resource:action with lowercase letters, digits, -, _ or . "
                            + "(such as orders:read or orders:*), or * for everything."
                    )
                )
        )
    }

    /// Held scope, required scope, granted.
    @Test(arguments: [
        ("*", "orders:read", true), ("*", "*", true), ("*", "orders:*", true), ("orders:*", "orders:read", true),
        ("orders:*", "orders:*", true), ("orders:*", "orders.eu:read", false), ("orders:*", "ordersx:read", false),
        ("orders:*", "*", false), ("orders:read", "orders:read", true), ("orders:read", "orders:write", false),
        ("orders:read", "orders:*", false), ("orders:read", "*", false), ("keys:read", "keys:write", false),
    ])
    func grantsMatchesStarResourceWildcardsAndExactScopes(held: String, required: String, granted: Bool) throws {
        #expect(try Scope.parse(held).get().grants(Scope.parse(required).get()) == granted)
    }

    @Test func catalogListsKeysmithsOwnScopes() {
        #expect(ScopeSet([Scope.all])?.description == "*")
    }

    @Test func scopeSetsAreSortedAndMergeDuplicates() throws {
        let set = try ScopeSet.parse(["orders:write", " keys:read", "orders:write", "", "*"]).get()

        #expect(set.scopes.map(\.value) == ["*", "keys:read", "orders:write"])
        #expect(try ScopeSet.parse(text: "orders:write, keys:read\n*  orders:write").get() == set)
    }

    @Test func everyBadScopeInASetIsNamedAndTheRuleSaidOnce() {
        #expect(
            ScopeSet.parse(["ok:read", "Bad", "also bad", "Bad"])
                == .failure(
                    FieldMessage(
                        "“Bad” and “also bad” are not scopes; use resource:action with lowercase letters, digits, -, _ "
                            + "or . (such as orders:read or orders:*), or * for everything."
                    )
                )
        )
    }

    @Test func manyBadScopesNameTheFirstFiveAndCountTheRest() {
        let bad = (1...8).map { "Bad\($0)" }

        guard case .failure(let message) = ScopeSet.parse(bad) else {
            Issue.record("eight bad scopes were accepted")
            return
        }

        #expect(message.text.hasPrefix("“Bad1”, “Bad2”, “Bad3”, “Bad4”, “Bad5” and 3 more are not scopes; use resource:action"))
        #expect(message.text.components(separatedBy: "resource:action").count == 2, "the rule is said once")
    }

    @Test(arguments: [(50, true), (51, false)])
    func aKeyHoldsAtMostFiftyScopes(count: Int, valid: Bool) {
        let result = ScopeSet.parse((0..<count).map { "r\($0):read" })

        #expect(((try? result.get()) != nil) == valid)
        if !valid { #expect(result == .failure(FieldMessage("Use at most 50 scopes (found 51)."))) }
    }

    /// Held, requested, the requested scopes not covered.
    @Test(
        arguments: [
            (["*"], ["orders:read", "keys:write", "*"], []), (["orders:*"], ["orders:read", "orders:write"], []),
            (["orders:*", "keys:read"], ["orders:read", "keys:write"], ["keys:write"]), ([], ["orders:read"], ["orders:read"]),
            (["orders:read"], ["orders:*"], ["orders:*"]), (["orders:read"], [], []), (["keys:write"], ["*"], ["*"]),
        ] as [([String], [String], [String])]
    )
    func aKeyCanOnlyHandOutScopesItHolds(held: [String], requested: [String], missing: [String]) throws {
        let held = try ScopeSet.parse(held).get()
        let requested = try ScopeSet.parse(requested).get()

        #expect(held.missing(requested).map(\.value) == missing)
        #expect(held.covers(requested) == missing.isEmpty)
    }

    @Test func scopeSetsEncodeAsStringArraysAndRevalidateWhenDecoded() throws {
        let set = try ScopeSet.parse(["orders:read", "*"]).get()

        let data = try JSONEncoder().encode(set)

        #expect(String(decoding: data, as: UTF8.self) == #"["*","orders:read"]"#)
        #expect(try JSONDecoder().decode(ScopeSet.self, from: data) == set)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ScopeSet.self, from: Data(#"["NOPE"]"#.utf8)) }
    }
}
