import Foundation
import Hummingbird
import KeysmithCore
import KeysmithStore
import Logging
import NIOCore
import ServiceLifecycle
import SystemCrypto

/// The one wiring of Keysmith, used by `keysmith serve` and by every HTTP test.
///
/// The caller opens the database and closes it after the application has stopped, so tests can look into it.
public func buildApplication(configuration: AppConfiguration, database: any Store, logger: Logger) async throws
    -> some ApplicationProtocol
{
    let views = try await Views(
        directory: configuration.templatesDirectory,
        required: [
            SignupPage.self, LoginPage.self, AccountPage.self, AuditPage.self, ErrorPage.self, KeyListPage.self, KeyFormPage.self,
            KeyDetailPage.self, RevealPage.self, RevealGonePage.self, DeleteKeyPage.self, ConfirmKeyActionPage.self,
            APIDocsPage.self,
            ProjectListPage.self, ProjectSettingsPage.self, DeleteProjectPage.self, MembersPage.self, InvitePage.self,
            AdminKeysPage.self, WorkspaceSettingsPage.self, NewWorkspacePage.self,
        ]
    )
    let metrics = AppMetrics()
    let hotPath = try await HotPath(configuration: configuration, database: database, metrics: metrics, logger: logger)
    let cookies = CookieJar(
        secure: configuration.secureCookies, sessionLifetime: configuration.sessionPolicy.absoluteLifetime,
        signingKey: HMACSHA256(key: try await database.serverSecret(named: "cookies")))
    let services = AppServices(
        database: database, views: views, hasher: hotPath.hasher,
        signIns: SignInLimiter(
            configuration.signInLimits.signIn, purpose: "sign-in", shared: database.attemptWindows, logger: logger),
        signUps: SignInLimiter(
            configuration.signInLimits.signUp, purpose: "sign-up", shared: database.attemptWindows, logger: logger),
        passwordChecks: SignInLimiter(
            configuration.signInLimits.passwordCheck, purpose: "password-check", shared: database.attemptWindows,
            logger: logger),
        cookies: cookies, sessionPolicy: configuration.sessionPolicy, clock: configuration.clock, keys: hotPath.writer,
        ledger: hotPath.ledger, writeBehind: hotPath.writeBehind, signupMode: configuration.signupMode
    )
    let accessLog = AccessLog(configuration.accessLog, logger: logger)
    let session = SessionAuthenticator(database: database, policy: configuration.sessionPolicy, clock: configuration.clock)
    let clientAddress = ClientAddressMiddleware(trustedProxies: configuration.trustedProxies)
    let errorPages = ErrorPageMiddleware(views: views)

    // Every request: telemetry first (it sees the final answer), then the headers every answer carries.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.addMiddleware {
        RequestTelemetryMiddleware(accessLog: accessLog, metrics: metrics)
        SecurityHeadersMiddleware()
        MethodAllowlistMiddleware()
    }
    // Infrastructure and static files: no session, no cookies, no database on the way.
    HealthController(readiness: ReadinessCheck { try await database.ping() }, metrics: metrics).addRoutes(to: router)
    PublicFilesController(directory: configuration.publicDirectory, logger: logger).addRoutes(to: router)

    // The console: client address, flash, session, error pages, then CSRF on every form.
    let console = router.group().add(middleware: clientAddress).add(middleware: FlashMiddleware(cookies: cookies))
        .add(middleware: session).add(middleware: WorkspaceSelectionMiddleware(database: database))
        .add(middleware: errorPages).add(middleware: CSRFMiddleware(cookies: cookies))
    AuthController(services: services).addRoutes(to: console)
    let shownOnce = OneTimeVault<ShownOnce>()
    let invites = InviteIssuer(database: database, clock: configuration.clock)
    let members = MembersController(services: services, invites: invites, vault: shownOnce)
    members.addPublicRoutes(to: console)
    let docs = try DocsController(templatesDirectory: configuration.templatesDirectory, views: views)
    docs.addPageRoutes(to: console)
    let signedIn = console.group(context: ConsoleContext.self)
    AccountController(services: services).addRoutes(to: signedIn)
    AuditController(services: services).addRoutes(to: signedIn)
    KeysController(services: services, vault: OneTimeVault()).addRoutes(to: signedIn)
    ProjectsController(services: services).addRoutes(to: signedIn)
    members.addRoutes(to: signedIn)
    let adminKeyIssuer = AdminKeyIssuer(database: database, hasher: hotPath.hasher, clock: configuration.clock)
    AdminKeysController(services: services, issuer: adminKeyIssuer, vault: shownOnce).addRoutes(to: signedIn)
    WorkspaceController(services: services).addRoutes(to: signedIn)

    // The API: JSON errors and the client address. Verification needs nothing more; management also reads the
    // console session (with its CSRF header) for callers that present no key.
    let api = router.group("api/v1").add(middleware: APIErrorMiddleware()).add(middleware: clientAddress)
    docs.addDocumentRoutes(to: api)
    VerificationAPIController(verifier: hotPath.verifier, clock: configuration.clock).addRoutes(
        to: api.group(context: APIContext.self))
    let management = api.group().add(middleware: session).add(middleware: APISessionCSRFMiddleware())
        .group(context: APIContext.self)
    let callers = APICallerResolver(database: database, adminKeys: hotPath.adminKeys)
    KeysAPIController(services: services, callers: callers).addRoutes(to: management)
    WorkspacesAPIController(services: services, callers: callers, invites: invites).addRoutes(to: management)
    ProjectsAPIController(services: services, callers: callers).addRoutes(to: management)
    AdminKeysAPIController(services: services, callers: callers, issuer: adminKeyIssuer).addRoutes(to: management)
    EntitiesAPIController(services: services, callers: callers).addRoutes(to: management)

    // Added last, so it wraps only the answer for paths no route matched.
    router.add(middleware: UnmatchedRouteMiddleware(pages: errorPages))

    return Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [BodyReadTimeoutHandler(timeout: TimeAmount(configuration.timeouts.body))],
                idleTimeout: TimeAmount(configuration.timeouts.idle))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Keysmith"),
        // Shut down in reverse order, after the server has drained: the change feed, the access log, the write-behind
        // (last usage, unspent quota), and only then the Argon2 threads the drained requests may still have used.
        services: [hotPath.argon2Pool, hotPath.writeBehind, accessLog] + (hotPath.keyChanges.map { [$0] } ?? []),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            logger.notice("Keysmith is running at http://\(configuration.host):\(port)")
        },
        logger: logger
    )
}
