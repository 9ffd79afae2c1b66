import KeysmithPostgres
import Testing

@Suite struct PostgresLocationTests {
    @Test func aFullURLGivesEveryPart() throws {
        let location = try PostgresLocation(
            url: "postgres://keys%40mith:p%2Fss@db.internal:6432/keysmith?sslmode=require&schema=ks&pool_size=8")
        #expect(location.user == "keys@mith")
        #expect(location.password == "p/ss")
        #expect(location.host == "db.internal")
        #expect(location.port == 6432)
        #expect(location.database == "keysmith")
        #expect(location.tls == .require)
        #expect(location.schema == "ks")
        #expect(location.poolSize == 8)
        #expect(location.redacted == "postgres://keys@mith@db.internal:6432/keysmith?schema=ks")
    }

    @Test func defaultsArePort5432PreferredTLSThePublicSchemaAndTwentyConnections() throws {
        let location = try PostgresLocation(url: "postgresql://keysmith@127.0.0.1/keysmith")
        #expect(location.port == 5432)
        #expect(location.password == nil)
        #expect(location.tls == .prefer)
        #expect(location.schema == nil)
        #expect(location.poolSize == 20)
    }

    @Test(arguments: [
        "data/keysmith.sqlite",
        "mysql://keysmith@127.0.0.1/keysmith",
        "postgres://127.0.0.1/keysmith",
        "postgres://keysmith@/keysmith",
        "postgres://keysmith@127.0.0.1",
        "postgres://keysmith@127.0.0.1/",
        "postgres://keysmith@127.0.0.1/keysmith?sslmode=verify-full",
        "postgres://keysmith@127.0.0.1/keysmith?schema=Key-Smith",
        "postgres://keysmith@127.0.0.1/keysmith?schema=a;DROP%20TABLE%20account",
        "postgres://keysmith@127.0.0.1/keysmith?pool_size=0",
        "postgres://keysmith@127.0.0.1/keysmith?application_name=x",
    ])
    func whatIsNotAUsablePostgresURLIsRefusedWithTheReason(url: String) {
        #expect(throws: PostgresLocation.ParseError.self) { try PostgresLocation(url: url) }
    }
}
