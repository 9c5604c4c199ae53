#!/usr/bin/env bash
# Local, real AWS-compatible services for tests: versitygw (S3, posix backend with
# versioning so Object Lock works) and moto's server (DynamoDB, and EventBridge and SQS on the
# same port, which moto's one server serves). Both bind 127.0.0.1.
#   scripts/emulators.sh install   install both into .tools/ (idempotent, cached)
#   scripts/emulators.sh up        start both on free ports, wait until they answer
#   scripts/emulators.sh env       print the export lines for a running pair
#   scripts/emulators.sh down      stop both and remove their data
set -euo pipefail

VERSITYGW_VERSION="v1.8.0"
MOTO_VERSION="5.2.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
# EMU_STATE lets several harnesses run side by side (each test run gets its own pair).
STATE="${EMU_STATE:-$TOOLS/run/emulators.env}"
VGW="$TOOLS/bin/versitygw"
VENV="$TOOLS/venv"
ACCESS_KEY="splitvault-test"
SECRET_KEY="splitvault-test-secret"

log() { echo "emulators: $*" >&2; }

install_tools() {
  mkdir -p "$TOOLS/bin" "$TOOLS/run"
  if [[ ! -x "$VGW" ]] || [[ "$(cat "$TOOLS/bin/.versitygw-version" 2>/dev/null)" != "$VERSITYGW_VERSION" ]]; then
    log "installing versitygw $VERSITYGW_VERSION"
    GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
    echo "$VERSITYGW_VERSION" > "$TOOLS/bin/.versitygw-version"
  fi
  bash "$ROOT/scripts/python-venv.sh" >/dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {
  local url="$1" name="$2"
  for _ in $(seq 1 200); do
    if curl -s -o /dev/null "$url"; then return 0; fi
    sleep 0.1
  done
  log "$name did not answer at $url"; return 1
}

up() {
  install_tools
  if [[ -f "$STATE" ]]; then down; fi
  mkdir -p "$(dirname "$STATE")"
  local data s3_port ddb_port
  data="$(mktemp -d -t splitvault-emu.XXXXXX)"
  mkdir -p "$data/s3" "$data/versions"
  s3_port="$(free_port)"
  ddb_port="$(free_port)"
  "$VGW" --access "$ACCESS_KEY" --secret "$SECRET_KEY" --port "127.0.0.1:$s3_port" --quiet \
    posix --versioning-dir "$data/versions" "$data/s3" >"$data/versitygw.log" 2>&1 &
  local s3_pid=$!
  # Serialized: moto's transactions are not isolated under concurrent requests (see the script).
  "$VENV/bin/python" "$ROOT/scripts/moto-serialized.py" 127.0.0.1 "$ddb_port" >"$data/moto.log" 2>&1 &
  local ddb_pid=$!
  cat >"$STATE" <<STATE_EOF
EMU_DATA=$data
EMU_S3_PID=$s3_pid
EMU_DDB_PID=$ddb_pid
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$s3_port
export AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:$ddb_port
export AWS_ENDPOINT_URL_EVENTBRIDGE=http://127.0.0.1:$ddb_port
export AWS_ENDPOINT_URL_SQS=http://127.0.0.1:$ddb_port
export AWS_ACCESS_KEY_ID=$ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$SECRET_KEY
export AWS_REGION=us-east-1
STATE_EOF
  wait_for "http://127.0.0.1:$s3_port/" versitygw
  wait_for "http://127.0.0.1:$ddb_port/moto-api/" moto
  log "S3 (versitygw) http://127.0.0.1:$s3_port, DynamoDB (moto) http://127.0.0.1:$ddb_port"
}

env_lines() {
  [[ -f "$STATE" ]] || { log "not running"; exit 1; }
  grep '^export' "$STATE"
}

down() {
  [[ -f "$STATE" ]] || return 0
  # shellcheck disable=SC1090
  source "$STATE"
  for pid in "$EMU_S3_PID" "$EMU_DDB_PID"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "$EMU_S3_PID" "$EMU_DDB_PID"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$EMU_DATA" "$STATE"
  log "stopped"
}

case "${1:-}" in
  install) install_tools ;;
  up) up; env_lines ;;
  env) env_lines ;;
  down) down ;;
  *) echo "usage: $0 install|up|env|down" >&2; exit 2 ;;
esac
