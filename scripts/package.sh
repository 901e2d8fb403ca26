#!/usr/bin/env bash
# `npm run package`: builds the production bundles and packages the extension as a .vsix.
# Usage: bash scripts/package.sh [OUT]   (default OUT: vq-anomaly-review-<version>.vsix in the repository root)
# Works on a fresh clone (runs npm ci when node_modules is missing or stale) and offline.
# The .vsix ships USER_GUIDE.md as its README (what the Extensions view and the Marketplace show), with
# its screenshots inlined as data: URIs (scripts/inline-readme-images.mjs says why), written to
# out/package/README.md. --no-rewrite-relative-links: vsce would otherwise refuse any image that is not
# an https URL and want a public repository URL for relative links; this project has no public
# repository URL, hence also --allow-missing-repository.
# What goes in is listed in .vscodeignore; test/package/vsixContents.test.ts checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=$(node -p "require('./package.json').version")
OUT=${1:-vq-anomaly-review-$VERSION.vsix}
bash scripts/ensure-deps.sh
mkdir -p "$(dirname "$OUT")"
node esbuild.mjs --production
node scripts/inline-readme-images.mjs USER_GUIDE.md out/package/README.md
# </dev/null: vsce never waits for an answer.
npx vsce package --out "$OUT" --readme-path out/package/README.md --no-rewrite-relative-links \
  --allow-missing-repository </dev/null
