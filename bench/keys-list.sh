#!/usr/bin/env bash
# Measures the console key list with 10,000 keys in one project (issue 4's target: median ≤ 5 ms).
# Starts the release server on a fresh temporary database, seeds the keys with SQL in one transaction,
# signs in, and runs wrk against 127.0.0.1 in bounded runs (one connection: latency, not throughput).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=.build/release/keysmith
port=${BENCH_PORT:-18080}
duration=${BENCH_DURATION:-5s}
work=$(mktemp -d "${TMPDIR:-/tmp}/keysmith-bench.XXXX")
db="$work/bench.sqlite"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

email=bench@example.com
password="bench password $(date +%s)"
"$binary" migrate --db "$db" >/dev/null
printf '%s\n' "$password" | "$binary" user create --db "$db" --email "$email" --password-stdin >/dev/null
sqlite3 "$db" <<'SQL'
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO apiKey (id, projectId, workspaceId, creatorId, name, description, environment, ownerType, scopes, tokenType, status, secretHash, hint,
                    ipAllowlist, responseHeaders, meta, createdAt, updatedAt, activatedAt, lastUsedAt)
SELECT printf('ks_live_%016d', i), (SELECT id FROM project), (SELECT id FROM workspace), 1, printf('Service key %05d', i), printf('Bench key number %d for team %d', i, i % 40),
       CASE i % 3 WHEN 0 THEN 'sandbox' ELSE 'live' END, 'service', '["keys:read","orders:*"]', 'generated',
       CASE i % 10 WHEN 0 THEN 'disabled' ELSE 'active' END, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
       printf('ks_live_%04d…%04d', i % 10000, i), '[]', '[]', '{}',
       strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d seconds', i)), strftime('%Y-%m-%d %H:%M:%f', 'now'),
       strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d seconds', i)),
       CASE WHEN i % 2 = 0 THEN strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d minutes', i)) END
FROM n;
COMMIT;
SQL

KEYSMITH_PORT=$port "$binary" serve --db "$db" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

jar="$work/cookies"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p')
curl -s -b "$jar" -c "$jar" -o /dev/null "http://127.0.0.1:$port/login" \
  --data-urlencode "csrf_token=$token" --data-urlencode "email=$email" --data-urlencode "password=$password"
session=$(awk '$6 == "keysmith_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "bench: could not sign in"; exit 1; }

measure() {  # label path
  local out
  out=$(wrk -t1 -c1 -d"$duration" --latency -H "Cookie: keysmith_session=$session" "http://127.0.0.1:$port$2")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  printf '%-44s %10s %10s %10s\n' "$1" "$rps" "$p50" "$p99"
}

echo "Key list with 10,000 keys in one account (wrk, 1 connection, $duration each, 127.0.0.1)"
printf '%-44s %10s %10s %10s\n' "route" "req/s" "p50" "p99"
measure "GET /keys (first page)" "/keys"
measure "GET /keys?q=key 0424 (search)" "/keys?q=key%200424"
measure "GET /keys?q=team 7&status=active (search)" "/keys?q=team%207&status=active"
measure "GET /keys?sort=name&page=200" "/keys?sort=name&page=200"
measure "GET /keys?sort=last_used&environment=live" "/keys?sort=last_used&environment=live"
measure "GET /healthz (ceiling)" "/healthz"
