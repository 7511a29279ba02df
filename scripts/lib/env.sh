# Sourced by every script: paths and the tools the project installs for itself.
# shellcheck shell=bash
KEUKENTAFEL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export KEUKENTAFEL_ROOT
# Project-local tools (wasm-opt from npm's binaryen) and cargo-installed ones.
export PATH="$KEUKENTAFEL_ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until a URL answers 200, for at most $2 seconds.
wait_for_url() {
  local url=$1 seconds=${2:-60}
  for _ in $(seq "$seconds"); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "no answer from $url after ${seconds}s" >&2
  return 1
}
