import Foundation
import Hummingbird
import KeysmithCore

@testable import KeysmithServer

/// The console's forms as a browser posts them. A refused key form names its fields; a key the form creates gets an
/// edit form that, posted unchanged, validates to the same settings (the console's "save without changes"); and the
/// account forms, which Hummingbird's `URLEncodedFormDecoder` reads, are refused with an error, never a crash.
///
/// Input: a form body, such as `name=Billing&extra_scopes=orders%3Aread&expiry=30d`.
enum KeyFormHarness {
    static func run(_ input: [UInt8]) throws(PropertyViolation) {
        let body = String(decoding: input, as: UTF8.self)
        let decoder = URLEncodedFormDecoder()
        _ = try? decoder.decode(CredentialsForm.self, from: body)
        _ = try? decoder.decode(ChangePasswordForm.self, from: body)
        _ = try? decoder.decode(DeleteAccountForm.self, from: body)

        let form = KeyForm(FormFields(body))
        let spec: KeySpec
        do throws(KeyError) {
            spec = try form.validate(now: FuzzFixture.now)
        } catch {
            guard case .invalid(let problems) = error else {
                throw PropertyViolation(description: "the form “\(body)” is refused with \(error), not field problems")
            }
            try FuzzFixture.expectProblems(problems, secret: form.secret, in: "the form “\(body)”")
            return
        }
        try checkEditForm(of: spec, createdBy: body)
    }

    /// What `KeysController.edit` shows, posted back as is, goes through `KeysController.update` unchanged.
    private static func checkEditForm(of spec: KeySpec, createdBy body: String) throws(PropertyViolation) {
        let key = FuzzFixture.storedKey(spec)
        let shown = KeyForm(key)
        var posted = KeyForm(FormFields(editBody(shown)))
        (posted.environment, posted.tokenType) = (key.environment.rawValue, key.tokenType.rawValue)
        let edited: KeySpec
        do throws(KeyError) {
            edited = try posted.validate(now: FuzzFixture.now, creating: false)
        } catch {
            throw PropertyViolation(
                description: "the form “\(body)” makes a key whose edit form, posted unchanged, is refused: \(error)")
        }
        let changes = FuzzFixture.differences(spec, edited)
        try expect(changes.isEmpty, "the form “\(body)” makes a key that saving its edit form changes: \(changes)")
        try expect(posted.keepsExpiry == (spec.expiresAt != nil), "the edit form of “\(body)” does not keep its expiry")
        if spec.expiresAt == nil { try expect(edited.expiresAt == nil, "the edit form of “\(body)” gives it an expiry") }
    }

    /// The body a browser sends for `keys/form` as `KeyFormPage` fills it for editing (its blank header rows too).
    private static func editBody(_ form: KeyForm) -> String {
        var fields = [
            ("name", form.name), ("description", form.description), ("owner_type", form.ownerType),
            ("extra_scopes", form.extraScopes), ("ip_allowlist", form.ipAllowlist), ("expiry", form.expiry),
            ("expires_on", form.expiresOn), ("rate_limit", form.rateLimit), ("rate_limit_window", form.rateLimitWindow),
            ("quota", form.quota), ("meta", form.meta),
        ]
        fields += form.scopes.map { ("scope", $0) }
        fields += form.scopeGrid.map { (KeyForm.gridFieldPrefix + $0.resource, $0.access) }
        if form.quotaMonthlyRefill { fields.append(("quota_refill", QuotaRefill.monthly.rawValue)) }
        let blank = ResponseHeaderDraft(name: "", value: "")
        let rows = form.headers + Array(repeating: blank, count: KeyForm.blankHeaderRows)
        for (index, row) in rows.enumerated() {
            fields += [("header_name", row.name), ("header_value", row.value)]
            if row.exclude { fields.append(("header_exclude", String(index))) }
        }
        return fields.map { "\(formEncoded($0))=\(formEncoded($1))" }.joined(separator: "&")
    }

    /// `application/x-www-form-urlencoded` as browsers write it: unreserved bytes as is, space as `+`, others `%XX`.
    private static func formEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                encoded += "+"
            default:
                encoded += "%" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return encoded
    }
}
