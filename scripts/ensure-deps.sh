#!/usr/bin/env bash
# `npm ci` when node_modules is missing or older than package-lock.json (npm writes
# node_modules/.package-lock.json at every install). Used by the test, demo, package and bench commands
# so that they work on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d node_modules ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  exit 0
fi
printf '\n=== npm ci ===\n'
npm ci --no-audit --no-fund
