#!/usr/bin/env bash
# Trains a VQ-VAE on the FLAIR volumes of brain-ms patients 07 and 19 (all axial slices with brain,
# lesions included: contaminated training data) and evaluates it on patient 26's FLAIR with its
# expert lesion mask (a slice is an anomalous sample from 20 lesion pixels).
# Usage: bash scripts/eval-brain-ms.sh [OUT_DIR] [extra `cli.js train` flags...]
# Needs ../shared/data/brain-ms (see its README). Writes OUT_DIR/model and OUT_DIR/report.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/eval-lib.sh
DATA=$(shared_data brain-ms patient26/FLAIR.nii.gz)
OUT=${1:-out/brain-ms}
shift || true
build_cli

rm -rf "$OUT" && mkdir -p "$OUT/train" "$OUT/test"
for p in patient07 patient19; do ln -s "$DATA/$p/FLAIR.nii.gz" "$OUT/train/${p}_FLAIR.nii.gz"; done
ln -s "$DATA/patient26/FLAIR.nii.gz" "$OUT/test/patient26_FLAIR.nii.gz"
ln -s "$DATA/patient26/lesion_mask.nii.gz" "$OUT/test/patient26_lesion_mask.nii.gz"

start=$(date +%s)
node dist/cli.js train "$OUT/train" --out "$OUT/model" --backend wasm "$@"
trained=$(date +%s)
node dist/cli.js evaluate "$OUT/model" "$OUT/test" --out "$OUT/report" --backend wasm
done_at=$(date +%s)
echo "training: $((trained - start)) s, evaluation: $((done_at - trained)) s; report: $OUT/report/report.md"
