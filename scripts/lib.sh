# Shared by scripts/start.sh, stop.sh, stack.sh and test.sh. Source it; do not run it.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK="$(realpath -m "${HOTLINE_STACK_DIR:-$ROOT/.stack}")"
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '!!! %s\n' "$*" >&2; exit 1; }

# npm packages: installed on first run and whenever package-lock.json changes.
ensure_deps() {
  local want have=""
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  [ -f "$ROOT/node_modules/.hotline-lock" ] && have="$(cat "$ROOT/node_modules/.hotline-lock")"
  if [ "$want" != "$have" ]; then
    step "installing npm packages (first run takes a minute or two)"
    # npm ci when the lock file is complete; this registry mirror leaves some other platforms'
    # optional binaries out of the lock, which npm ci refuses, so npm install is the fallback.
    if ! (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error 2>"$ROOT/.npm-ci.log"); then
      (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error) || fail "npm install failed"
    fi
    rm -f "$ROOT/.npm-ci.log"
    sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1 >"$ROOT/node_modules/.hotline-lock"
  fi
}

# TypeScript build (incremental) and the prebuilt workflow bundle.
build() {
  step "building (tsc -b, workflow bundle)"
  (cd "$ROOT" && npx --no-install tsc -b tsconfig.build.json) || return 1
  (cd "$ROOT" && node workflows/dist/scripts/bundle-workflows.js) || return 1
}

# The stack's missing parts (Kafka's jars, the Temporal CLI build, the test server's jars: minutes
# on a first run) fetched in the background while npm installs and builds, in a process group of
# its own so that prefetch_stop can end all of it. `stack.sh up` then finds them in place; if the
# prefetch failed, `up` tries again and says why.
PREFETCH_PID=""
prefetch_start() {
  local parts
  parts="$(bash "$ROOT/scripts/stack.sh" missing "$@" 2>/dev/null || true)"
  [ -n "$parts" ] || return 0
  mkdir -p "$STACK/logs"
  step "fetching the stack's missing parts in the background: $parts (log: $STACK/logs/prefetch.log)"
  setsid bash "$ROOT/scripts/stack.sh" prefetch "$@" </dev/null >"$STACK/logs/prefetch.log" 2>&1 &
  PREFETCH_PID=$!
}

# Waits for the prefetch, showing every 15 s how long and its latest line.
prefetch_wait() {
  [ -n "$PREFETCH_PID" ] || return 0
  if kill -0 "$PREFETCH_PID" 2>/dev/null; then
    step "waiting for the stack's parts (a first build of the Temporal CLI takes a few minutes)"
  fi
  watch_progress "$PREFETCH_PID" prefetch "$STACK/logs/prefetch.log" \
    || echo "    the prefetch did not finish (log: $STACK/logs/prefetch.log); starting the stack tries again"
  PREFETCH_PID=""
}

# watch_progress PID LABEL LOG: waits for the background job PID (a child of this shell), printing
# every 15 s how long it has been going and the latest line of LOG; returns its exit status.
watch_progress() {
  local pid="$1" label="$2" log="$3" waited=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if [ $((waited % 15)) = 0 ]; then
      printf '    %s: %ds… %s\n' "$label" "$waited" "$(tail -n 1 "$log" 2>/dev/null | cut -c1-100)"
    fi
  done
  wait "$pid"
}

# Ends a prefetch still running (the script is ending early).
prefetch_stop() {
  if [ -n "$PREFETCH_PID" ] && kill -0 "$PREFETCH_PID" 2>/dev/null; then end_groups "$PREFETCH_PID"; fi
  PREFETCH_PID=""
}

# Exports the stack's addresses (written by scripts/stack.sh) unless the environment has them.
load_stack_env() {
  local line key
  [ -f "$STACK/env" ] || return 0
  while IFS= read -r line; do
    key="${line%%=*}"
    if [ -n "$key" ] && [ -z "${!key:-}" ]; then export "$line"; fi
  done <"$STACK/env"
}

# ------------------------------------------------------------------- what `npm start` runs
# scripts/start.sh records itself (start.pid), its watchdog (watchdog.pid) and every app
# (app-<name>.pid) in $STACK/run; each app runs in a session of its own (setsid).
APPS=(intake dispatch evaluation supervision worker)

