#!/usr/bin/env bash
# Fuzzes the JSON API from its own OpenAPI document with schemathesis: no 5xx, no response the document does not
# describe, schema-violating requests refused. Bounded in time; 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib/server.sh
start_server
sign_up

# The management API takes admin keys (DESIGN §11): one with every permission and every project of the personal
# workspace, so the guarded operations get past authentication; they work in its Default project ($PROJECT), and
# /workspaces/{id} names that workspace.
export KEYSMITH_ADMIN_TOKEN KEYSMITH_PROJECT KEYSMITH_WORKSPACE KEYSMITH_TOKEN KEYSMITH_GATE_PROJECT
KEYSMITH_ADMIN_TOKEN=$(create_admin_key_with_session '{"name": "schemathesis", "permissions": ["keys:read",
  "keys:write", "projects:read", "projects:write", "members:read", "audit:read"]}' | json_field token)
KEYSMITH_PROJECT=$PROJECT
KEYSMITH_WORKSPACE=$(curl -sf -b "$E2E_WORK/jar" "$BASE/api/v1/workspaces" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')

# The gates take project keys: one with scope "*", made in a second workspace that the admin key cannot reach, so
# the fuzzer's key and project changes never disable, rotate or delete it (or its project) mid-run.
session() { curl -sf -b "$E2E_WORK/jar" -H "X-CSRF-Token: $CSRF" -H "Content-Type: application/json" "$@"; }
gates=$(session -d '{"name": "schemathesis gates"}' "$BASE/api/v1/workspaces" | json_field id)
KEYSMITH_GATE_PROJECT=$(session -H "x-workspace-id: $gates" "$BASE/api/v1/projects" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')
KEYSMITH_TOKEN=$(session -H "x-workspace-id: $gates" -d '{"name": "schemathesis", "scopes": ["*"]}' \
  "$BASE/api/v1/keys" | json_field token)

# Verification counts every use against limits; give the fuzzer's key none and the server cheap hashing (above).
.venv/bin/schemathesis --config-file e2e/schemathesis.toml run "$BASE/api/v1/openapi.json" --url "$BASE" \
  --checks all --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" --max-time "${SCHEMATHESIS_SECONDS:-150}" \
  --seed 1 --no-color --wait-for-schema 10
