#!/usr/bin/env bash
# Issue 14, load, against the real binary and a real SQLite file: 1,000 concurrent key creations give exactly 1,000
# keys and 1,000 audit entries; a 10,000-request sign-in brute force is throttled while another user signs in normally
# and the attacked user still signs in from another address. The work is in e2e/load.py (standard library only).
set -euo pipefail
cd "$(dirname "$0")/.."
export KEYSMITH_BIN=${KEYSMITH_BIN:-.build/debug/keysmith}
exec timeout 170 python3 e2e/load.py
