#!/usr/bin/env bash
# Runs the README's "Protect your API in 5 minutes" against a real server: every curl there, checked.
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib/server.sh
source e2e/lib/checks.sh
start_server
sign_up


# 1. An admin key, made once with the signed-in session (the console's "Admin keys" page does the same), and the
#    project id the console shows under Projects.
ADMIN=$(create_admin_key_with_session '{"name": "deploy bot", "permissions": ["keys:read", "keys:write"]}' | json_field token)
check "admin key has the documented token shape" 1 "$(grep -cE '^ksa_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}$' <<<"$ADMIN" || true)"
check "the project has the documented id shape" 1 "$(grep -cE '^prj_[0-9A-Za-z]{16}$' <<<"$PROJECT" || true)"

# 2. The README's curl: the admin key creates a key for a service in the project.
created=$(curl -s -w '\n%{http_code}' -X POST "$BASE/api/v1/keys" \
  -H "Authorization: Bearer $ADMIN" -H "x-project-id: $PROJECT" -H "Content-Type: application/json" \
  -d '{"name": "orders service", "scopes": ["orders:read"], "ttl": "90d",
       "responseHeaders": [{"name": "X-Customer-Id", "value": "${key.name}"}]}')
check "POST /api/v1/keys with a key answers 201" 201 "$(tail -n1 <<<"$created")"
TOKEN=$(head -n -1 <<<"$created" | json_field token)
KEY_ID=${TOKEN%_*}
SECRET=${TOKEN##*_}

# 3. whoami with the three presentation forms.
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "whoami with Authorization: Bearer" 200 "$(status -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/whoami")"
check "whoami with x-api-key token" 200 "$(status -H "x-api-key: $TOKEN" "$BASE/api/v1/whoami")"
check "whoami with x-api-key + x-api-secret" 200 "$(status -H "x-api-key: $KEY_ID" -H "x-api-secret: $SECRET" "$BASE/api/v1/whoami")"
check "whoami without a key" '{"error":{"code":"MISSING_API_KEY","message":"Missing API key"}}' "$(curl -s "$BASE/api/v1/whoami")"
check "whoami with a wrong secret" 401 "$(status -H "Authorization: Bearer ${TOKEN%?}x" "$BASE/api/v1/whoami")"

# 4. Forward auth, as nginx auth_request calls it: 200 plus headers for the upstream, or 401/403; only this
#    project's keys pass its gate.
headers=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/auth?project=$PROJECT&scope=orders:read")
check "forward auth passes with the scope" 1 "$(grep -c '^HTTP/1.1 200' <<<"$headers")"
check "forward auth hands X-Customer-Id to the upstream" 1 "$(grep -ci '^x-customer-id: orders service' <<<"$headers")"
check "forward auth names the key's project" 1 "$(grep -ci "^x-keysmith-project-id: $PROJECT" <<<"$headers")"
check "forward auth refuses a missing scope" 403 "$(status -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/auth?project=$PROJECT&scope=orders:write")"
check "forward auth without a project is 400" 400 "$(status -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/auth")"
OTHER=$(curl -sf -b "$E2E_WORK/jar" -H "X-CSRF-Token: $CSRF" -H "Content-Type: application/json" \
  -d '{"name": "Staging"}' "$BASE/api/v1/projects" | json_field id)
check "another project's gate does not know the key" 401 "$(status -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/auth?project=$OTHER")"
check "an admin key is no key at a gate" 401 "$(status -H "Authorization: Bearer $ADMIN" "$BASE/api/v1/auth?project=$PROJECT")"
check "a project key manages nothing" 401 "$(status -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/keys")"

# 5. Verification from a service's backend, and revocation taking effect at once.
check "verify says VALID" VALID "$(curl -s -X POST "$BASE/api/v1/keys/verify" -H 'Content-Type: application/json' \
  -d "{\"project\": \"$PROJECT\", \"token\": \"$TOKEN\", \"scope\": \"orders:read\"}" | json_field code)"
check "verify at another project's gate says NOT_FOUND" NOT_FOUND "$(curl -s -X POST "$BASE/api/v1/keys/verify" \
  -H 'Content-Type: application/json' -d "{\"project\": \"$OTHER\", \"token\": \"$TOKEN\"}" | json_field code)"
curl -s -o /dev/null -X POST -H "Authorization: Bearer $ADMIN" "$BASE/api/v1/keys/$KEY_ID/disable"
check "a disabled key is refused" 401 "$(status -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/whoami")"
check "DELETE answers the documented message" '{"message":"API key deleted"}' \
  "$(curl -s -X DELETE -H "Authorization: Bearer $ADMIN" "$BASE/api/v1/keys/$KEY_ID")"
check "verify of a deleted key says NOT_FOUND" NOT_FOUND "$(curl -s -X POST "$BASE/api/v1/keys/verify" \
  -H 'Content-Type: application/json' -d "{\"project\": \"$PROJECT\", \"token\": \"$TOKEN\"}" | json_field code)"

report walkthrough
