#!/usr/bin/env bash
# Set up everything the tests need and run the whole suite (lint, unit, statistical
# validation, end-to-end and browser tests). Used as is by CI (.ci/run).
#
# Two test workers (the development and CI machines have 2 cores). Tests that share a costly
# module fixture stay on one worker and the longest go first (tests/conftest.py orders them
# from tests/durations.json), so both workers are busy to the end. Extra arguments go to
# pytest, e.g. `bash scripts/test.sh -m "not slow"`.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

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

report=$(mktemp -d)
trap 'rm -rf "$report"' EXIT
set +e
pytest_started=$SECONDS
.venv/bin/python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder -p no:cacheprovider \
  --durations=25 --junitxml="$report/junit.xml" "$@"
status=$?
pytest_seconds=$((SECONDS - pytest_started))
set -e
if [ "$status" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
echo "time: pytest ${pytest_seconds} s, whole script $((SECONDS - started)) s"
if [ -f "$report/junit.xml" ]; then
  .venv/bin/python - "$report/junit.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
count = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")}
passed = count["tests"] - count["failures"] - count["errors"] - count["skipped"]
line = f"tests: {passed} passed, {count['failures'] + count['errors']} failed"
print(line + (f", {count['skipped']} skipped" if count["skipped"] else ""))
PY
fi
exit "$status"
