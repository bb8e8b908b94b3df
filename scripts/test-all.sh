#!/usr/bin/env bash
# Every test of packetwalk, in the order that fails fastest. As root it first installs the Debian
# packages the tests need (Chromium, clang, iptables, conntrack, bpftool) and runs the lab tests,
# which build real network namespaces and remove them again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then bash scripts/install-system-deps.sh; fi
[ -d node_modules ] || npm ci --no-audit --no-fund
mkdir -p .reports
rm -f .reports/vitest.json .reports/playwright.json
echo "== typecheck"; npx tsc --noEmit
echo "== lint"; npx eslint . --max-warnings 0
echo "== unit"; npx vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json
echo "== build"; npm run build
echo "== e2e"; PLAYWRIGHT_JSON_OUTPUT_NAME=.reports/playwright.json npx playwright test --reporter=list,json
node scripts/test-summary.mjs
