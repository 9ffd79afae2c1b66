import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body has not fully arrived `timeout` after its head, so a client trickling a
/// byte at a time cannot hold a connection (and the request's task) forever. Hummingbird's idle timeout covers the
/// time before a head is complete; this covers the time after it.
final class BodyReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            deadline?.cancel()
            deadline = nil
            // A request without a body (the gates' GETs) has nothing left to read: no timer on the hot path.
            guard head.headerFields[.contentLength] != nil || head.headerFields[.transferEncoding] != nil else { break }
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) { loopBound.value.close(promise: nil) }
        case .body:
            break
        case .end:
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }
}
