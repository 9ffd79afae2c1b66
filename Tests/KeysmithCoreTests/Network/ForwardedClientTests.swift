import KeysmithCore
import Testing

private let proxies = [try! IPRange.parse("10.0.0.0/8").get(), try! IPRange.parse("::1").get()]

@Test(arguments: [
    // peer, X-Forwarded-For values, expected client
    ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),  // an untrusted peer's header is ignored
    ("10.0.0.2", ["198.51.100.1"], "198.51.100.1"),  // one trusted proxy
    ("10.0.0.2", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),  // a spoofed hop prepended by the client is ignored
    ("10.0.0.2", ["198.51.100.1, 10.0.0.7"], "198.51.100.1"),  // two trusted proxies in a row
    ("10.0.0.2", ["198.51.100.1", "10.0.0.7"], "198.51.100.1"),  // the header sent twice reads as one list
    ("10.0.0.2", [], "10.0.0.2"),  // no header: the proxy itself
    ("10.0.0.2", ["not-an-ip"], "10.0.0.2"),  // garbage is not believed
    ("10.0.0.2", ["10.0.0.3, 10.0.0.4"], "10.0.0.3"),  // only proxies: the leftmost
    ("::1", [" 2001:db8::7 "], "2001:db8::7"),
])
func clientIsTheRightmostUntrustedForwardedAddress(peer: String, forwardedFor: [String], expected: String) {
    #expect(ForwardedClient.resolve(peer: peer, forwardedFor: forwardedFor, trustedProxies: proxies) == expected)
}

@Test func withoutAPeerThereIsNoClientAddress() {
    #expect(ForwardedClient.resolve(peer: nil, forwardedFor: ["198.51.100.1"], trustedProxies: proxies) == nil)
}
