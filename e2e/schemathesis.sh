#!/usr/bin/env bash
# Fuzzes the JSON API from its own OpenAPI document with schemathesis: no 5xx, no response the document does not
# describe, schema-violating requests refused. Bounded in time; 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib/server.sh
start_server
sign_up

# An admin key with every scope, so key-guarded operations get past authentication.
export KEYSMITH_TOKEN
KEYSMITH_TOKEN=$(create_key_with_session '{"name": "schemathesis", "scopes": ["*"]}' | json_field token)

# Verification counts every use against limits; give the fuzzer's key none and the server cheap hashing (above).
.venv/bin/schemathesis --config-file e2e/schemathesis.toml run "$BASE/api/v1/openapi.json" --url "$BASE" \
  --checks all --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" --max-time "${SCHEMATHESIS_SECONDS:-150}" \
  --seed 1 --no-color --wait-for-schema 10
