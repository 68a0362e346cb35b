#!/usr/bin/env bash
# The local stack: Postgres, Kafka (KRaft) and the Temporal dev server with its Web UI.
# Installs what is missing on first use, caches everything under .stack/ (git-ignored), and
# starts only what the environment does not already provide:
#   DATABASE_URL set   -> no local Postgres
#   KAFKA_BROKERS set  -> no local Kafka
#   TEMPORAL_ADDRESS set -> no local Temporal
# `down` also stops the services and the worker of an `npm start` on this stack (scripts/stop.sh).
# Usage: scripts/stack.sh up|down|status|env|test-server|prune|missing [test-server]|prefetch [test-server]
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # ROOT, STACK, and what stops `npm start`
LOGS="$STACK/logs"
RUN="$STACK/run"
mkdir -p "$LOGS" "$RUN" "$STACK/bin"

PG_PORT="${HOTLINE_PG_PORT:-5432}"
KAFKA_PORT="${HOTLINE_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${HOTLINE_KAFKA_CONTROLLER_PORT:-9093}"
TEMPORAL_PORT="${HOTLINE_TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${HOTLINE_TEMPORAL_UI_PORT:-8233}"
TEMPORAL_CLI_VERSION="v1.5.1"
PG_DB="hotline"

say() { printf '==> [stack] %s\n' "$*"; }
die() { printf '!!! [stack] %s\n' "$*" >&2; exit 1; }

# progress LABEL LOG CMD...: runs CMD with its output in LOG, printing every 15 s how long it has
# been going and its latest line, so a first install that takes minutes is never silent.
progress() {
  local label="$1" log="$2"; shift 2
  "$@" >>"$log" 2>&1 &
  watch_progress $! "$label" "$log"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  is_root || die "$* is missing and only root can apt-get install it; install it, or set the address of an existing server"
  say "installing Debian packages: $* (first run only)"
  if [ ! -f "$STACK/.apt-updated" ]; then apt-get update -qq && touch "$STACK/.apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive progress apt "$LOGS/apt.log" apt-get install -y -qq "$@" \
    || die "apt-get install $* failed: see $LOGS/apt.log"
}

