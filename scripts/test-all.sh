#!/usr/bin/env bash
# Every test of packetwalk, in the order that fails fastest. As root it first installs the Debian
# packages the tests need (Chromium, clang, iptables, conntrack, bpftool) and runs the lab tests,
# which build real network namespaces and remove them again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then bash scripts/install-system-deps.sh; fi
[ -d node_modules ] || npm ci --no-audit --no-fund
echo "== typecheck"; npx tsc --noEmit
echo "== lint"; npx eslint . --max-warnings 0
echo "== unit"; npx vitest run
echo "== build"; npx next build
echo "== e2e"; npx playwright test
