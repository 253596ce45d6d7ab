#!/usr/bin/env bash
# `npm test`: typecheck, lint, unit, integration (embedded Postgres + simulated cloud) and
# Playwright end-to-end tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
bash scripts/ensure-system-deps.sh
step() { printf '\n== %s ==\n' "$1"; }
step "typecheck"; npx tsc --noEmit
step "lint"; npx eslint . --max-warnings 0; npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
step "unit"; npx vitest run --project unit
step "integration"; npx vitest run --project integration
step "build"; npx next build
step "e2e"; npx playwright test
