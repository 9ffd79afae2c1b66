/// A session joined with its account, which is what every signed-in request needs.
public struct SignedInSession: Sendable, Equatable, Decodable {
    public var session: SessionRecord
    public var account: AccountRecord

    public init(session: SessionRecord, account: AccountRecord) {
        self.session = session
        self.account = account
    }
}
