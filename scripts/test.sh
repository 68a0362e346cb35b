#!/usr/bin/env bash
# npm test: install what is missing, build (type-check), start what the tests need, run every
# test (lint and format, unit, integration and end to end) and end with one line of our own:
# "N passed, N failed", from jest's results. Exits non-zero on any failure.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

summary() { echo "$1 passed, $2 failed"; }

# The stack's missing parts download and build while npm installs and builds; a run that ends
# early ends them too.
trap prefetch_stop EXIT
prefetch_start test-server
ensure_deps
if ! build; then
  echo "!!! the TypeScript build failed (see above)" >&2
  summary 0 1
  exit 1
fi

prefetch_wait
step "starting the stack for the tests"
# Components that were already running stay running; what this run starts, it stops.
already="$(bash scripts/stack.sh status 2>/dev/null | grep -c running || true)"
if ! bash scripts/stack.sh up; then
  echo "!!! the stack did not start (see above)" >&2
  summary 0 1
  exit 1
fi
if ! bash scripts/stack.sh test-server; then
  echo "!!! the time-skipping test server could not be installed (see above)" >&2
  summary 0 1
  exit 1
fi
# The HTML report's check in a real browser needs Chromium: Debian's, installed once when missing.
# Without it (no apt, no network) only that check fails, not the whole run.
if CHROMIUM_PATH="$(bash scripts/ensure-chromium.sh)"; then
  export CHROMIUM_PATH
else
  echo "!!! Chromium could not be installed: the report's browser check will fail (see above)" >&2
fi
export REQUIRE_CHROMIUM=1
load_stack_env
started_here=0
[ "$already" = 0 ] && [ "${HOTLINE_KEEP_STACK:-0}" != 1 ] && started_here=1

step "running jest (lint, unit, integration, end to end)"
mkdir -p reports
rm -f reports/jest.json
npx --no-install jest --runInBand --ci --json --outputFile=reports/jest.json "$@"
jest_rc=$?

if [ "$started_here" = 1 ]; then
  step "stopping the stack this run started"
  bash scripts/stack.sh down
fi

if [ -f reports/jest.json ]; then
  line="$(node -e '
    const r = require("./reports/jest.json");
    const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
    console.log(`${r.numPassedTests} passed, ${failed} failed`);
  ')"
else
  line="$(summary 0 1)"
fi
echo
echo "$line"
[ "$jest_rc" = 0 ] || exit 1
case "$line" in *" 0 failed") exit 0 ;; *) exit 1 ;; esac
