// Precision-recall curve and average precision (methods.md §8), as scikit-learn defines them:
// AP = sum_k (R_k - R_{k-1}) P_k over the distinct thresholds, highest first, with R_0 = 0 — a step
// sum, not the trapezoid area and not the interpolated precision of PASCAL VOC.

import type { CurvePoint } from './curve';
import { type ThresholdSweep, thresholdSweep } from './thresholdSweep';

/** PR points (x = recall, y = precision), one per distinct threshold, highest first; empty without positives. */
export function precisionRecallCurve(sweep: ThresholdSweep): CurvePoint[] {
  if (sweep.positives === 0) return [];
  return Array.from(sweep.thresholds, (_, k) => ({
    x: sweep.truePositives[k] / sweep.positives,
    y: sweep.truePositives[k] / (sweep.truePositives[k] + sweep.falsePositives[k]),
  }));
}

/** Average precision; NaN when there are no positives (recall is undefined). */
export function averagePrecisionOf(sweep: ThresholdSweep): number {
  const points = precisionRecallCurve(sweep);
  if (points.length === 0) return NaN;
  let ap = 0;
  let previousRecall = 0;
  for (const { x: recall, y: precision } of points) {
    ap += (recall - previousRecall) * precision;
    previousRecall = recall;
  }
  return ap;
}

/** averagePrecisionOf scores and binary labels (1 = anomalous). */
export function averagePrecision(scores: Float32Array, labels: Uint8Array, weights?: Float32Array): number {
  return averagePrecisionOf(thresholdSweep(scores, labels, weights));
}
