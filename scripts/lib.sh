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

# owned_pid NAME WHAT: prints the pid in $STACK/run/NAME.pid when that process is alive, its
# command line contains WHAT and it has run since before the file was written; otherwise removes
# the stale file, so a pid the system has given to another process since never ends a stranger.
owned_pid() {
  local file="$STACK/run/$1.pid" pid cmd age
  [ -f "$file" ] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    cmd="$({ tr '\0' ' ' <"/proc/$pid/cmdline" || ps -o args= -p "$pid"; } 2>/dev/null || true)"
    age="$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
    if [[ "$cmd" == *"$2"* ]] \
      && { ! [[ "$age" =~ ^[0-9]+$ ]] || [ $(($(date +%s) - age)) -le $(($(stat -c %Y "$file") + 2)) ]; }; then
      echo "$pid"
      return 0
    fi
  fi
  rm -f "$file"
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
  rm -f "$STACK"/run/app-*.pid
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
    rm -f "$STACK/run/start.pid"
  fi
  stop_apps
  if pid="$(owned_pid watchdog hotline-watchdog)"; then end_groups "$pid"; fi
  rm -f "$STACK/run/watchdog.pid"
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
  if [ "$(cat "$STACK/run/start.pid" 2>/dev/null)" = "$1" ]; then rm -f "$STACK/run/start.pid"; fi
  rm -f "$STACK/run/watchdog.pid"
}
