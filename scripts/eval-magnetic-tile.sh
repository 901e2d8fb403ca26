#!/usr/bin/env bash
# Trains a VQ-VAE on the magnetic-tile training split (train.txt) and evaluates it on test.csv.
# Usage: bash scripts/eval-magnetic-tile.sh [OUT_DIR] [extra `cli.js train` flags...]
#   e.g. bash scripts/eval-magnetic-tile.sh out/mt --epochs 20 --preset cpu-medium
# Needs ../shared/data/magnetic-tile (see its README). Writes OUT_DIR/model and OUT_DIR/report
# (report.md, report.json, ROC/PR plots) and prints the training and evaluation times.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/eval-lib.sh
DATA=$(shared_data magnetic-tile train.txt)
OUT=${1:-out/magnetic-tile}
shift || true
build_cli

# The CLI trains on a folder: link the train.txt images into one.
rm -rf "$OUT" && mkdir -p "$OUT/train"
while read -r image; do
  [ -n "$image" ] && ln -s "$DATA/$image" "$OUT/train/$(echo "$image" | tr '/' '_')"
done < "$DATA/train.txt"

start=$(date +%s)
node dist/cli.js train "$OUT/train" --out "$OUT/model" --backend wasm "$@"
trained=$(date +%s)
node dist/cli.js evaluate "$OUT/model" "$DATA/test.csv" --out "$OUT/report" --backend wasm
done_at=$(date +%s)
echo "training: $((trained - start)) s, evaluation: $((done_at - trained)) s; report: $OUT/report/report.md"
