import Hummingbird
import Logging

/// The stylesheet, script and icon from `Public/`: only these paths ever touch the file system, and they pass
/// through no session, flash or CSRF work.
struct PublicFilesController {
    let directory: String
    let logger: Logger

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let files = router.group().add(
            middleware: FileMiddleware(
                directory, cacheControl: .init([(MediaType(type: .any), [.maxAge(300)])]), logger: logger))
        // FileMiddleware answers with the file when the route below says 404; a missing file stays a 404.
        for path in ["css/**", "js/**", "favicon.svg"] {
            files.get(RouterPath(path)) { _, _ -> Response in throw HTTPError(.notFound) }
        }
    }
}
