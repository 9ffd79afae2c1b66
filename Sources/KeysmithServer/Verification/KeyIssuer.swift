import Foundation
import KeysmithCore
import KeysmithStore

/// Makes and stores secrets for keys, for the console and the API alike: generates (or takes a custom) secret,
/// hashes it with Argon2id, and hands the plaintext back exactly once, to be shown and forgotten.
struct KeyIssuer: Sendable {
    let database: AppDatabase
    let hasher: PasswordHasher
    let clock: AppClock

    /// A new key from a validated spec; active with a fresh secret unless `activate` is false.
    /// Returns the token when a generated secret was made (custom secrets are the caller's already).
    func create(_ spec: KeySpec, accountId: Int64, prefix: KeyPrefix, activate: Bool, origin: RequestOrigin) async throws
        -> (key: APIKeyRecord, token: APIKeyToken?)
    {
        let now = clock.now()
        let keyID = KeyID.generate(prefix: prefix, environment: spec.environment)
        var key = APIKeyRecord(id: keyID, accountId: accountId, spec: spec, now: now)
        var revealed: APIKeyToken?
        if let custom = spec.customSecret {
            let token = try APIKeyToken(keyID: keyID, customSecret: custom)
            (key.secretHash, key.hint) = (try await hasher.hash(token.secret), token.hint)
        } else if activate {
            let token = APIKeyToken.generate(for: keyID)
            (key.secretHash, key.hint) = (try await hasher.hash(token.secret), token.hint)
            revealed = token
        }
        key = try await database.createKey(key, activate: activate, origin: origin, now: now)
        return (key, revealed)
    }

    /// pending → active. A generated key gets its first secret (returned); a custom key already has its own.
    func activate(_ key: APIKeyRecord, origin: RequestOrigin) async throws -> (key: APIKeyRecord, token: APIKeyToken?) {
        _ = try key.status.applying(.activate)  // refuse before hashing anything
        let now = clock.now()
        if key.tokenType == .custom, let hash = key.secretHash, let hint = key.hint {
            let updated = try await database.activateKey(
                id: key.id, accountId: key.accountId, secret: KeySecretUpdate(secretHash: hash, hint: hint), origin: origin,
                now: now
            )
            return (updated, nil)
        }
        let token = APIKeyToken.generate(for: try KeyID(key.id))
        let secret = KeySecretUpdate(secretHash: try await hasher.hash(token.secret), hint: token.hint)
        let updated = try await database.activateKey(
            id: key.id, accountId: key.accountId, secret: secret, origin: origin, now: now)
        return (updated, token)
    }

    /// A new secret, the old one honoured for `grace`. Custom keys need `customSecret`; a bad one is `KeyError.invalid`.
    func rotate(_ key: APIKeyRecord, grace: RotationGrace, customSecret: String?, origin: RequestOrigin) async throws
        -> (key: APIKeyRecord, token: APIKeyToken)
    {
        _ = try key.status.applying(.rotate)
        let keyID = try KeyID(key.id)
        let token: APIKeyToken
        if key.tokenType == .custom {
            do {
                token = try APIKeyToken(keyID: keyID, customSecret: customSecret ?? "")
            } catch {
                throw KeyError.invalid(["secret": "\(error)"])
            }
        } else {
            token = APIKeyToken.generate(for: keyID)
        }
        let secret = KeySecretUpdate(secretHash: try await hasher.hash(token.secret), hint: token.hint)
        let updated = try await database.rotateKey(
            id: key.id, accountId: key.accountId, secret: secret, grace: grace, origin: origin, now: clock.now()
        )
        return (updated, token)
    }
}
