#!/usr/bin/env bash
# Builds the database Tests/KeysmithServerTests/Workspaces/WorkspacesMigrationTests.swift migrates: run with the
# keysmith binary of bb1026a (the commit before workspaces), whose API it speaks; kept to show how it was made.
set -euo pipefail
cd /work/main
source e2e/lib/server.sh
start_server
OUT=/tmp/fx/out; rm -rf $OUT; mkdir -p $OUT
signup_as() { # email password jar
  local jar=$3 page token
  page=$(curl -sf -c "$jar" -b "$jar" "$BASE/signup")
  token=$(sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' <<<"$page")
  curl -sf -c "$jar" -b "$jar" -o /dev/null "$BASE/signup" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$1" --data-urlencode "password=$2"
  curl -sf -c "$jar" -b "$jar" "$BASE/keys" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p'
}
ANN=$E2E_WORK/ann; BOB=$E2E_WORK/bob
CA=$(signup_as ann@example.com "ann password 123" $ANN)
CB=$(signup_as bob@example.com "bob password 123" $BOB)
api() { local jar=$1 csrf=$2 method=$3 path=$4 body=${5:-}; curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H "Content-Type: application/json" -X "$method" ${body:+-d "$body"} "$BASE/api/v1$path"; }
api $ANN $CA POST /keys '{"name":"orders client","scopes":["orders:read"],"quota":{"remaining":50,"refill":null},"responseHeaders":[{"name":"X-Customer","value":"${key.name}","exclude":false}]}' > $OUT/ann-orders.json
api $ANN $CA POST /keys '{"name":"deploy bot","scopes":["keys:read","keys:write"],"ipAllowlist":["127.0.0.1/32"],"ttl":"1y"}' > $OUT/ann-admin.json
api $ANN $CA POST /keys '{"name":"reader","scopes":["keys:read"]}' > $OUT/ann-reader.json
api $ANN $CA POST /keys '{"name":"wildcard","scopes":["*"]}' > $OUT/ann-wildcard.json
api $ANN $CA POST /keys '{"name":"rotated","scopes":["orders:write"],"environment":"sandbox"}' > $OUT/ann-rotated.json
ROT=$(json_field id < $OUT/ann-rotated.json)
api $ANN $CA POST /keys/$ROT/rotate '{"grace":"7d"}' > $OUT/ann-rotated-2.json
api $ANN $CA POST /keys '{"name":"waiting","activate":false}' > $OUT/ann-pending.json
api $ANN $CA POST /keys '{"name":"switched off"}' > $OUT/ann-disabled.json
api $ANN $CA POST /keys/$(json_field id < $OUT/ann-disabled.json)/disable > /dev/null
api $ANN $CA POST /keys '{"name":"custom","tokenType":"custom","secret":"my-own-custom-secret-0123456789"}' > $OUT/ann-custom.json
# verify once, so usage exists
curl -sf -H "Authorization: Bearer $(json_field token < $OUT/ann-orders.json)" $BASE/api/v1/whoami >/dev/null
# bob: a different prefix first
page=$(curl -sf -b $BOB -c $BOB $BASE/account)
curl -sf -b $BOB -c $BOB -o /dev/null $BASE/account/prefix --data-urlencode "csrf_token=$CB" --data-urlencode "key_prefix=bob" || echo "prefix form failed"
api $BOB $CB POST /keys '{"name":"orders client","scopes":["orders:read"]}' > $OUT/bob-orders.json
sleep 1.5
kill $E2E_SERVER_PID; wait $E2E_SERVER_PID || true; E2E_SERVER_PID=
sqlite3 $E2E_WORK/keysmith.sqlite "VACUUM INTO '$OUT/keysmith.sqlite'"
ls -la $OUT