app_entry() {
  case "$1" in
    worker) echo "$ROOT/workflows/dist/worker/main.js" ;;
    *) echo "$ROOT/services/$1/dist/main.js" ;;
  esac
}

# proc_start PID: when the process started, in clock ticks since boot (/proc/PID/stat, field 22):
# the same for the process's whole life, whatever the wall clock does; empty without /proc.
proc_start() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  stat="${stat##*) }" # after the command name, which may hold spaces and parentheses
  awk '{ print $20 }' <<<"$stat"
}

# record_pid NAME PID: $STACK/run/NAME.pid, and beside it NAME.start, the process's start time,
# which tells it from a later process given the same pid.
record_pid() {
  echo "$2" >"$STACK/run/$1.pid"
  proc_start "$2" >"$STACK/run/$1.start"
}

# owned_pid NAME WHAT: prints the pid in $STACK/run/NAME.pid when that process is alive, its
# command line contains WHAT and it is the process the file was written for (its start time is
# the one recorded in NAME.start; without that file, it has run since before the pid file was
# written); otherwise removes the stale files, so a pid the system has given to another process
# since never ends a stranger. The start time, not the wall clock: a clock set forward (a VM
# resumed, NTP) made every live app look younger than its file, and `npm run stop` forgot them.
owned_pid() {
  local file="$STACK/run/$1.pid" pid cmd age started recorded
  [ -f "$file" ] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    cmd="$({ tr '\0' ' ' <"/proc/$pid/cmdline" || ps -o args= -p "$pid"; } 2>/dev/null || true)"
    if [[ "$cmd" == *"$2"* ]]; then
      recorded="$(cat "$STACK/run/$1.start" 2>/dev/null || true)"
      started="$(proc_start "$pid")"
      if [ -n "$recorded" ] && [ -n "$started" ]; then
        if [ "$recorded" = "$started" ]; then
          echo "$pid"
          return 0
        fi
      else
        age="$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
        if ! [[ "$age" =~ ^[0-9]+$ ]] || [ $(($(date +%s) - age)) -le $(($(stat -c %Y "$file") + 2)) ]; then
          echo "$pid"
          return 0
        fi
      fi
    fi
  fi
  rm -f "$file" "$STACK/run/$1.start"
  return 1
}

# end_groups PID...: TERM to each pid's process group (or the pid alone), up to 10 s for all of
# them to go, then KILL.
end_groups() {
  local pid left
  for pid in "$@"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    left=""
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ -n "$left" ] || return 0
    sleep 0.25
  done
  for pid in "$@"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
}

# The services and the worker, by their pid files.
stop_apps() {
  local a pid pids=()
  for a in "${APPS[@]}"; do
    if pid="$(owned_pid "app-$a" "$(app_entry "$a")")"; then pids+=("$pid"); fi
  done
  if [ "${#pids[@]}" -gt 0 ]; then
    step "stopping the services and the worker"
    end_groups "${pids[@]}"
  fi
  rm -f "$STACK"/run/app-*.pid "$STACK"/run/app-*.start
}

# Everything `npm start` started except the stack: a start.sh still running is told to end (its
# traps stop the apps and the watchdog; KILL after 30 s), then whatever is left by pid file.
stop_npm_start() {
  local pid
  if pid="$(owned_pid start start.sh)"; then
    step "stopping npm start (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$STACK/run/start.pid" "$STACK/run/start.start"
  fi
  stop_apps
  if pid="$(owned_pid watchdog hotline-watchdog)"; then end_groups "$pid"; fi
  rm -f "$STACK/run/watchdog.pid" "$STACK/run/watchdog.start"
}

# watchdog PID: run by start.sh in a session of its own; once PID (start.sh) is gone, or a zombie
# nobody reaps, stops the apps. It covers a SIGKILL, which no trap sees.
watchdog() {
  local state
  while kill -0 "$1" 2>/dev/null; do
    state=""
    read -r _ _ state _ 2>/dev/null <"/proc/$1/stat" || true
    [ "$state" = Z ] && break
    sleep 1
  done
  stop_apps
  if [ "$(cat "$STACK/run/start.pid" 2>/dev/null)" = "$1" ]; then
    rm -f "$STACK/run/start.pid" "$STACK/run/start.start"
  fi
  rm -f "$STACK/run/watchdog.pid" "$STACK/run/watchdog.start"
}
