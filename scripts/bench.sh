#!/usr/bin/env bash
# npm run bench: builds the benchmarks (bench/) and runs them: tfjs wasm against a PyTorch CPU peer, scoring
# throughput, a whole volume, memory, a leak check, data I/O and the scoring process pool.
# The PyTorch peer is Debian's python3-torch with OpenBLAS; when missing it is installed if we are root,
# otherwise the tfjs side runs alone and the table says the peer is missing. Like the test and demo
# commands it runs npm ci first when node_modules is missing or stale (a fresh clone).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh

PYTHON=/usr/bin/python3
mkdir -p out/bench

if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing python3-torch and libopenblas0-pthread for the PyTorch peer (log: out/bench/apt.log) ..."
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch libopenblas0-pthread; } \
      >out/bench/apt.log 2>&1 || echo "The install failed (see out/bench/apt.log): the PyTorch peer will be missing."
  else
    echo "PyTorch is missing and we are not root: run 'apt-get install python3-torch libopenblas0-pthread' as root for the peer."
  fi
fi

# dist/worker.js for the process pool, then the bench bundles.
node esbuild.mjs
npx esbuild bench/main.ts bench/io.bench.ts --bundle --platform=node --format=cjs --target=node20 \
  --external:@tensorflow/* --external:webgpu --log-level=warning --outdir=out/bench
node --input-type=module -e "import('./scripts/patchWasmBackend.mjs').then((m) => m.writeThreadedWasmBackend('out/bench'))"

BENCH_PYTHON="$PYTHON" node out/bench/main.js
npx esbuild bench/memory.bench.ts --bundle --platform=node --format=cjs --target=node20 --log-level=warning --outdir=out/bench && node --expose-gc out/bench/memory.bench.js
