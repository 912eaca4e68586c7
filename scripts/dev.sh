#!/usr/bin/env bash
# Set-up and entry points for a fresh machine:
#   npm start   builds every package and runs the proxy demo (zp --demo)
#   npm test    installs what the tests need and runs the whole test suite
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

PNPM_VERSION=12.4.2

ensure_pnpm() {
  if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    echo "› installing pnpm $PNPM_VERSION"
    npm install -g "pnpm@$PNPM_VERSION" >/dev/null
  fi
}

ensure_deps() {
  pnpm install --frozen-lockfile --reporter=append-only >/dev/null
}

# Debian tools the tests talk to as real peers.
ensure_tools() {
  local missing=()
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "› installing ${missing[*]}"
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "missing tools: ${missing[*]} (install them, e.g. apt-get install ${missing[*]})" >&2
      exit 1
    fi
  fi
}

case "${1:-}" in
  start)
    ensure_pnpm
    ensure_deps
    pnpm run build
    shift
    exec node packages/pingora/dist/cli.js --demo "$@"
    ;;
  examples)
    ensure_pnpm
    ensure_deps
    pnpm run examples
    ;;
  test)
    ensure_pnpm
    ensure_deps
    ensure_tools
    pnpm run test:all
    ;;
  *)
    echo "usage: scripts/dev.sh start|test|examples" >&2
    exit 2
    ;;
esac
