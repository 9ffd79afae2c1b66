import Hummingbird
import NIOCore

/// `/healthz` for load balancers and `make run`'s readiness check, and `/metrics` for Prometheus: neither reads a
/// session, a cookie or the database on each call.
struct HealthController {
    let readiness: ReadinessCheck
    let metrics: AppMetrics

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteURL.health.route) { _, _ -> Response in
            guard await readiness.isReady() else {
                throw HTTPProblem(.serviceUnavailable, "SERVICE_UNAVAILABLE", "The database does not answer")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: Self.ok)
            )
        }
        router.get(SiteURL.metrics.route) { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
    }

    private static let ok = ByteBuffer(string: #"{"status":"ok"}"#)
}
