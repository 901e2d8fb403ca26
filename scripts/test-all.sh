#!/usr/bin/env bash
# The one test command (`npm test`, and CI through .ci/run): installs the dependencies when needed,
# type-checks, lints (eslint) and checks the formatting (prettier), runs the unit tests, packages the .vsix and checks it (test/package/), installs
# code-server (scripts/setup-code-server.sh), runs the integration suite in the real VS Code extension
# host (test/integration/runCodeServer.ts), then installs that .vsix into a code-server of its own and
# runs the demo's smoke check on it (scripts/demo.sh --check).
# Every stage runs even when an earlier one failed; each prints one summary line
# (`unit: N passed, N failed, N skipped`, ...), repeated together at the end. Exits 1 if any stage failed.
set -uo pipefail
cd "$(dirname "$0")/.."

LOG_DIR=out/test-logs
mkdir -p "$LOG_DIR"
summaries=()
failed=0

# Records a stage's summary line and whether it passed.
report() {
  local status=$1 line=$2
  summaries+=("$line")
  echo "$line"
  [ "$status" -eq 0 ] || failed=1
}

banner() { printf '\n=== %s ===\n' "$*"; }

typecheck() {
  banner "type check (tsc --noEmit)"
  local log="$LOG_DIR/typecheck.log" status errors
  npx tsc -p . --noEmit 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  errors=$(grep -c 'error TS' "$log")
  report "$status" "typecheck: $([ "$status" -eq 0 ] && echo passed || echo "failed, $errors errors")"
}

# eslint with typescript-eslint, type-aware (eslint.config.mjs): `npm run lint`.
lint() {
  banner "lint (eslint)"
  local log="$LOG_DIR/lint.log" status problems
  npx eslint . 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  problems=$(grep -oE '[0-9]+ problems?' "$log" | tail -1 | grep -oE '^[0-9]+' || echo '?')
  report "$status" "lint: $([ "$status" -eq 0 ] && echo passed || echo "failed, $problems problems")"
}

# prettier --check (.prettierrc.json): `npm run fmt` fixes what it reports.
format_check() {
  banner "format (prettier --check)"
  local log="$LOG_DIR/format.log" status files
  npx prettier --check . 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  files=$(grep -oE 'issues found in [0-9]+ files?' "$log" | grep -oE '[0-9]+' || echo '?')
  report "$status" "format: $([ "$status" -eq 0 ] && echo passed || echo "failed, $files files not formatted (npm run fmt)")"
}

# node's spec reporter ends with lines `ℹ pass N`, `ℹ fail N`, `ℹ skipped N`: the N of one of them.
spec_count() {
  local log=$1 name=$2
  grep -E "^ℹ $name [0-9]+$" "$log" | tail -1 | grep -oE '[0-9]+$' || echo '?'
}

unit_tests() {
  banner "unit tests (node:test)"
  local log="$LOG_DIR/unit.log" status
  npm run --silent test:unit 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  report "$status" "unit: $(spec_count "$log" pass) passed, $(spec_count "$log" fail) failed, $(spec_count "$log" skipped) skipped"
}

VSIX=.vscode-test/vq-anomaly-review.vsix

# Packages the extension as a user gets it and checks the .vsix (its files, README, and its CLI run unpacked).
package_check() {
  banner "package (scripts/package.sh) and its check (test/package/)"
  local log="$LOG_DIR/package.log" status
  rm -f "$VSIX"
  if ! bash scripts/package.sh "$VSIX" >"$log" 2>&1; then
    tail -20 "$log"
    report 1 "package: failed, scripts/package.sh did not write $VSIX (see $log)"
    return
  fi
  grep -E 'Packaged:' "$log" || true
  node esbuild.mjs --tests && node --test --test-reporter=spec out/test/package/ 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
  report "$status" "package: $([ "$status" -eq 0 ] && echo passed || echo failed), $(spec_count "$log" pass) checks passed, $(spec_count "$log" fail) failed"
}

# The demo's smoke check on the .vsix packaged above (not the development build): installed into the
# demo's own code-server state, the sample scan opened from the Explorer in headless Chromium, and the
# extension's page in the Extensions view showing its README's screenshots.
demo_check() {
  banner "demo smoke check (scripts/demo.sh --check on the packaged .vsix)"
  local log="$LOG_DIR/demo.log" status
  if [ ! -f "$VSIX" ]; then
    report 1 "demo: not run, no $VSIX (the package stage failed)"
    return
  fi
  bash scripts/demo.sh --check --vsix "$VSIX" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  report "$status" "demo: $([ "$status" -eq 0 ] && echo "check passed" || echo "check failed (see $log)")"
}

# The suite itself prints `integration: N passed, N failed, N skipped` as its last line.
integration_tests() {
  banner "integration tests (real VS Code: code-server + headless Chromium)"
  local log="$LOG_DIR/integration.log" status line
  if ! bash scripts/setup-code-server.sh; then
    report 1 "integration: not run, the code-server setup failed"
    return
  fi
  npm run --silent test:integration 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  line=$(grep -E '^integration: [0-9]+ passed' "$log" | tail -1)
  report "$status" "${line:-integration: did not finish (see $log)}"
}

if [ -d ../shared/data ]; then
  echo "Real data found in ../shared/data: the tests that read it run."
else
  echo "NOTE: ../shared/data is absent: the tests that need the real data sets are SKIPPED (reported as skipped)."
fi
if ! bash scripts/ensure-deps.sh; then
  echo "npm ci failed: cannot run the tests" >&2
  exit 1
fi
typecheck
lint
format_check
unit_tests
package_check
integration_tests
demo_check

banner "summary"
printf '%s\n' "${summaries[@]}"
exit "$failed"
