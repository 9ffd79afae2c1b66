import Foundation
import PostgresNIO

/// Where the PostgreSQL store is, as `--db` or `KEYSMITH_DB` give it, in libpq's URL form:
/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require][&schema=name][&pool_size=n]`.
///
/// `schema` and `pool_size` are Keysmith's own options (psql does not know them): the tables live in that schema,
/// created when missing, so Keysmith can share a database the team already runs; a node opens at most `pool_size`
/// connections (default 20).
public struct PostgresLocation: Sendable, Equatable {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// The schema the tables live in; nil for the connection's default (`public`).
    public var schema: String?
    /// The most connections this node opens at once.
    public var poolSize = 20

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case invalid(String)

        public var description: String {
            switch self {
            case .invalid(let reason): "not a PostgreSQL URL (postgres://user@host:port/database): \(reason)"
            }
        }
    }

    /// Whether `text` names a PostgreSQL database rather than an SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url text: String) throws {
        guard Self.isURL(text), let url = URLComponents(string: text) else { throw ParseError.invalid("expected postgres://…") }
        guard let host = url.host, !host.isEmpty else { throw ParseError.invalid("no host") }
        guard let user = url.user, !user.isEmpty else { throw ParseError.invalid("no user") }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw ParseError.invalid("no database name after the host") }
        var tls = TLSMode.prefer
        var schema: String?
        var poolSize = 20
        for item in url.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", let value?):
                guard let mode = TLSMode(rawValue: value) else {
                    throw ParseError.invalid("sslmode is disable, prefer or require")
                }
                tls = mode
            case ("schema", let value?):
                guard Self.isPlainIdentifier(value) else {
                    throw ParseError.invalid("schema is a lowercase name of letters, digits and _ (at most 63)")
                }
                schema = value
            case ("pool_size", let value?):
                guard let size = Int(value), (1...1_000).contains(size) else {
                    throw ParseError.invalid("pool_size is a number of connections, 1…1000")
                }
                poolSize = size
            default:
                throw ParseError.invalid("unknown option \(item.name); sslmode, schema and pool_size are read")
            }
        }
        self.host = host
        self.port = url.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = url.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
        self.schema = schema
        self.poolSize = poolSize
    }

    /// A name that needs no quoting in SQL, so it can be spliced into DDL as it is.
    static func isPlainIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 63 else { return false }
        let lower = "abcdefghijklmnopqrstuvwxyz_"
        return lower.unicodeScalars.contains(first)
            && text.unicodeScalars.allSatisfy { (lower + "0123456789").unicodeScalars.contains($0) }
    }

    /// For logs and errors: the URL without its password.
    public var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)" + (schema.map { "?schema=\($0)" } ?? "") }

    func clientConfiguration(applicationName: String) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        if let schema { configuration.options.additionalStartupParameters.append(("search_path", schema)) }
        configuration.options.maximumConnections = poolSize
        return configuration
    }
}
