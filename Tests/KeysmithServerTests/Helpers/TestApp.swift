import Foundation
import HummingbirdTesting
import KeysmithSQLite
import KeysmithServer
import KeysmithStore
import KeysmithTestStores
import Logging

/// One fresh application per test: a store of its own (`TestStore`), cheap Argon2, a hand-moved clock.
struct TestApp: Sendable {
    let database: any Store
    let clock: TestClock
    let configuration: AppConfiguration

    /// `database`, when given, is a store another app shares too, as the nodes of one deployment do.
    init(database given: (any Store)? = nil, _ configure: (inout AppConfiguration) -> Void = { _ in }) async throws {
        clock = TestClock()
        var configuration = AppConfiguration.testing
        configuration.clock = clock.appClock
        configure(&configuration)
        self.configuration = configuration
        if let given { database = given } else { database = try await TestStore.make() }
    }

    /// Runs `body` with a browser against the router, no network involved.
    func run(logger: Logger = Logger(label: "keysmith.test"), _ body: @Sendable (inout Browser) async throws -> Void) async throws
    {
        let app = try await buildApplication(configuration: configuration, database: database, logger: logger)
        try await app.test(.router) { client in
            var browser = Browser(client)
            try await body(&browser)
        }
    }
}

/// The Default project of the user's personal workspace.
func defaultProject(_ app: TestApp, email: String = "ann@example.com") async throws -> ProjectRecord {
    try await AccountState.defaultProject(app, email: email)
}

/// Where the console saves the Default project's settings (name, key prefix, description).
func settingsPath(_ app: TestApp, email: String = "ann@example.com") async throws -> String {
    "/projects/\(try await defaultProject(app, email: email).id)/settings"
}
