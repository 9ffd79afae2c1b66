import Foundation
import KeysmithCore
import KeysmithStore

/// A brand-new session for an account: the cookie token goes to the browser, only its hash to the database.
struct NewSession: Sendable {
    let token: String
    let record: SessionRecord

    init(accountId: Int64, origin: RequestOrigin, policy: SessionPolicy, now: Date) {
        token = RandomToken.make()
        record = SessionRecord(
            id: RandomToken.hash(token), accountId: accountId, csrfToken: RandomToken.make(), createdAt: now,
            expiresAt: policy.absoluteExpiry(signedInAt: now), ip: origin.ip, userAgent: origin.userAgent
        )
    }
}
