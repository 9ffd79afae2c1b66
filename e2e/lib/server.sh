# Shared by the e2e scripts: start Keysmith on a fresh temporary database and a free port, sign up through the
# real console, and create API keys through the JSON API the way the README shows. Source it; call start_server.
set -euo pipefail

KEYSMITH_BIN=${KEYSMITH_BIN:-.build/debug/keysmith}
E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/keysmith-e2e.XXXX")
E2E_EMAIL=e2e@example.com
E2E_PASSWORD="e2e password $$ $RANDOM"

stop_server() {
  [ -n "${E2E_SERVER_PID:-}" ] && kill "$E2E_SERVER_PID" 2>/dev/null && wait "$E2E_SERVER_PID" 2>/dev/null
  rm -rf "$E2E_WORK"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_server() {
  trap stop_server EXIT
  E2E_PORT=$(free_port)
  BASE="http://127.0.0.1:$E2E_PORT"
  "$KEYSMITH_BIN" migrate --db "$E2E_WORK/keysmith.sqlite" >/dev/null
  restart_server
}

# Starts the server again on the same database and port (after start_server, once the last one has stopped).
restart_server() {
  KEYSMITH_ARGON2_MEMORY_KIB=1024 KEYSMITH_ARGON2_ITERATIONS=1 \
    "$KEYSMITH_BIN" serve --db "$E2E_WORK/keysmith.sqlite" --port "$E2E_PORT" >>"$E2E_WORK/server.log" 2>&1 &
  E2E_SERVER_PID=$!
  for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "server did not start:"; cat "$E2E_WORK/server.log"; return 1
}

# Signs up in the console (cookies in $E2E_WORK/jar) and sets CSRF to the session's token.
sign_up() {
  local jar="$E2E_WORK/jar" page
  page=$(curl -sf -c "$jar" -b "$jar" "$BASE/signup")
  local token; token=$(sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' <<<"$page")
  curl -sf -c "$jar" -b "$jar" -o /dev/null "$BASE/signup" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$E2E_EMAIL" --data-urlencode "password=$E2E_PASSWORD"
  CSRF=$(curl -sf -c "$jar" -b "$jar" "$BASE/keys" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p')
  [ -n "$CSRF" ] || { echo "sign-up failed"; return 1; }
  # The Default project of the new personal workspace: the gate every script checks keys at.
  PROJECT=$(curl -sf -b "$jar" "$BASE/api/v1/projects" | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')
}

# create_key_with_session JSON → prints the response body (session cookie + X-CSRF-Token, as a signed-in script would);
# the key goes to the only project, which the API picks by itself.
create_key_with_session() {
  curl -sf -b "$E2E_WORK/jar" -H "X-CSRF-Token: $CSRF" -H "Content-Type: application/json" -d "$1" "$BASE/api/v1/keys"
}

json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# create_admin_key_with_session JSON → prints the response body of POST /api/v1/admin-keys.
create_admin_key_with_session() {
  curl -sf -b "$E2E_WORK/jar" -H "X-CSRF-Token: $CSRF" -H "Content-Type: application/json" -d "$1" "$BASE/api/v1/admin-keys"
}
