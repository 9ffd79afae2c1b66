import CoreMetrics
import Dispatch
import Foundation
import HTTPTypes
import Hummingbird

/// Times every request and reports it twice, without blocking: an access-log entry and the duration series of its
/// route and status (DESIGN §7.9). Outermost, so what it sees is what the client got.
struct RequestTelemetryMiddleware<Context: RequestContext>: RouterMiddleware {
    let accessLog: AccessLog
    let metrics: AppMetrics

    /// Routes whose path holds a one-time credential (an invitation's token, a reveal's id): the log shows their
    /// pattern instead, as it never shows query strings.
    static var credentialRoutes: Set<String> { ["/invites/{id}", "/invites/{id}/accept", "/keys/{id}/reveal/{reveal}"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let start = DispatchTime.now().uptimeNanoseconds
        var status = 500
        defer {
            let nanoseconds = DispatchTime.now().uptimeNanoseconds - start
            // The route pattern (`/api/v1/keys/{id}`), never the concrete path: bounded series, no ids or tokens.
            let route = context.endpointPath ?? "unmatched"
            metrics.requestDuration(route: route, status: status).recordNanoseconds(Int64(nanoseconds))
            accessLog.append(
                AccessLog.Entry(
                    at: Date(), method: request.method.rawValue,
                    path: Self.credentialRoutes.contains(route) ? route : request.uri.path, status: status,
                    durationMicroseconds: Int(nanoseconds / 1_000)
                ))
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}
