#!/usr/bin/env bash
# npm start: install what is missing, start the stack, migrate and seed, start the four services
# and the worker, print every URL. Ctrl-C stops the services and the worker; the stack keeps
# running (`npm run stack -- down` stops it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

RUN="$STACK/run"; LOGS="$STACK/logs"
mkdir -p "$RUN" "$LOGS"
APPS=(intake dispatch evaluation supervision worker)

stop_apps() {
  local a pid
  for a in "${APPS[@]}"; do
    [ -f "$RUN/app-$a.pid" ] || continue
    pid="$(cat "$RUN/app-$a.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$RUN/app-$a.pid"
  done
}

ensure_deps
build || fail "the build failed"
step "starting the stack (Postgres, Kafka, Temporal)"
bash "$ROOT/scripts/stack.sh" up
load_stack_env
export JWT_SECRET="${JWT_SECRET:-local-development-secret-change-me}"

step "preparing Postgres and Temporal"
node libs/platform/dist/cli/migrate.js
node libs/platform/dist/cli/seed.js
node libs/platform/dist/cli/temporal-setup.js

step "starting the services and the worker"
stop_apps # from an earlier npm start that did not shut down
entry() {
  case "$1" in
    worker) echo "workflows/dist/worker/main.js" ;;
    *) echo "services/$1/dist/main.js" ;;
  esac
}
for a in "${APPS[@]}"; do
  setsid nohup node "$(entry "$a")" </dev/null >"$LOGS/$a.log" 2>&1 &
  echo $! >"$RUN/app-$a.pid"
  echo "    $a (pid $!, log $LOGS/$a.log)"
done
trap 'echo; step "stopping the services and the worker"; stop_apps; exit 0' INT TERM

port_of() { case "$1" in intake) echo "${INTAKE_PORT:-3001}" ;; dispatch) echo "${DISPATCH_PORT:-3002}" ;; evaluation) echo "${EVALUATION_PORT:-3003}" ;; supervision) echo "${SUPERVISION_PORT:-3004}" ;; esac; }
HOST="${HOST:-127.0.0.1}"
for a in intake dispatch evaluation supervision; do
  ok=""
  for _ in $(seq 1 120); do
    kill -0 "$(cat "$RUN/app-$a.pid")" 2>/dev/null || { tail -n 20 "$LOGS/$a.log" >&2; stop_apps; fail "$a exited while starting (log: $LOGS/$a.log)"; }
    if curl -fsS "http://$HOST:$(port_of "$a")/health" >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.5
  done
  [ -n "$ok" ] || { stop_apps; fail "$a did not become healthy (log: $LOGS/$a.log)"; }
  echo "    $a is healthy"
done
for _ in $(seq 1 60); do grep -q 'polling task queue' "$LOGS/worker.log" && break; sleep 0.5; done
grep -q 'polling task queue' "$LOGS/worker.log" || { tail -n 20 "$LOGS/worker.log" >&2; stop_apps; fail "the worker did not start (log: $LOGS/worker.log)"; }
echo "    worker is polling"

cat <<MSG

The 12345 appeal platform is running.

  Intake API        http://$HOST:$(port_of intake)/api/v1      OpenAPI  http://$HOST:$(port_of intake)/docs
  Dispatch API      http://$HOST:$(port_of dispatch)/api/v1      OpenAPI  http://$HOST:$(port_of dispatch)/docs
  Evaluation API    http://$HOST:$(port_of evaluation)/api/v1      OpenAPI  http://$HOST:$(port_of evaluation)/docs
  Supervision API   http://$HOST:$(port_of supervision)/api/v1      OpenAPI  http://$HOST:$(port_of supervision)/docs
  Temporal UI       ${TEMPORAL_UI_URL:-(external Temporal at $TEMPORAL_ADDRESS: use its own UI)}
  Temporal          $TEMPORAL_ADDRESS
  Kafka             $KAFKA_BROKERS
  Postgres          $DATABASE_URL

  Log in: POST http://$HOST:$(port_of intake)/api/v1/auth/login {"username":"operator","password":"hotline12345"}
  Demo users: operator, reviewer, supervisor, evaluator, admin, clerk.housing, clerk.transport,
              clerk.environment, clerk.market, clerk.gulou (all with password hotline12345)
  Logs: $LOGS

Ctrl-C stops the services and the worker; \`npm run stack -- down\` stops the stack.
MSG

# Stay in the foreground while the apps run.
while :; do
  for a in "${APPS[@]}"; do
    if ! kill -0 "$(cat "$RUN/app-$a.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
      echo "!!! $a stopped; see $LOGS/$a.log" >&2
      stop_apps
      exit 1
    fi
  done
  sleep 2 &
  wait $! || true
done
