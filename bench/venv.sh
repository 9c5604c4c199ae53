#!/usr/bin/env bash
# The git-ignored virtualenv holding the peer libraries (bench/requirements.txt); prints the
# venv's python on its last line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$(bash "$ROOT/scripts/python-venv.sh" "$ROOT/.tools/bench-venv" "$ROOT/bench/requirements.txt" | tail -n 1)"
echo "$VENV/bin/python"
