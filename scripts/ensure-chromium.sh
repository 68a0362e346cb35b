#!/usr/bin/env bash
# Prints the path of a Chromium binary for the headless report check
# (services/supervision/src/reports/chromium.spec.ts), installing Debian's `chromium` package with
# apt-get when none is found. Progress goes to stderr, the path alone to stdout, so that
#   CHROMIUM_PATH="$(bash scripts/ensure-chromium.sh)"
# works. Exits non-zero with a message when no binary can be found or installed.
#
# Puppeteer's and Playwright's own browser downloads come from CDNs this network does not reach;
# Debian's mirrors it does.
set -euo pipefail

say() { printf '==> %s\n' "$*" >&2; }
fail() {
  printf '!!! %s\n' "$*" >&2
  exit 1
}

find_chromium() {
  local c
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then
    echo "$CHROMIUM_PATH"
    return 0
  fi
  for c in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

if path="$(find_chromium)"; then
  echo "$path"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 ||
  fail "no chromium binary found and no apt-get to install one; install Chromium and set CHROMIUM_PATH"

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 ||
    fail "no chromium binary found; installing it needs root (run as root, or: apt-get install chromium)"
  sudo="sudo -n"
fi

started=$(date +%s)
say "chromium not found: installing Debian's chromium package with apt-get (a few minutes)"
log="$(mktemp -t ensure-chromium.XXXXXX.log)"
export DEBIAN_FRONTEND=noninteractive
say "apt-get update"
if ! $sudo apt-get update -qq >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "apt-get update failed (full log: $log)"
fi
say "apt-get install chromium"
if ! $sudo apt-get install -y -qq --no-install-recommends chromium >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "apt-get install chromium failed (full log: $log)"
fi
rm -f "$log"

path="$(find_chromium)" || fail "apt-get installed chromium but no chromium binary is on the PATH"
say "installed $("$path" --version 2>/dev/null || echo chromium) in $(($(date +%s) - started)) s"
echo "$path"
