import Hummingbird

/// Reads the signed flash cookie into the context and clears it once a page has shown it.
struct FlashMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let cookies: CookieJar

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        guard let value = request.cookies[CookieNames.flash]?.value else { return try await next(request, context) }
        var context = context
        context.flash = cookies.readFlash(value)
        var response = try await next(request, context)
        // A redirect passes the flash on to the page it leads to; that page consumes it.
        if response.status.kind != .redirection, response.headers[.setCookie]?.contains(CookieNames.flash) != true {
            response.setCookie(cookies.expired(CookieNames.flash))
        }
        return response
    }
}
