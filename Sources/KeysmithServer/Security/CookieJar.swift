import Foundation
import Hummingbird
import SystemCrypto

/// Makes Keysmith's cookies with one set of attributes (HttpOnly, SameSite=Lax, Path=/, Secure when configured)
/// and signs the flash and pre-login CSRF cookies, so their values can only come from this server: a cookie planted
/// by a sibling subdomain (`Domain=` tossing) is refused.
struct CookieJar: Sendable {
    let secure: Bool
    let sessionLifetime: Int
    private let signingKey: HMACSHA256

    /// `signingKey` comes from the database (`serverSecret`), so every node and every restart agree on it.
    init(secure: Bool, sessionLifetime: TimeInterval, signingKey: HMACSHA256) {
        self.secure = secure
        self.sessionLifetime = Int(sessionLifetime)
        self.signingKey = signingKey
    }

    func session(_ token: String) -> Cookie { cookie(CookieNames.session, token, maxAge: sessionLifetime) }
    func expired(_ name: String) -> Cookie { cookie(name, "", maxAge: 0) }

    /// The double-submit token of a visitor who is not signed in, signed.
    func preSessionCSRF(_ token: String) -> Cookie { cookie(CookieNames.csrf, signed(Data(token.utf8)), maxAge: nil) }

    /// The token in a pre-login CSRF cookie, if this server signed it.
    func readPreSessionCSRF(_ value: String) -> String? {
        verified(value).map { String(decoding: $0, as: UTF8.self) }
    }

    func flash(_ flash: Flash) -> Cookie {
        cookie(CookieNames.flash, signed((try? JSONEncoder().encode(flash)) ?? Data()), maxAge: 60)
    }

    /// The flash in a cookie value, if this server signed it.
    func readFlash(_ value: String) -> Flash? {
        verified(value).flatMap { try? JSONDecoder().decode(Flash.self, from: $0) }
    }

    /// `payload.signature`, both base64url; the signature is HMAC-SHA256 with the name-independent signing key.
    private func signed(_ payload: Data) -> String {
        let signature = Data(signingKey.authenticationCode(for: payload).bytes)
        return payload.base64URLEncodedString() + "." + signature.base64URLEncodedString()
    }

    private func verified(_ value: String) -> Data? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Data(base64URLEncoded: parts[0]), let signature = Data(base64URLEncoded: parts[1]),
            signingKey.isValidAuthenticationCode(signature, for: payload)
        else { return nil }
        return payload
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
