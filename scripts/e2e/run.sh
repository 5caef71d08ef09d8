#!/usr/bin/env bash
# `npm run test:e2e`: installs what the suite needs (cached, see install.sh), packages the .vsix,
# and runs every test/e2e/*.test.ts with node's test runner. Extra arguments go to `node --test`
# (e.g. `npm run test:e2e -- --test-name-pattern "quick fix"`).
set -euo pipefail
cd "$(dirname "$0")/../.."

IMDS_GUARD_E2E_CODE_SERVER="$(bash scripts/e2e/install.sh)"
export IMDS_GUARD_E2E_CODE_SERVER
npm run package
export IMDS_GUARD_E2E_VSIX="$PWD/dist/imds-guard.vsix"

rm -rf test-results/e2e
# One file at a time: each starts its own code-server and Chromium, and two cores are not enough to
# run two workbenches side by side without timing out.
exec node --import tsx --test --test-concurrency=1 --test-timeout=600000 "$@" test/e2e/*.test.ts
