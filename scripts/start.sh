#!/usr/bin/env bash
# npm start: install what is missing, start the stack, migrate and seed, start the four services
# and the worker, print every URL. However this script ends (Ctrl-C, INT/TERM/HUP to it or to npm,
# a closed terminal, an error, npm killed outright) it stops the services and the worker; a
# watchdog stops them if this script itself is killed outright (SIGKILL). The stack keeps running:
# `npm run stop` (or `npm run stack -- down`) stops everything.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
export HOTLINE_STACK_DIR="$STACK" # the same stack for stack.sh and the watchdog

RUN="$STACK/run"; LOGS="$STACK/logs"
mkdir -p "$RUN" "$LOGS"

if pid="$(owned_pid start start.sh)"; then
  fail "npm start is already running on $STACK (pid $pid); \`npm run stop\` stops it"
fi
record_pid start $$

# One shutdown, whatever ends the script: signals are ignored from its first line on (npm forwards
# the Ctrl-C the terminal has already sent), and errexit is off (after a closed terminal even an
# echo fails).
shutdown() {
  local rc=$? pid
  trap '' INT TERM HUP
  trap - EXIT
  set +e
  prefetch_stop
  stop_apps
  if pid="$(owned_pid watchdog hotline-watchdog)"; then end_groups "$pid"; fi
  rm -f "$RUN/watchdog.pid" "$RUN/watchdog.start" "$RUN/start.pid" "$RUN/start.start"
  exit "$rc"
}
on_signal() {
  trap '' INT TERM HUP
  echo
  exit 0
}
trap shutdown EXIT
trap on_signal INT TERM HUP

# Run by npm (package.json execs this script, so npm is the parent and forwards INT and TERM).
# When npm goes without forwarding (SIGKILL, a HUP to npm alone), this script is orphaned and ends.
PARENT=""
if [ -n "${npm_lifecycle_event:-}" ]; then PARENT="$PPID"; fi
orphaned() { [ -n "$PARENT" ] && [ "$(ps -o ppid= -p $$ 2>/dev/null | tr -d ' ')" != "$PARENT" ]; }

# Personal-data keys (README, "Personal data"): random, made once into the git-ignored stack directory.
if [ -z "${HOTLINE_PII_KEYS:-}" ]; then
  [ -s "$STACK/pii-keys" ] || (umask 077 && echo "dev1:$(head -c 32 /dev/urandom | base64 | tr -d '\n')" >"$STACK/pii-keys")
  HOTLINE_PII_KEYS="$(cat "$STACK/pii-keys")" && export HOTLINE_PII_KEYS
fi
if [ -z "${HOTLINE_PII_INDEX_KEY:-}" ]; then
  [ -s "$STACK/pii-index-key" ] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$STACK/pii-index-key")
  HOTLINE_PII_INDEX_KEY="$(cat "$STACK/pii-index-key")" && export HOTLINE_PII_INDEX_KEY
fi

