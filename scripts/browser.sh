#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/test_web_browser.py), if it is missing, and print
# where it is. Idempotent. Playwright drives this binary (its own browser download is not used).
set -euo pipefail
find_chromium() { command -v chromium || command -v chromium-browser || true; }
if [ -z "$(find_chromium)" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "browser.sh: chromium is missing; run this as root to apt-get install it" >&2; exit 1; fi
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
path="$(find_chromium)"
[ -n "$path" ] || { echo "browser.sh: chromium did not install" >&2; exit 1; }
echo "$path"
