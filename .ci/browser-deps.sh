#!/usr/bin/env bash
# What the browser test (tests/test_browser.py, marker `browser`) needs on a clean Debian machine:
# Debian's Chromium (Playwright drives it by path; `playwright install` would download a browser,
# which CI cannot do) and the Python `playwright` package (from the `test` extra).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
fi
PY="${PY:-python3}"
"$PY" -c "import playwright" 2>/dev/null || "$PY" -m pip install -q "playwright>=1.45"
/usr/bin/chromium --version
