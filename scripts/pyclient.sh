#!/usr/bin/env bash
# The Python client's checks, as CI runs them: its own venv (pinned in
# scripts/requirements-pyclient.txt), the wheel built and installed, mypy --strict, ruff, and
# pytest against real servers (embedded, and AWS on the emulators, which this script starts).
# The last line is "N passed, N failed" with pytest's counts; the exit status is pytest's.
#   bash scripts/pyclient.sh [pytest args...]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
fail() { echo "pyclient: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

VENV="$(bash scripts/python-venv.sh "$ROOT/.tools/pyclient-venv" scripts/requirements-pyclient.txt | tail -1)" \
  || fail "could not create the venv"
PY="$VENV/bin/python"
DIST="$ROOT/.tools/run/pyclient-dist"
rm -rf "$DIST" && mkdir -p "$DIST"
"$PY" -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w "$DIST" ./python \
  || fail "the wheel did not build"
WHEEL="$(ls "$DIST"/splitvault-*.whl)"
"$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEEL" \
  || fail "the wheel did not install"
# The extras resolve against the pinned versions already in the venv (nothing is downloaded).
"$PY" -m pip install --quiet --disable-pip-version-check "${WHEEL}[pandas,polars,datasets,torch,aws,progress]" \
  || fail "the wheel's extras did not install"

(cd python && "$VENV/bin/mypy" --strict) || fail "mypy --strict"
(cd python && "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check .) || fail "ruff"

REPORT="$ROOT/.tools/run/pytest-report.xml"
rm -f "$REPORT"
# From python/, importing the installed wheel: pytest puts only tests/ on sys.path, never src/.
bash scripts/with-emulators.sh bash -c \
  "cd python && '$VENV/bin/pytest' -q -p no:cacheprovider --junitxml='$REPORT' $*"
status=$?
if [[ -f "$REPORT" ]]; then
  "$PY" - "$REPORT" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
total = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(f"{total - bad - skipped} passed, {bad} failed")
PY
else
  echo "0 passed, 1 failed"
  exit 1
fi
# pytest's 5 (no test ran) is a failure here too: the suite must run.
exit $status
