#!/usr/bin/env bash
# Lints synthesized CloudFormation templates with the pinned cfn-lint from .tools/venv.
# Usage: bash scripts/cfn-lint.sh [template.json ...]   (default: cdk.out/*.template.json)
# W3005 (a DependsOn already implied by a GetAtt) is ignored: CDK adds the role to a
# function's DependsOn next to its GetAtt on purpose, and the duplicate changes nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$(bash "$ROOT/scripts/python-venv.sh")"
if [[ $# -eq 0 ]]; then
  set -- "$ROOT"/cdk.out/*.template.json
fi
exec "$VENV/bin/cfn-lint" --ignore-checks W3005 -- "$@"
