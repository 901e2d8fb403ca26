// AUPRO, the area under the per-region-overlap curve (methods.md §8; Bergmann et al., MVTec AD, 2021).
// At a threshold t, the overlap of a ground-truth region (a connected component, per image) is the
// fraction of its pixels with score >= t; PRO(t) is the mean overlap over all regions. AUPRO integrates
// PRO over the false-positive rate from 0 to maxFpr (0.3 by default) and divides by maxFpr, so 1 is perfect.
// Exact: PRO is a true-positive rate in which each anomalous pixel weighs 1 / (|its region| x regions),
// so one thresholdSweep gives the whole curve.

import { type CurvePoint, trapezoidArea } from './curve';
import { rocCurve } from './roc';
import { thresholdSweep } from './thresholdSweep';

export const DEFAULT_MAX_FPR = 0.3;

/**
 * The PRO curve (x = FPR, y = PRO) from (0, 0). `regions[i]` is 0 for a normal pixel, else the number
 * (1..n, unique over all images) of the ground-truth region pixel i belongs to. `negativeWeights`
 * (default 1) weigh the normal pixels of a subsample. Empty without regions or without normal pixels.
 */
export function proCurve(scores: Float32Array, regions: Int32Array, negativeWeights?: Float32Array): CurvePoint[] {
  if (regions.length !== scores.length) throw new Error(`proCurve: ${scores.length} scores but ${regions.length} region numbers`);
  const regionSizes = new Map<number, number>();
  for (const region of regions) if (region !== 0) regionSizes.set(region, (regionSizes.get(region) ?? 0) + 1);

  const labels = new Uint8Array(scores.length);
  const weights = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const region = regions[i];
    labels[i] = region === 0 ? 0 : 1;
    weights[i] = region === 0 ? (negativeWeights?.[i] ?? 1) : 1 / (regionSizes.get(region)! * regionSizes.size);
  }
  // The ROC of this weighted sweep: its true-positive rate is the PRO.
  return rocCurve(thresholdSweep(scores, labels, weights));
}

/** Normalized AUPRO up to `maxFpr`; NaN without ground-truth regions or without normal pixels. */
export function auPro(scores: Float32Array, regions: Int32Array, maxFpr = DEFAULT_MAX_FPR, negativeWeights?: Float32Array): number {
  const points = proCurve(scores, regions, negativeWeights);
  return points.length === 0 ? NaN : trapezoidArea(points, maxFpr) / maxFpr;
}