# ---------------------------------------------------------------------------------- Postgres
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
# From / so that a working directory the postgres user cannot enter never matters.
as_pg() { if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# Where the cluster lives: PG_HOME holds data/, run/ (the socket) and postgres.log, which the
# postgres user must reach. Normally that is $STACK/pg. A clone under a directory it cannot
# traverse (a home of mode 700, a `mktemp -d` folder) gets its cluster in
# $PG_OUTSIDE/<hash of the stack path> instead, and $STACK/pg/location names it, so status, down
# and later runs find it. .stack/logs/postgres.log links to the log wherever it is.
PG_OUTSIDE="/var/lib/postgresql/hotline"
pg_locate() {
  PG_HOME="$STACK/pg"
  if [ -f "$STACK/pg/location" ]; then PG_HOME="$(cat "$STACK/pg/location")"; fi
  PG_DATA="$PG_HOME/data"
  PG_SOCK="$PG_HOME/run"
  PG_LOG="$PG_HOME/postgres.log"
}

# pg_place: for a cluster not initialised yet, moves PG_HOME out of $STACK when the postgres
# user cannot write $STACK/pg.
pg_place() {
  mkdir -p "$STACK/pg"
  is_root || return 0
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  chown postgres "$STACK/pg"
  as_pg test -w "$STACK/pg" -a -x "$STACK/pg" && return 0
  local d
  for d in "$(dirname "$PG_OUTSIDE")" "$PG_OUTSIDE"; do [ -d "$d" ] || install -d -o postgres -m 0755 "$d"; done
  PG_HOME="$PG_OUTSIDE/$(printf '%s' "$STACK" | sha256sum | cut -c1-12)"
  say "postgres: the postgres user cannot reach $STACK/pg; the cluster lives in $PG_HOME"
  install -d -o postgres -m 0700 "$PG_HOME"
  echo "$PG_HOME" >"$STACK/pg/location"
  echo "$STACK" >"$PG_HOME/owner"
  pg_locate
}

# prune: removes the clusters outside a clone (see pg_place) whose clone's stack is gone and whose
# server is not running. Not done by itself: a clone that was moved still uses its cluster.
pg_prune() {
  local d owner pid removed=0
  for d in "$PG_OUTSIDE"/*/; do
    d="${d%/}"
    [ -f "$d/owner" ] || continue
    owner="$(cat "$d/owner")"
    { [ -n "$owner" ] && [ ! -e "$owner" ]; } || continue
    pid="$(head -n 1 "$d/data/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then continue; fi
    rm -rf -- "$d"
    removed=$((removed + 1))
    say "postgres: removed $d (its clone's stack $owner is gone)"
  done
  say "postgres: $removed cluster(s) of clones that are gone removed"
}

pg_up() {
  if [ -n "${DATABASE_URL:-}" ]; then say "postgres: using DATABASE_URL, starting nothing"; return; fi
  local bin
  bin="$(pg_bin)"
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || { apt_install postgresql; bin="$(pg_bin)"; }
  [ -x "$bin/initdb" ] || die "postgres: no initdb after installing postgresql"
  if is_root && ! id postgres >/dev/null 2>&1; then useradd --system --home-dir /var/lib/postgresql postgres; fi
  pg_locate
  pg_place
  mkdir -p "$PG_HOME" "$PG_SOCK"
  if is_root; then chown postgres "$PG_HOME" "$PG_SOCK"; fi
  as_pg test -w "$PG_HOME" -a -x "$PG_HOME" \
    || die "postgres: the postgres user cannot reach $PG_HOME (a parent directory shuts it out); make it traversable, or move .stack/pg away to start a new cluster"
  if as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    say "postgres: already running on 127.0.0.1:$PG_PORT"
  else
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      say "postgres: initialising a cluster in $PG_DATA (first run)"
      as_pg "$bin/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$LOGS/postgres-initdb.log" 2>&1 \
        || die "postgres: initdb failed, see $LOGS/postgres-initdb.log"
    fi
    port_open "$PG_PORT" && die "postgres: port $PG_PORT is taken by another process; set HOTLINE_PG_PORT or DATABASE_URL"
    say "postgres: starting on 127.0.0.1:$PG_PORT"
    touch "$PG_LOG"; is_root && chown postgres "$PG_LOG"
    if [ "$LOGS/postgres.log" != "$PG_LOG" ]; then ln -sfn "$PG_LOG" "$LOGS/postgres.log"; fi
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
      -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${HOTLINE_PG_FSYNC:-on}" \
      start >/dev/null || die "postgres: did not start, see $PG_LOG"
  fi
  # Readiness is a real query, not a sleep.
  local i
  for i in $(seq 1 60); do
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1 && break
    sleep 0.5
  done
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null || die "postgres: not answering queries"
  if [ "$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc "select 1 from pg_database where datname='$PG_DB'")" != 1 ]; then
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "create database $PG_DB" >/dev/null
  fi
  echo "postgres" >>"$RUN/started"
  say "postgres: ready"
}

pg_down() {
  local bin; bin="$(pg_bin)"
  pg_locate
  [ -n "$bin" ] && [ -f "$PG_DATA/PG_VERSION" ] || return 0
  if as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    say "postgres: stopping"
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  fi
}

# ------------------------------------------------------------------------------- Java parts
# maven_libs NAME POM DIR: the jars a pom in deploy/ names, from Maven Central, into DIR (once).
maven_libs() {
  local name="$1" pom="$2" dir="$3"
  [ -f "$dir/.complete" ] && return
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  say "$name: fetching jars from Maven Central (first run, about a minute)"
  rm -rf "$dir"; mkdir -p "$dir"
  : >"$LOGS/$name-install.log"
  progress "$name" "$LOGS/$name-install.log" mvn -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$dir" \
    -DincludeScope=runtime || die "$name: fetching jars failed, see $LOGS/$name-install.log"
  touch "$dir/.complete"
  say "$name: $(ls "$dir" | wc -l) jars in $dir"
}

# ------------------------------------------------------------------------------------- Kafka
KAFKA_DIR="$STACK/kafka"

kafka_install() { maven_libs kafka "$ROOT/deploy/kafka/pom.xml" "$KAFKA_DIR/libs"; }

kafka_up() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then say "kafka: using KAFKA_BROKERS, starting nothing"; return; fi
  if pid_alive kafka; then say "kafka: already running on 127.0.0.1:$KAFKA_PORT"; echo kafka >>"$RUN/started"; return; fi
  kafka_install
  port_open "$KAFKA_PORT" && die "kafka: port $KAFKA_PORT is taken by another process; set HOTLINE_KAFKA_PORT or KAFKA_BROKERS"
  port_open "$KAFKA_CONTROLLER_PORT" && die "kafka: controller port $KAFKA_CONTROLLER_PORT is taken; set HOTLINE_KAFKA_CONTROLLER_PORT"
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=168
EOF
  cat >"$KAFKA_DIR/log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka.server.KafkaRaftServer
logger.kafka.level = INFO
EOF
  local cp="$KAFKA_DIR/libs/*"
  local jopts=(-Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true "-Dlog4j2.configurationFile=$KAFKA_DIR/log4j2.properties")
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    say "kafka: formatting KRaft storage (first run)"
    local cluster_id
    cluster_id="$(java -cp "$cp" "${jopts[@]}" kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka-format.log" | tail -n 1)"
    java -cp "$cp" "${jopts[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" \
      -c "$KAFKA_DIR/server.properties" >>"$LOGS/kafka-format.log" 2>&1 || die "kafka: format failed, see $LOGS/kafka-format.log"
  fi
  say "kafka: starting on 127.0.0.1:$KAFKA_PORT"
  setsid nohup java -cp "$cp" "${jopts[@]}" kafka.Kafka "$KAFKA_DIR/server.properties" \
    </dev/null >"$LOGS/kafka.log" 2>&1 &
  echo $! >"$RUN/kafka.pid"
  echo kafka >>"$RUN/started"
  local i
  for i in $(seq 1 120); do
    pid_alive kafka || die "kafka: exited while starting, see $LOGS/kafka.log"
    port_open "$KAFKA_PORT" && break
    sleep 0.5
  done
  # Readiness: a real metadata request through the client the services use.
  if [ -d "$ROOT/node_modules/kafkajs" ]; then
    node "$ROOT/scripts/wait-for-kafka.js" "127.0.0.1:$KAFKA_PORT" || die "kafka: broker not answering metadata requests, see $LOGS/kafka.log"
  fi
  say "kafka: ready"
}

kafka_down() {
  if pid_alive kafka; then
    say "kafka: stopping"
    local pid; pid="$(cat "$RUN/kafka.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/kafka.pid"
}

# ---------------------------------------------------------------------------------- Temporal
TEMPORAL_BIN="$STACK/bin/temporal"
# No debug info in the binary (nobody runs the dev server under a debugger): measured cold here,
# 259 s instead of 287 s for the build, and a smaller binary.
TEMPORAL_BUILD_FLAGS=(-trimpath -ldflags=-w -gcflags=all=-dwarf=false)
SEARCH_ATTRS=(TicketNo=Keyword UnitId=Keyword UnitIds=KeywordList TicketStatus=Keyword Region=Keyword Category=Keyword DueAt=Datetime)

temporal_install() {
  [ -x "$TEMPORAL_BIN" ] && return
  command -v go >/dev/null || die "temporal: Go is needed to build the temporal CLI ($TEMPORAL_CLI_VERSION) and is not installed"
  say "temporal: building the temporal CLI $TEMPORAL_CLI_VERSION with go install (first run, a few minutes)"
  : >"$LOGS/temporal-install.log"
  if ! GOBIN="$STACK/bin" progress temporal "$LOGS/temporal-install.log" \
    go install -x "${TEMPORAL_BUILD_FLAGS[@]}" "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"; then
    if grep -q 'sum.golang.org\|checksum database\|verifying module' "$LOGS/temporal-install.log"; then
      say "temporal: the Go checksum database is not reachable; retrying with GOSUMDB=off (the module's go.sum still pins every dependency)"
      GOSUMDB=off GOBIN="$STACK/bin" progress temporal "$LOGS/temporal-install.log" \
        go install -x "${TEMPORAL_BUILD_FLAGS[@]}" "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" \
        || die "temporal: go install failed, see $LOGS/temporal-install.log"
    else
      die "temporal: go install failed, see $LOGS/temporal-install.log"
    fi
  fi
}

temporal_up() {
  if [ -n "${TEMPORAL_ADDRESS:-}" ]; then say "temporal: using TEMPORAL_ADDRESS, starting nothing"; return; fi
  if pid_alive temporal; then say "temporal: already running on 127.0.0.1:$TEMPORAL_PORT"; echo temporal >>"$RUN/started"; return; fi
  temporal_install
  port_open "$TEMPORAL_PORT" && die "temporal: port $TEMPORAL_PORT is taken by another process; set HOTLINE_TEMPORAL_PORT or TEMPORAL_ADDRESS"
  port_open "$TEMPORAL_UI_PORT" && die "temporal: UI port $TEMPORAL_UI_PORT is taken by another process; set HOTLINE_TEMPORAL_UI_PORT"
  mkdir -p "$STACK/temporal"
  local sa_flags=() a
  for a in "${SEARCH_ATTRS[@]}"; do sa_flags+=(--search-attribute "$a"); done
  say "temporal: starting the dev server on 127.0.0.1:$TEMPORAL_PORT (UI on :$TEMPORAL_UI_PORT), history in $STACK/temporal"
  setsid nohup "$TEMPORAL_BIN" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
    --db-filename "$STACK/temporal/temporal.db" --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal \
    --namespace default --log-level warn "${sa_flags[@]}" \
    </dev/null >"$LOGS/temporal.log" 2>&1 &
  echo $! >"$RUN/temporal.pid"
  echo temporal >>"$RUN/started"
  local i
  for i in $(seq 1 120); do
    pid_alive temporal || die "temporal: exited while starting, see $LOGS/temporal.log"
    "$TEMPORAL_BIN" operator namespace describe --namespace default --address "127.0.0.1:$TEMPORAL_PORT" >/dev/null 2>&1 && break
    sleep 0.5
  done
  "$TEMPORAL_BIN" operator namespace describe --namespace default --address "127.0.0.1:$TEMPORAL_PORT" >/dev/null 2>&1 \
    || die "temporal: the default namespace does not answer, see $LOGS/temporal.log"
  say "temporal: ready"
}

temporal_down() {
  if pid_alive temporal; then
    say "temporal: stopping"
    local pid; pid="$(cat "$RUN/temporal.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/temporal.pid"
}

# ------------------------------------------------------------------ time-skipping test server
# Not a server we keep running: the workflow tests start it themselves (one per test file) through
# this wrapper, `TestWorkflowEnvironment.createTimeSkipping` with an existing-path executable.
TEST_SERVER_DIR="$STACK/temporal-test-server"

test_server_install() {
  maven_libs temporal-test-server "$ROOT/deploy/temporal-test-server/pom.xml" "$TEST_SERVER_DIR/libs"
  cat >"$STACK/bin/temporal-test-server" <<EOF
#!/bin/sh
# Temporal's time-skipping test server; the SDK passes the port.
exec java -Xms64m -Xmx512m -cp "$TEST_SERVER_DIR/libs/*" io.temporal.testserver.TestServer "\$@"
EOF
  chmod +x "$STACK/bin/temporal-test-server"
  say "temporal test server: ready at $STACK/bin/temporal-test-server"
}

# -------------------------------------------------------------------------------------- main
write_env() {
  {
    echo "DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB}"
    echo "KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"
    echo "TEMPORAL_ADDRESS=${TEMPORAL_ADDRESS:-127.0.0.1:$TEMPORAL_PORT}"
    if [ -z "${TEMPORAL_ADDRESS:-}" ]; then echo "TEMPORAL_UI_URL=http://127.0.0.1:$TEMPORAL_UI_PORT"; fi
  } >"$STACK/env"
}

status() {
  local pgs="stopped"
  pg_locate
  if [ -n "${DATABASE_URL:-}" ]; then pgs="external ($DATABASE_URL)"
  elif [ -n "$(pg_bin)" ] && as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then pgs="running on 127.0.0.1:$PG_PORT, data in $PG_DATA"; fi
  local ks="stopped"; [ -n "${KAFKA_BROKERS:-}" ] && ks="external ($KAFKA_BROKERS)"; pid_alive kafka && ks="running on 127.0.0.1:$KAFKA_PORT (pid $(cat "$RUN/kafka.pid"))"
  local ts="stopped"; [ -n "${TEMPORAL_ADDRESS:-}" ] && ts="external ($TEMPORAL_ADDRESS)"; pid_alive temporal && ts="running on 127.0.0.1:$TEMPORAL_PORT, UI http://127.0.0.1:$TEMPORAL_UI_PORT (pid $(cat "$RUN/temporal.pid"))"
  local as="stopped" a pid names=""
  for a in "${APPS[@]}"; do pid="$(owned_pid "app-$a" "$(app_entry "$a")")" && names+=" $a"; done
  if [ -n "$names" ]; then as="running (npm start):$names"; fi
  printf 'postgres  %s\nkafka     %s\ntemporal  %s\napps      %s\nlogs      %s\n' "$pgs" "$ks" "$ts" "$as" "$LOGS"
}

# What `up` (and `test-server` when named) would fetch or build first: Kafka's jars, the Temporal
# CLI (a go install: minutes on a first run), the test server's jars. Nothing is started.
missing_parts() {
  local parts=()
  if [ -z "${KAFKA_BROKERS:-}" ] && [ ! -f "$KAFKA_DIR/libs/.complete" ]; then parts+=(kafka); fi
  if [ -z "${TEMPORAL_ADDRESS:-}" ] && [ ! -x "$TEMPORAL_BIN" ]; then parts+=(temporal); fi
  if [ "${1:-}" = test-server ] && [ ! -f "$TEST_SERVER_DIR/libs/.complete" ]; then parts+=(test-server); fi
  echo "${parts[@]}"
}

# Fetches the missing parts: the Temporal CLI builds while the jars download. Run in the
# background by npm start and npm test while npm installs and builds (see lib.sh, prefetch_start).
prefetch() {
  local parts temporal_pid="" rc=0
  parts=" $(missing_parts "${1:-}") "
  if [[ "$parts" == *" temporal "* ]]; then
    (temporal_install) &
    temporal_pid=$!
  fi
  if [[ "$parts" == *" kafka "* ]]; then (kafka_install) || rc=1; fi
  if [[ "$parts" == *" test-server "* ]]; then (test_server_install) || rc=1; fi
  if [ -n "$temporal_pid" ]; then wait "$temporal_pid" || rc=1; fi
  return "$rc"
}

case "${1:-up}" in
  missing) missing_parts "${2:-}" ;;
  prune) pg_prune ;;
  prefetch) prefetch "${2:-}" ;;
  up)
    : >"$RUN/started"
    pg_up
    kafka_up
    temporal_up
    write_env
    say "stack is up; addresses in $STACK/env"
    ;;
  down)
    stop_npm_start
    temporal_down
    kafka_down
    pg_down
    rm -f "$RUN/started"
    ;;
  status) status ;;
  env) write_env; cat "$STACK/env" ;;
  test-server) test_server_install ;;
  *) die "usage: $0 up|down|status|env|test-server" ;;
esac
