/// Ready-to-paste reverse-proxy configuration for one project's gate: nginx `auth_request` and Caddy
/// `forward_auth`, both asking `/api/v1/auth?project=…`, passing the key's identity upstream without the client's
/// credentials, and giving the client Keysmith's 429 with `Retry-After` (the README's recipes, which
/// `e2e/proxies.py` runs against real nginx and Caddy, as it runs these).
struct GateSnippets: Sendable {
    let nginx: String
    let caddy: String

    init(projectID: String, keysmith: String) {
        let authority = keysmith.hasPrefix("http://") ? String(keysmith.dropFirst("http://".count)) : keysmith
        nginx = """
            location /api/ {
                auth_request /_keysmith;
                auth_request_set $keysmith_status $upstream_status;
                auth_request_set $keysmith_retry_after $upstream_http_retry_after;
                auth_request_set $keysmith_key $upstream_http_x_keysmith_key_id;
                error_page 500 = @keysmith_limited;   # auth_request turns a 429 into a 500
                proxy_set_header X-Keysmith-Key-Id $keysmith_key;
                proxy_set_header Authorization "";
                proxy_set_header x-api-key "";
                proxy_set_header x-api-secret "";
                proxy_pass http://127.0.0.1:9000;
            }

            location = /_keysmith {
                internal;
                proxy_pass \(keysmith)/api/v1/auth?project=\(projectID);
                proxy_pass_request_body off;
                proxy_set_header Content-Length "";
                proxy_set_header X-Forwarded-For $remote_addr;
            }

            location @keysmith_limited {
                default_type application/json;
                if ($keysmith_status = 429) {
                    add_header Retry-After $keysmith_retry_after always;
                    return 429 '{"error":{"code":"TOO_MANY_REQUESTS","message":"Rate limit or usage quota reached"}}\\n';
                }
                return 500;
            }
            """
        caddy = """
            example.com {
                handle /api/* {
                    forward_auth \(authority) {
                        uri /api/v1/auth?project=\(projectID)
                        copy_headers X-Keysmith-Key-Id X-Keysmith-Project-Id
                    }
                    request_header -Authorization
                    request_header -X-Api-Key
                    request_header -X-Api-Secret
                    reverse_proxy 127.0.0.1:9000
                }
            }
            """
    }
}
