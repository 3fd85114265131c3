#!/usr/bin/env bash
# Sets up a fresh machine for imgalias: the pinned pnpm, the workspace's dependencies and, with --engines,
# the container engines and registry the integration tests start privately, and the tools their tests and
# benchmarks use (Debian packages).
# Usage: scripts/bootstrap.sh [--engines]
set -euo pipefail
cd "$(dirname "$0")/.."

want_engines=false
for arg in "$@"; do
  case "$arg" in
    --engines) want_engines=true ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "bootstrap: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

pnpm_pin=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_pin" ]; then
  echo "bootstrap: installing pnpm $pnpm_pin"
  npm install --global --no-fund --no-audit "pnpm@$pnpm_pin" >/dev/null
fi

if $want_engines; then
  missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  # The registry adapter's tests: htpasswd -B for basic auth, openssl for TLS and token-signing certificates;
  # skopeo is the yardstick of the registry benchmarks.
  command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "bootstrap: installing ${missing[*]} (Debian packages; no daemon is started here)"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "bootstrap: ${missing[*]} not installed and cannot install as non-root; engine tests will be skipped (they fail under CI=true)" >&2
    fi
  fi
fi

pnpm install --frozen-lockfile
