/// A context that knows the client's address: the socket peer, or what trusted proxies say it is.
protocol ClientAddressContext {
    var clientIP: String? { get }
}
