#!/usr/bin/env bash
# Runs a command with the emulators up and their endpoints in the environment, and always
# tears them down afterwards so no process is left behind. Each run has its own pair.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$ROOT/.tools/run"
EMU_STATE="$(mktemp "$ROOT/.tools/run/emulators.XXXXXX.env")"
rm -f "$EMU_STATE"
export EMU_STATE
trap 'bash "$ROOT/scripts/emulators.sh" down' EXIT
eval "$(bash "$ROOT/scripts/emulators.sh" up)"
"$@"
