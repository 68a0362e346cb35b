#!/usr/bin/env bash
# npm run bench: build, start the stack if needed, print the figures (tools/bench/*.bench.js).
#   npm run bench                 every benchmark: ledger (write path), lifecycle (whole course)
#   npm run bench -- lifecycle    only those whose file name contains one of the words
# Settings (environment): BENCH_TICKETS, BENCH_CONCURRENCY (16), BENCH_OPEN (0; lifecycle's open
# tickets phase, the target is 100000). Reports: reports/bench/ (git-ignored).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_deps
build || fail "the build failed"
bash scripts/stack.sh up
load_stack_env || true # (returns non-zero when the environment already sets the last address)
ran=0
for b in tools/bench/*.bench.js; do
  if [ "$#" -gt 0 ]; then
    want=""
    for w in "$@"; do case "$(basename "$b")" in *"$w"*) want=1 ;; esac; done
    [ -n "$want" ] || continue
  fi
  step "benchmark $b"
  node "$b"
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || fail "no benchmark matches: $* (tools/bench/*.bench.js)"
