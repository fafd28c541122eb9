#!/usr/bin/env bash
# Set up tidings in ./.venv (idempotent): Python 3.11 venv, the package with its spaCy pipeline, test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'
bash scripts/browser.sh || echo "no chromium: browser tests will be skipped"
