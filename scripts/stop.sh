#!/usr/bin/env bash
# npm run stop: stops everything `npm start` started: the start.sh still in its terminal (if any),
# the four services and the worker (by their pid files in .stack/run), then the stack
# (scripts/stack.sh down, which stops only what this stack directory started).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stop_npm_start
exec bash "$ROOT/scripts/stack.sh" down
