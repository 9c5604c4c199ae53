#!/usr/bin/env bash
# Runs a command with the emulators up and their endpoints in the environment, and always
# tears them down afterwards so no process is left behind.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trap 'bash "$ROOT/scripts/emulators.sh" down' EXIT
eval "$(bash "$ROOT/scripts/emulators.sh" up)"
"$@"
