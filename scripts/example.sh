#!/usr/bin/env bash
# Set up (if needed) and code the bundled example article, printing its events as a table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/tidings code --example --format table
