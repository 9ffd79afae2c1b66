#!/usr/bin/env bash
# Real-browser end-to-end tests (headless Chromium + Selenium) against a Keysmith server on a temporary database.
# Needs: chromium, chromium-driver, .venv with e2e/requirements.txt, and a built binary (KEYSMITH_BIN, default
# .build/debug/keysmith). Screenshots land in e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest e2e -q "$@"
