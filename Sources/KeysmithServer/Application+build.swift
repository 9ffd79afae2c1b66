import Foundation
import Hummingbird
import KeysmithCore
import KeysmithStore
import Logging

/// The one wiring of Keysmith, used by `keysmith serve` and by every HTTP test.
///
/// The caller opens the database and closes it after the application has stopped, so tests can look into it.
public func buildApplication(configuration: AppConfiguration, database: AppDatabase, logger: Logger) async throws
    -> some ApplicationProtocol
{
    let views = try await Views(
        directory: configuration.templatesDirectory,
        required: [
            SignupPage.self, LoginPage.self, AccountPage.self, AuditPage.self, ErrorPage.self, KeyListPage.self, KeyFormPage.self,
            KeyDetailPage.self, RevealPage.self, RevealGonePage.self, DeleteKeyPage.self, APIDocsPage.self,
        ]
    )
    let cookies = CookieJar(secure: configuration.secureCookies, sessionLifetime: configuration.sessionPolicy.absoluteLifetime)
    let services = AppServices(
        database: database, views: views, hasher: PasswordHasher(parameters: configuration.argon2),
        limiter: SignInLimiter(configuration.signInThrottle), cookies: cookies, sessionPolicy: configuration.sessionPolicy,
        clock: configuration.clock
    )

    let issuer = KeyIssuer(database: database, hasher: services.hasher, clock: configuration.clock)
    let verifier = KeyVerifier(database: database, hasher: services.hasher, limiter: RateLimiter(), clock: configuration.clock)

    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        SecurityHeadersMiddleware()
        LogRequestsMiddleware(.info)
        MethodAllowlistMiddleware()
        ClientAddressMiddleware(trustedProxies: configuration.trustedProxies)
        // Serves Public/ where no route answers; the inner error page has already made those 404 responses.
        FileMiddleware(
            configuration.publicDirectory, cacheControl: .init([(MediaType(type: .any), [.maxAge(300)])]), logger: logger
        )
        .withServeOnNotFoundResponse()
        FlashMiddleware(cookies: cookies)
        SessionAuthenticator(database: database, policy: configuration.sessionPolicy, clock: configuration.clock)
        ErrorPageMiddleware(views: views)
        CSRFMiddleware(cookies: cookies)
    }
    HealthController(database: database).addRoutes(to: router)
    try DocsController(templatesDirectory: configuration.templatesDirectory, views: views).addRoutes(to: router)
    AuthController(services: services).addRoutes(to: router)
    let console = router.group(context: ConsoleContext.self)
    AccountController(services: services).addRoutes(to: console)
    AuditController(services: services).addRoutes(to: console)
    KeysController(services: services, issuer: issuer, vault: RevealVault()).addRoutes(to: console)
    let api = router.group("api/v1", context: APIContext.self)
    let callers = APICallerResolver(database: database, verifier: verifier)
    KeysAPIController(database: database, issuer: issuer, callers: callers, clock: configuration.clock).addRoutes(to: api)
    VerificationAPIController(verifier: verifier).addRoutes(to: api)

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Keysmith"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            logger.notice("Keysmith is running at http://\(configuration.host):\(port)")
        },
        logger: logger
    )
}
