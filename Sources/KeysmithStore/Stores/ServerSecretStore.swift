import Foundation

/// Secrets the server itself signs with, shared by every node of one database.
public protocol ServerSecretStore: Sendable {
    /// The 32 random bytes stored under `name`, made on first use. Every node of one database signs with the same
    /// bytes, and a restart does not invalidate what was signed before it.
    func serverSecret(named name: String, now: Date) async throws -> Data
}

extension ServerSecretStore {
    public func serverSecret(named name: String) async throws -> Data {
        try await serverSecret(named: name, now: Date())
    }
}
