// Receiver operating characteristic (methods.md §8): true-positive rate against false-positive rate
// over all thresholds, and the area under it. With tie groups entering together (thresholdSweep), the
// trapezoid area equals the Mann-Whitney U statistic / (n_pos n_neg): the probability that a random
// positive scores above a random negative, ties counting one half.

import { type CurvePoint, trapezoidArea } from './curve';
import { type ThresholdSweep, thresholdSweep } from './thresholdSweep';

/** ROC points (x = FPR, y = TPR) from (0, 0) to (1, 1); empty when there are no positives or no negatives. */
export function rocCurve(sweep: ThresholdSweep): CurvePoint[] {
  if (sweep.positives === 0 || sweep.negatives === 0) return [];
  const points: CurvePoint[] = [{ x: 0, y: 0 }];
  for (let k = 0; k < sweep.thresholds.length; k++) {
    points.push({ x: sweep.falsePositives[k] / sweep.negatives, y: sweep.truePositives[k] / sweep.positives });
  }
  return points;
}

/** Area under the ROC curve; NaN when the labels are all positive or all negative (the ROC is undefined). */
export function rocAuc(sweep: ThresholdSweep): number {
  const points = rocCurve(sweep);
  return points.length === 0 ? NaN : trapezoidArea(points);
}

/** rocAuc of scores and binary labels (1 = anomalous). */
export function auroc(scores: Float32Array, labels: Uint8Array, weights?: Float32Array): number {
  return rocAuc(thresholdSweep(scores, labels, weights));
}
