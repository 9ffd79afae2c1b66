// swift-tools-version:6.1
import PackageDescription

/// Every target opts into the same strictness as Hummingbird itself.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "keysmith",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keysmith", targets: ["keysmith"]),
        // `make bench`'s baseline: a bare Hummingbird hello-world, measured beside Keysmith.
        .executable(name: "hello-baseline", targets: ["HelloBaseline"]),
        // `make fuzz`: the parsers under libFuzzer (Fuzz/run.sh builds it so); a normal build replays files.
        .executable(name: "keysmith-fuzz", targets: ["KeysmithFuzz"]),
    ],
    // `swift build --traits PostgreSQL` adds the PostgreSQL store (`--db postgres://…`) to `keysmith`; without it the
    // binary is the embedded SQLite server, and a first build skips postgres-nio and BoringSSL.
    traits: [
        .trait(name: "PostgreSQL", description: "The PostgreSQL store for several nodes (postgres-nio)."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        // Without the default ConfigurationSupport trait: Keysmith reads its own settings, and swift-configuration
        // would add a module to every first build.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Only the PostgreSQL trait's build uses it: the embedded default never compiles its TLS stack (BoringSSL).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "KeysmithCore",
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]
        ),
        .target(
            name: "Argon2",
            dependencies: ["CArgon2", "KeysmithCore"],
            swiftSettings: swiftSettings
        ),
        // SHA-256 and HMAC-SHA-256 from the system's libcrypto: all the cryptography besides Argon2 that Keysmith
        // needs, without building BoringSSL (swift-crypto) on every fresh clone.
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "SystemCrypto",
            dependencies: ["CLibCrypto"],
            swiftSettings: swiftSettings
        ),
        // What every store keeps and the protocols a store implements, one per area: the server builds on these,
        // not on a database, so it compiles beside GRDB rather than after it.
        .target(
            name: "KeysmithStore",
            dependencies: ["KeysmithCore"],
            swiftSettings: swiftSettings
        ),
        // The embedded store: SQLite through GRDB.
        .target(
            name: "KeysmithSQLite",
            dependencies: [
                "KeysmithCore",
                "KeysmithStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The store for several nodes: PostgreSQL through postgres-nio.
        .target(
            name: "KeysmithPostgres",
            dependencies: [
                "KeysmithCore",
                "KeysmithStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeysmithServer",
            dependencies: [
                "KeysmithCore",
                "KeysmithStore",
                "Argon2",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                "SystemCrypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "keysmith",
            dependencies: [
                "KeysmithServer",
                "KeysmithStore",
                "KeysmithSQLite",
                .target(name: "KeysmithPostgres", condition: .when(traits: ["PostgreSQL"])),
                "KeysmithCore",
                "Argon2",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "HelloBaseline",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "bench/Baseline",
            swiftSettings: swiftSettings
        ),
        // One harness per parser, with the properties it must keep. `@testable`: the server's request bodies are
        // internal, so only a build with testability (debug, or Fuzz/run.sh's `-enable-testing`) compiles these.
        .target(
            name: "KeysmithFuzzTargets",
            dependencies: [
                "KeysmithCore",
                "KeysmithServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // libFuzzer's entry point, declared for Swift; nothing to link unless Fuzz/run.sh adds the runtime.
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(
            name: "KeysmithFuzz",
            dependencies: ["KeysmithFuzzTargets", "CLibFuzzer"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KeysmithCoreTests", dependencies: ["KeysmithCore"], swiftSettings: swiftSettings),
        .testTarget(name: "KeysmithCLITests", dependencies: ["keysmith"], swiftSettings: swiftSettings),
        .testTarget(name: "SystemCryptoTests", dependencies: ["SystemCrypto"], swiftSettings: swiftSettings),
        .testTarget(name: "Argon2Tests", dependencies: ["Argon2", "KeysmithCore"], swiftSettings: swiftSettings),
        // The store a test runs on (SQLite, or PostgreSQL on `make test`'s second pass), shared by the store and HTTP
        // suites so both hold the two stores to one behaviour. Only test builds compile it.
        .target(
            name: "KeysmithTestStores",
            dependencies: [
                "KeysmithStore",
                "KeysmithSQLite",
                "KeysmithPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KeysmithStoreTests",
            dependencies: [
                "KeysmithTestStores", "KeysmithSQLite", "KeysmithPostgres", "KeysmithStore", "KeysmithCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            // A database made by an older version, for the migration tests: read by path, not a resource.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KeysmithPostgresTests", dependencies: ["KeysmithPostgres"], swiftSettings: swiftSettings),
        .testTarget(
            name: "KeysmithFuzzTargetsTests",
            dependencies: ["KeysmithFuzzTargets"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KeysmithServerTests",
            dependencies: [
                "KeysmithServer",
                "KeysmithTestStores",
                "Argon2",
                "KeysmithStore",
                "KeysmithSQLite",
                "KeysmithPostgres",
                "KeysmithCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
