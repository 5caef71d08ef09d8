#!/usr/bin/env bash
# Re-synthesise test/fixtures/cdk/cdk.out from app.ts, outside the repository so aws-cdk-lib never
# lands in the project's node_modules. Needs only the npm registry: `app.synth()` makes no AWS call.
# Usage: scripts/cdk-fixtures/regenerate.sh [work-dir]   (default: a fresh temporary directory)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${1:-$(mktemp -d -t imds-cdk-fixtures.XXXXXX)}"
target="$repo/test/fixtures/cdk/cdk.out"

mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/tsconfig.json" "$here/app.ts" "$work/"
cd "$work"
npm ci --no-audit --no-fund
npm run --silent typecheck
rm -rf cdk.out
npm run --silent synth

# Keep only what the engine reads: the templates and the manifest (no assets, tree or metadata files).
rm -rf "$target"
mkdir -p "$target"
cp cdk.out/*.template.json cdk.out/manifest.json "$target/"
echo "wrote $(ls "$target" | wc -l) files to $target (work dir: $work)"
