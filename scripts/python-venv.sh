#!/usr/bin/env bash
# A git-ignored Python virtualenv, reinstalled only when its requirements change; prints the
# venv's path on its last line. With no arguments, the test venv (moto's server, cfn-lint,
# pyarrow, polars, schemathesis); bench/venv.sh passes the peers' venv and requirements.
#   scripts/python-venv.sh [VENV_DIR REQUIREMENTS_FILE]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${1:-$ROOT/.tools/venv}"
REQ="${2:-$ROOT/scripts/requirements-test.txt}"
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" ]]; then
  python3 -m venv "$VENV"
fi
if [[ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]]; then
  echo "python-venv: installing $REQ into $VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ" >&2
  echo "$want" > "$STAMP"
fi
echo "$VENV"
