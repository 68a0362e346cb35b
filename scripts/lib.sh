# Shared by scripts/start.sh and scripts/test.sh. Source it; do not run it.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK="${HOTLINE_STACK_DIR:-$ROOT/.stack}"
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
    [ -n "$key" ] && [ -z "${!key:-}" ] && export "$line"
  done <"$STACK/env"
}
