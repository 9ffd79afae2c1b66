/// Which endpoint a key was presented to; the raw values are what the usage tables store, so cases are never renamed.
public enum UsageGate: String, CaseIterable, Sendable {
    /// `POST /api/v1/keys/verify`: a backend asking about a token its client sent.
    case verify
    /// `GET /api/v1/whoami`: the client itself.
    case whoami
    /// `GET /api/v1/auth`: a proxy's forward-auth subrequest (nginx `auth_request`, Caddy `forward_auth`).
    case forwardAuth = "auth"
}
