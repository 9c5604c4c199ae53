#!/usr/bin/env bash
# The long reliability runs (npm run test:stress): 50 clients for 60 s on the embedded server
# and on versitygw + moto, then schemathesis with many examples. Everything binds 127.0.0.1.
# Tune with STRESS_CLIENTS, STRESS_SECONDS and STRESS_FUZZ_EXAMPLES.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/python-venv.sh >/dev/null
exec bash scripts/with-emulators.sh npx tsx test/stress/main.ts
