import Foundation
import KeysmithCore
import Testing

@testable import KeysmithServer

/// `KeyFormPage` and `KeyForm` built from plain values, without HTTP (STYLE §2b).
struct KeyFormPageTests {
    static let layout = Layout(title: "New API key", csrfToken: "csrf", email: "ann@example.com", flash: nil)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theErrorSummaryFollowsTheFormsOrderAndLinksToEachField() {
        let errors = [
            "secret": "Enter the secret.", "meta": "Enter valid JSON.", "expiresAt": "Pick a day.", "scopes": "Bad scope.",
            "name": "Enter a name.", "ipAllowlist": "Line 1: nope.",
        ]

        let page = KeyFormPage(layout: Self.layout, form: KeyForm(), errors: errors, editing: nil)

        #expect(page.errorLinks.map(\.label) == ["Name", "Scopes", "Expires", "IP allowlist", "Metadata", "Custom secret"])
        #expect(page.errorLinks.map(\.href) == ["#name", "#extra_scopes", "#expires_on", "#ip_allowlist", "#meta", "#secret"])
        #expect(page.errorLinks.first?.message == "Enter a name.")
        #expect(page.errorHeading == "Nothing was saved: fix these 6 fields and submit again.")
    }

    @Test func aTTLErrorLinksToTheMenuAndADateErrorToTheDatePicker() {
        let ttl = KeyFormPage(layout: Self.layout, form: KeyForm(), errors: ["ttl": "Too long."], editing: nil)
        let date = KeyFormPage(layout: Self.layout, form: KeyForm(), errors: ["expiresAt": "Pick a day."], editing: nil)

        #expect(ttl.errorLinks.map(\.href) == ["#expiry"])
        #expect(date.errorLinks.map(\.href) == ["#expires_on"])
        #expect(ttl.errorHeading == "Nothing was saved: fix this field and submit again.")
    }

    @Test func everyBadScopeTogetherIsOneMessageForOneField() throws {
        var form = KeyForm()
        form.name = "Scopes"
        form.extraScopes = "A B C D E F G H"

        let errors = try #require(problems(form))
        let page = KeyFormPage(layout: Self.layout, form: form, errors: errors, editing: nil)

        #expect(Array(errors.keys) == ["scopes"])
        #expect(page.errorLinks.count == 1)
        #expect(try #require(errors["scopes"]).components(separatedBy: Scope.syntaxRule).count == 2)
    }

    @Test(arguments: [
        ("never", "2027-01-01", "expiresAt"), ("30d", "2027-01-01", "expiresAt"), ("date", "", "expiresAt"),
    ])
    func aValueForAChoiceNotMadeIsRefused(expiry: String, date: String, field: String) {
        var form = KeyForm()
        form.name = "Trap"
        (form.expiry, form.expiresOn) = (expiry, date)

        #expect(problems(form)?.keys.sorted() == [field])
    }

    @Test func aSecretTypedForAGeneratedKeyIsRefusedNotDropped() {
        var form = KeyForm()
        form.name = "Trap"
        form.secret = "a-perfectly-fine-secret-42!"

        #expect(problems(form)?.keys.sorted() == ["secret"])
    }

    @Test func theFormsOwnProblemsAndTheDraftsAreReportedTogether() {
        var form = KeyForm()
        (form.expiry, form.expiresOn, form.meta, form.status) = ("never", "2027-01-01", "{", "expired")

        #expect(problems(form)?.keys.sorted() == ["expiresAt", "meta", "name", "status"])
    }

    @Test func foldsStayClosedForDefaultsAndOpenForValuesAndErrors() {
        let closed = KeyFormPage(
            layout: Self.layout, form: KeyForm(), errors: [:], editing: nil, scopesInUse: [scope("orders:read")])
        var form = KeyForm()
        form.ipAllowlist = "10.0.0.0/8\n203.0.113.7"
        form.status = "disabled"
        let opened = KeyFormPage(layout: Self.layout, form: form, errors: ["rateLimit": "Too big."], editing: nil)

        #expect([closed.owner, closed.network, closed.limits, closed.headers, closed.metadata].allSatisfy { !$0.open })
        #expect(!closed.secretAndStatus.open && !closed.otherScopes.open)
        #expect(closed.network.summary == "Any address" && closed.limits.summary == "None")
        #expect(opened.network.open && opened.network.summary == "2 ranges")
        #expect(opened.limits.open)
        #expect(opened.secretAndStatus.open && opened.secretAndStatus.summary == "Generated secret · disabled")
        #expect(opened.otherScopes.open, "with no grid rows the free text is the only way to give scopes")
    }

    @Test func theGridHasTheProjectsResourcesAndTheKeysAccess() {
        var form = KeyForm()
        form.scopeGrid = [("billing", "read"), ("orders", "write")]

        let page = KeyFormPage(
            layout: Self.layout, form: form, errors: [:], editing: nil,
            scopesInUse: ["orders:read", "invoices:write", "reports:*", "*"].map(scope))

        #expect(page.scopeRows.map(\.resource) == ["billing", "invoices", "orders"])
        #expect(page.scopeRows.map { $0.cells.first { $0.checked }?.value } == ["read", "none", "write"])
        #expect(page.scopeRows[0].cells.map(\.id) == ["scope.billing-none", "scope.billing-read", "scope.billing-write"])
    }

    @Test func aKeysScopesSplitIntoGridCellsAndFreeText() {
        let split = ScopeAccess.split(["orders:read", "orders:write", "invoices:read", "refunds:write", "reports:*", "*"])

        #expect(split.grid.map(\.resource) == ["invoices", "orders"])
        #expect(split.grid.map(\.access) == [.read, .write])
        #expect(split.rest == ["refunds:write", "reports:*", "*"])
    }

    @Test func theSecretIsNeverPutBackIntoTheForm() {
        var form = KeyForm()
        form.secret = "a-perfectly-fine-secret-42!"

        #expect(KeyFormPage(layout: Self.layout, form: form, errors: ["secret": "x"], editing: nil).form.secret == "")
    }
}

private func problems(_ form: KeyForm) -> [String: String]? {
    do throws(KeyError) {
        _ = try form.validate(now: KeyFormPageTests.now)
        return nil
    } catch {
        guard case .invalid(let problems) = error else { return nil }
        return problems
    }
}

private func scope(_ text: String) -> Scope {
    (try? Scope.parse(text).get()) ?? .all
}
