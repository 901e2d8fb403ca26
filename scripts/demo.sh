#!/usr/bin/env bash
# `npm run demo`: VS Code in your browser with the extension installed from its VSIX, on a fresh copy of
# the bundled sample workspace (http://127.0.0.1:8080 unless PORT is set). Builds and packages the
# extension, installs code-server when needed (scripts/setup-code-server.sh), then runs
# test/integration/demo.ts, which says what to do. Ctrl-C stops it.
#   bash scripts/demo.sh --check   smoke test: start, open the sample scan in headless Chromium,
#                                  check that the scan viewer draws it, stop.
set -euo pipefail
cd "$(dirname "$0")/.."

VSIX=.vscode-test/vq-anomaly-review.vsix
bash scripts/ensure-deps.sh
echo "[demo] building and packaging the extension (about 30 s)"
node esbuild.mjs --production
npx vsce package --out "$VSIX" </dev/null >/dev/null
node esbuild.mjs --tests # the demo runner, out/test/integration/demo.js
bash scripts/setup-code-server.sh >/dev/null
exec node out/test/integration/demo.js "$VSIX" "$@"
