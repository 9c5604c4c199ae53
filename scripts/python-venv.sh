#!/usr/bin/env bash
# The git-ignored Python virtualenv used by tests: moto's server, cfn-lint, pyarrow and
# polars. Reinstalls only when requirements change.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.tools/venv"
REQ="$ROOT/scripts/requirements-test.txt"
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" ]]; then
  python3 -m venv "$VENV"
fi
if [[ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]]; then
  echo "python-venv: installing test requirements" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
  echo "$want" > "$STAMP"
fi
echo "$VENV"
