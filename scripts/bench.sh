#!/usr/bin/env bash
# npm run bench: build, start the stack if needed, print the figures (tools/bench/*.bench.js).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_deps
build || fail "the build failed"
bash scripts/stack.sh up
load_stack_env
for b in tools/bench/*.bench.js; do
  step "benchmark $b"
  node "$b"
done
