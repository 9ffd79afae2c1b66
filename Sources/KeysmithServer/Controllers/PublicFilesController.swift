import Hummingbird
import Logging

/// The stylesheet, script and icon from `Public/`: only these paths ever touch the file system, and they pass
/// through no session, flash or CSRF work.
struct PublicFilesController {
    let directory: String
    let logger: Logger

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        // FileMiddleware says "Serving files from …" at info on every start, before the port is bound: a start that
        // fails (a busy port) must print only its one line.
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        let files = router.group().add(
            middleware: FileMiddleware(
                directory, cacheControl: .init([(MediaType(type: .any), [.maxAge(300)])]), logger: quiet))
        // FileMiddleware answers with the file when the route below says 404; a missing file stays a 404.
        for path in ["css/**", "js/**", "favicon.svg"] {
            files.get(RouterPath(path)) { _, _ -> Response in throw HTTPError(.notFound) }
        }
    }
}
