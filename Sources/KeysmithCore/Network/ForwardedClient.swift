/// Who the client is behind reverse proxies. `X-Forwarded-For` counts only when the socket peer is a trusted proxy;
/// then hops are read right to left and the first address that is not itself a trusted proxy is the client, so
/// whatever a client prepends to the header is never believed.
public enum ForwardedClient {
    /// - Parameters:
    ///   - peer: the socket peer's address.
    ///   - forwardedFor: every `X-Forwarded-For` value of the request, in order.
    public static func resolve(peer: String?, forwardedFor: [String], trustedProxies: [IPRange]) -> String? {
        guard let peer, isTrusted(peer, trustedProxies) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",").map { String($0).trimmingWhitespace() } }.filter {
            !$0.isEmpty
        }
        var client = peer
        for hop in hops.reversed() {
            guard IPAddress(hop) != nil else { break }  // garbage ends the chain: keep the last address we could trust
            client = hop
            if !isTrusted(hop, trustedProxies) { break }
        }
        return client
    }

    private static func isTrusted(_ address: String, _ trustedProxies: [IPRange]) -> Bool {
        guard let address = IPAddress(address) else { return false }
        return trustedProxies.contains { $0.contains(address) }
    }
}
