#!/usr/bin/env bash
# The semi-supervised VQ-VAE (ss-VQ-VAE, methods.md §3) on magnetic-tile: two labelled defect images of
# each defect type (the first two of each type in test.csv, 10 in all) join the training as labelled
# anomalies and leave the test set; trains on train.txt as eval-magnetic-tile.sh does, then evaluates it
# and, for comparison on the same reduced test set, the plain model of eval-magnetic-tile.sh when given.
# Usage: bash scripts/eval-magnetic-tile-ss.sh OUT_DIR BASELINE_OUT_DIR [extra `cli.js train` flags...]
#   e.g. bash scripts/eval-magnetic-tile.sh out/mt --epochs 8
#        bash scripts/eval-magnetic-tile-ss.sh out/mt-ss out/mt --epochs 8
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/eval-lib.sh
DATA=$(shared_data magnetic-tile test.csv)
OUT=${1:?usage: eval-magnetic-tile-ss.sh OUT_DIR BASELINE_OUT_DIR [train flags]}
BASELINE=${2:?usage: eval-magnetic-tile-ss.sh OUT_DIR BASELINE_OUT_DIR [train flags]}
shift 2
[ -d "$BASELINE/train" ] || { echo "$BASELINE/train is missing: run scripts/eval-magnetic-tile.sh $BASELINE first" >&2; exit 1; }
build_cli

rm -rf "$OUT" && mkdir -p "$OUT/anomalous"
python3 - "$DATA" "$OUT" <<'PY'
import csv, os, sys
data, out = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(os.path.join(data, 'test.csv'))))
taken, picked = {}, set()
for r in rows:
    if r['label'] == '1' and taken.get(r['defect_type'], 0) < 2:
        taken[r['defect_type']] = taken.get(r['defect_type'], 0) + 1
        picked.add(r['image'])
        os.symlink(os.path.join(data, r['image']), os.path.join(out, 'anomalous', r['image'].replace('/', '_')))
with open(os.path.join(out, 'test.csv'), 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=['image', 'mask', 'label', 'defect_type'])
    w.writeheader()
    for r in rows:
        if r['image'] not in picked:
            w.writerow({**r, 'image': os.path.relpath(os.path.join(data, r['image']), out), 'mask': os.path.relpath(os.path.join(data, r['mask']), out) if r['mask'] else ''})
print(len(picked), 'labelled anomalies;', len(rows) - len(picked), 'test images')
PY

start=$(date +%s)
node dist/cli.js train "$BASELINE/train" --out "$OUT/model" --anomalous "$OUT/anomalous" --backend wasm "$@"
trained=$(date +%s)
node dist/cli.js evaluate "$OUT/model" "$OUT/test.csv" --out "$OUT/report" --backend wasm
done_at=$(date +%s)
[ -d "$BASELINE/model" ] && node dist/cli.js evaluate "$BASELINE/model" "$OUT/test.csv" --out "$OUT/report-baseline" --backend wasm
echo "training: $((trained - start)) s, evaluation: $((done_at - trained)) s; reports: $OUT/report/report.md, $OUT/report-baseline/report.md"
