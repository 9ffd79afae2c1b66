/// Ready-to-paste reverse-proxy configuration for one project's gate: nginx `auth_request` and Caddy
/// `forward_auth`, both asking `/api/v1/auth?project=…` and passing the key's identity upstream without the
/// client's credentials.
struct GateSnippets: Sendable {
    let nginx: String
    let caddy: String

    init(projectID: String, keysmith: String) {
        nginx = """
            location /api/ {
                auth_request /_keysmith;
                auth_request_set $keysmith_key $upstream_http_x_keysmith_key_id;
                proxy_set_header X-Keysmith-Key-Id $keysmith_key;
                proxy_set_header Authorization "";
                proxy_set_header x-api-key "";
                proxy_pass http://127.0.0.1:9000;
            }

            location = /_keysmith {
                internal;
                proxy_pass \(keysmith)/api/v1/auth?project=\(projectID);
                proxy_pass_request_body off;
                proxy_set_header Content-Length "";
                proxy_set_header X-Forwarded-For $remote_addr;
            }
            """
        caddy = """
            example.com {
                forward_auth \(keysmith) {
                    uri /api/v1/auth?project=\(projectID)
                    copy_headers X-Keysmith-Key-Id X-Keysmith-Project-Id
                }
                request_header -Authorization
                request_header -x-api-key
                reverse_proxy 127.0.0.1:9000
            }
            """
    }
}
