#!/usr/bin/env bash
# What a new user does after cloning, checked end to end (CI runs it after `pnpm test`):
#  1. `pnpm demo` twice: the second run must not rebuild (build-if-stale says "up to date", dist untouched);
#  2. README's "put imgalias on PATH" command, into a throwaway npm prefix instead of the machine's global one,
#     then `imgalias --version` found through PATH must print the CLI package's version.
# Removes only the temp prefix it made.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=$(mktemp -d "${TMPDIR:-/tmp}/imgalias-path.XXXXXX")
trap 'rm -rf -- "$prefix"' EXIT

pnpm demo >/dev/null
stamp_before=$(stat -c %Y packages/cli/dist/bin.js)
second=$(pnpm demo)
case "$second" in
  *"build: up to date"*) ;;
  *) echo "check-install: the second 'pnpm demo' rebuilt although nothing changed" >&2; exit 1 ;;
esac
[ "$(stat -c %Y packages/cli/dist/bin.js)" = "$stamp_before" ] || { echo "check-install: dist/bin.js changed on the second demo" >&2; exit 1; }
echo "check-install: a second 'pnpm demo' did not rebuild"

npm install --global --prefix "$prefix" --no-fund --no-audit ./packages/cli >/dev/null
found=$(PATH="$prefix/bin:$PATH" command -v imgalias)
[ "$found" = "$prefix/bin/imgalias" ] || { echo "check-install: imgalias on PATH is '$found', not the installed one" >&2; exit 1; }
want=$(node -p "require('./packages/cli/package.json').version")
got=$(PATH="$prefix/bin:$PATH" imgalias --version)
[ "$got" = "$want" ] || { echo "check-install: imgalias --version printed '$got', expected '$want'" >&2; exit 1; }
echo "check-install: imgalias $got on PATH from the checkout"
