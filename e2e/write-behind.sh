#!/usr/bin/env bash
# DESIGN §7.6–7.7 against the real binary and a real SQLite file: uses counted in memory and unspent quota leases
# reach the database when the server is stopped with SIGTERM; after SIGKILL at most the last second of usage is
# lost and the quota is never over-admitted.
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib/server.sh
source e2e/lib/checks.sh
start_server
sign_up

db="$E2E_WORK/keysmith.sqlite"
verify_times() {  # token count → prints the number of VALID answers
  python3 - "$BASE" "$1" "$2" "$PROJECT" <<'PY'
import http.client, json, sys, urllib.parse
base, token, count, project = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
url = urllib.parse.urlparse(base)
connection = http.client.HTTPConnection(url.hostname, url.port)
valid = 0
for _ in range(count):
    connection.request("POST", "/api/v1/keys/verify", json.dumps({"project": project, "token": token}), {"Content-Type": "application/json"})
    valid += json.loads(connection.getresponse().read())["valid"]
print(valid)
PY
}
sql() { sqlite3 "$db" "$1"; }

# SIGTERM: every counted use and every unspent lease unit is written before the process ends.
TOKEN=$(create_key_with_session '{"name": "metered", "quota": {"remaining": 1000}}' | json_field token)
KEY_ID=${TOKEN%_*}
check "250 verifications are valid" 250 "$(verify_times "$TOKEN" 250)"
kill -TERM "$E2E_SERVER_PID"
wait "$E2E_SERVER_PID" || true
E2E_SERVER_PID=
check "all 250 uses are in the database after SIGTERM" 250 "$(sql "SELECT SUM(count) FROM keyUsage WHERE keyId = '$KEY_ID'")"
check "the unspent lease went back: 1000 - 250 remain" 750 "$(sql "SELECT quotaRemaining FROM apiKey WHERE id = '$KEY_ID'")"
check "last used is recorded" 1 "$(sql "SELECT COUNT(*) FROM apiKey WHERE id = '$KEY_ID' AND lastUsedAt IS NOT NULL")"

# SIGKILL: uses older than the flush interval are kept; the lease taken out is lost, never over-admitted.
restart_server
check "the key still verifies after the restart" 100 "$(verify_times "$TOKEN" 100)"
sleep 2.5  # at least two flushes
kill -KILL "$E2E_SERVER_PID"
wait "$E2E_SERVER_PID" 2>/dev/null || true
E2E_SERVER_PID=
check "uses flushed before SIGKILL are kept" 350 "$(sql "SELECT SUM(count) FROM keyUsage WHERE keyId = '$KEY_ID'")"
remaining=$(sql "SELECT quotaRemaining FROM apiKey WHERE id = '$KEY_ID'")
check "after SIGKILL the store never holds more than was left (650)" 1 "$([ "$remaining" -le 650 ] && echo 1 || echo 0)"
restart_server
admitted=$(verify_times "$TOKEN" 1000)
check "the restarted server admits at most what the store holds" 1 "$([ "$admitted" -le "$remaining" ] && echo 1 || echo 0)"

report write-behind
