#!/usr/bin/env bash
# Set up everything the tests need and run the whole suite (lint, unit, statistical
# validation, end-to-end and browser tests). Used as is by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"

# The browser test drives Debian's Chromium through Playwright (no browser download).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "note: /usr/bin/chromium is missing; the browser test will be skipped" \
         "(install it with: sudo apt-get install chromium)" >&2
  fi
fi

.venv/bin/ruff check .

set +e
.venv/bin/python -m pytest -n 2 --dist loadfile -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
