#!/usr/bin/env bash
# `npm run demo`: VS Code in your browser with the extension installed from its VSIX, on a fresh copy of
# the bundled sample workspace (http://127.0.0.1:8080 unless PORT is set; --check takes a free port).
# Builds and packages the extension (scripts/package.sh), installs code-server when needed
# (scripts/setup-code-server.sh), then runs test/integration/demo.ts, which says what to do. Ctrl-C stops it.
#   bash scripts/demo.sh --check   smoke test: start, open the sample scan in headless Chromium,
#                                  check that the scan viewer draws it and that the extension's page
#                                  shows its README's screenshots, stop (exit 0 when both did).
#   --vsix FILE                    use this already packaged VSIX instead of packaging (the test command does).
# DEMO_CHECK_TIMEOUT_S (default 180) bounds each wait of --check: sized for a loaded 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."

VSIX=
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --vsix) VSIX=${2:?--vsix needs a file}; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ -z "$VSIX" ]; then
  VSIX=.vscode-test/vq-anomaly-review.vsix
  echo "[demo] building and packaging the extension (about 30 s)"
  bash scripts/package.sh "$VSIX" >/dev/null
else
  bash scripts/ensure-deps.sh
fi
node esbuild.mjs --tests # the demo runner, out/test/integration/demo.js
bash scripts/setup-code-server.sh >/dev/null
exec node out/test/integration/demo.js "$VSIX" "${args[@]}"
