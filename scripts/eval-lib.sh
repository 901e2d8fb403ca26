# Sourced by scripts/eval-*.sh from the repository root: finding a data set of ../shared/data and
# building the CLI they run.

# shared_data NAME FILE: prints the absolute path of ../shared/data/NAME; fails with a message when
# FILE is not in it (so `DATA=$(shared_data ...)` stops a `set -e` script).
shared_data() {
  local data
  data=$(realpath "../shared/data/$1" 2>/dev/null || true)
  [ -f "$data/$2" ] || { echo "$1 data absent (expected ../shared/data/$1)" >&2; return 1; }
  echo "$data"
}

# build_cli: installs the dependencies when needed and builds dist/ (cli.js and the worker).
build_cli() {
  bash scripts/ensure-deps.sh
  node esbuild.mjs
}