prefetch_start
ensure_deps
build || fail "the build failed"
prefetch_wait
step "starting the stack (Postgres, Kafka, Temporal)"
bash "$ROOT/scripts/stack.sh" up
load_stack_env
# Development: the demo users are seeded, and a development secret would be accepted. The secret
# itself is random, made once and kept in the git-ignored stack directory (mode 600), so no secret
# written in the repository ever signs a token.
export HOTLINE_ENV=development
if [ -z "${JWT_SECRET:-}" ]; then
  if [ ! -s "$STACK/jwt-secret" ]; then
    (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' >"$STACK/jwt-secret")
  fi
  chmod 600 "$STACK/jwt-secret"
  JWT_SECRET="$(cat "$STACK/jwt-secret")"
  export JWT_SECRET
fi

step "preparing Postgres and Temporal"
node libs/platform/dist/cli/migrate.js
node libs/platform/dist/cli/seed.js
node libs/platform/dist/cli/temporal-setup.js

step "starting the services and the worker"
stop_apps # from an earlier npm start that did not shut down
# The watchdog, in a session of its own: when this script is gone without its traps having run
# (SIGKILL), it stops the apps within a second.
setsid nohup bash -c 'source "$1"; watchdog "$2"' hotline-watchdog "$ROOT/scripts/lib.sh" $$ \
  </dev/null >>"$LOGS/watchdog.log" 2>&1 &
record_pid watchdog $!
for a in "${APPS[@]}"; do
  setsid nohup node "$(app_entry "$a")" </dev/null >"$LOGS/$a.log" 2>&1 &
  record_pid "app-$a" $!
  echo "    $a (pid $!, log $LOGS/$a.log)"
done

port_of() { case "$1" in intake) echo "${INTAKE_PORT:-3001}" ;; dispatch) echo "${DISPATCH_PORT:-3002}" ;; evaluation) echo "${EVALUATION_PORT:-3003}" ;; supervision) echo "${SUPERVISION_PORT:-3004}" ;; esac; }
HOST="${HOST:-127.0.0.1}"
for a in intake dispatch evaluation supervision; do
  ok=""
  for _ in $(seq 1 120); do
    kill -0 "$(cat "$RUN/app-$a.pid")" 2>/dev/null || { tail -n 20 "$LOGS/$a.log" >&2; fail "$a exited while starting (log: $LOGS/$a.log)"; }
    if curl -fsS "http://$HOST:$(port_of "$a")/health" >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.5
  done
  [ -n "$ok" ] || fail "$a did not become healthy (log: $LOGS/$a.log)"
  echo "    $a is healthy"
done
for _ in $(seq 1 60); do grep -q 'polling task queue' "$LOGS/worker.log" && break; sleep 0.5; done
grep -q 'polling task queue' "$LOGS/worker.log" || { tail -n 20 "$LOGS/worker.log" >&2; fail "the worker did not start (log: $LOGS/worker.log)"; }
echo "    worker is polling"

cat <<MSG

The 12345 appeal platform is running.

  (each API's routes are under its base /api/v1; its OpenAPI page lists them)
  Intake API        http://$HOST:$(port_of intake)/api/v1      OpenAPI  http://$HOST:$(port_of intake)/docs
  Dispatch API      http://$HOST:$(port_of dispatch)/api/v1      OpenAPI  http://$HOST:$(port_of dispatch)/docs
  Evaluation API    http://$HOST:$(port_of evaluation)/api/v1      OpenAPI  http://$HOST:$(port_of evaluation)/docs
  Supervision API   http://$HOST:$(port_of supervision)/api/v1      OpenAPI  http://$HOST:$(port_of supervision)/docs
  Temporal UI       ${TEMPORAL_UI_URL:-(external Temporal at $TEMPORAL_ADDRESS: use its own UI)}
  Temporal          $TEMPORAL_ADDRESS
  Kafka             $KAFKA_BROKERS
  Postgres          $DATABASE_URL

  Log in: POST http://$HOST:$(port_of intake)/api/v1/auth/login {"username":"operator","password":"hotline12345"}
  Demo users: operator, reviewer, supervisor, evaluator (… evaluator12: the expert pool), admin, auditor,
              forum, clerk.housing, clerk.transport, clerk.environment, clerk.market, clerk.discipline,
              clerk.gulou (鼓楼区, a hub) with its streets clerk.hunan, clerk.ninghai and the community
              clerk.matai (under 湖南路街道), the leaders leader.gulou and leader.hunan
              (all with password hotline12345)
  Logs: $LOGS

Ctrl-C stops the services and the worker; \`npm run stop\` stops them and the stack.
MSG

# Stay in the foreground while the apps run; the EXIT trap stops them.
while :; do
  for a in "${APPS[@]}"; do
    if ! kill -0 "$(cat "$RUN/app-$a.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
      fail "$a stopped; see $LOGS/$a.log"
    fi
  done
  if orphaned; then fail "npm is gone; stopping"; fi
  sleep 2 &
  wait $! || true
done
