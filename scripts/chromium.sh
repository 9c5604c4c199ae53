#!/usr/bin/env bash
# Prints the path of Debian's Chromium, installing it first if it is missing. The console's
# browser tests (test/ui) drive it through playwright-core, which downloads no browser of its
# own. Idempotent: once installed, apt is not touched again.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
fi
command -v chromium
