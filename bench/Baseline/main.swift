// The ceiling `make bench` measures Keysmith against: a bare Hummingbird app, built with the same compiler settings
// and packages, serving on the port given as its only argument. `GET /hello` is the ceiling of any route;
// `POST /echo` reads a small JSON body first, as `POST /api/v1/keys/verify` must.
import Hummingbird

let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 18090
let router = Router()
router.get("/hello") { _, _ in "hello" }
router.post("/echo") { request, _ -> String in
    var request = request
    let body = try await request.collectBody(upTo: 64 * 1024)
    return "\(body.readableBytes)"
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
