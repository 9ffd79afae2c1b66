import Crypto
import Foundation
import Hummingbird

/// Makes Keysmith's cookies with one set of attributes (HttpOnly, SameSite=Lax, Path=/, Secure when configured)
/// and signs the flash cookie so its text can only come from this server.
struct CookieJar: Sendable {
    let secure: Bool
    let sessionLifetime: Int
    private let flashKey = SymmetricKey(size: .bits256)

    init(secure: Bool, sessionLifetime: TimeInterval) {
        self.secure = secure
        self.sessionLifetime = Int(sessionLifetime)
    }

    func session(_ token: String) -> Cookie { cookie(CookieNames.session, token, maxAge: sessionLifetime) }
    func preSessionCSRF(_ token: String) -> Cookie { cookie(CookieNames.csrf, token, maxAge: nil) }
    func expired(_ name: String) -> Cookie { cookie(name, "", maxAge: 0) }

    func flash(_ flash: Flash) -> Cookie {
        let payload = (try? JSONEncoder().encode(flash)) ?? Data()
        let signature = Data(HMAC<SHA256>.authenticationCode(for: payload, using: flashKey))
        return cookie(CookieNames.flash, payload.base64URLEncodedString() + "." + signature.base64URLEncodedString(), maxAge: 60)
    }

    /// The flash in a cookie value, if this process signed it.
    func readFlash(_ value: String) -> Flash? {
        let parts = value.split(separator: ".")
        guard parts.count == 2, let payload = Data(base64URLEncoded: parts[0]), let signature = Data(base64URLEncoded: parts[1]),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: flashKey)
        else { return nil }
        return try? JSONDecoder().decode(Flash.self, from: payload)
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
