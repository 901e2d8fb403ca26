#!/usr/bin/env bash
# npm run bench:quality [-- --only brain-ms|magnetic-tile] [-- --quick]: the quality benchmark
# (bench/quality/main.ts). Needs ../shared/data; installs the dependencies when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
mkdir -p out/bench
npx esbuild bench/quality/main.ts --bundle --platform=node --format=cjs --target=node20 \
  --external:@tensorflow/* --external:webgpu --log-level=warning --outfile=out/bench/quality.js
node out/bench/quality.js "$@"
