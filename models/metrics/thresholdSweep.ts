// The shared core of every threshold metric (methods.md §8): sort the samples by score, highest first,
// and sweep the threshold down through each distinct score, counting the (weighted) true and false
// positives predicted at each threshold. Samples with equal scores form one tie group and enter
// together, so ties are never split by an arbitrary order. O(n log n) for the sort, O(n) for the sweep.

/** Cumulative counts at each distinct threshold, highest first: entry k predicts "anomalous" for score >= thresholds[k]. */
export interface ThresholdSweep {
  thresholds: Float64Array;
  /** Weight of the positives (label 1) with score >= thresholds[k]. */
  truePositives: Float64Array;
  /** Weight of the negatives (label 0) with score >= thresholds[k]. */
  falsePositives: Float64Array;
  /** Total weight of the positives and of the negatives. */
  positives: number;
  negatives: number;
}

/**
 * Sweeps the threshold over `scores` with binary `labels` (1 = anomalous); `weights` (default 1 each)
 * let a subsample stand for the pixels it was drawn from (see evaluate/pixelSample.ts).
 */
export function thresholdSweep(scores: Float32Array, labels: Uint8Array, weights?: Float32Array): ThresholdSweep {
  checkSameLength(scores, labels, weights);
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => scores[b] - scores[a]);

  const thresholds: number[] = [];
  const truePositives: number[] = [];
  const falsePositives: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const weight = weights ? weights[i] : 1;
    if (labels[i] === 1) tp += weight;
    else fp += weight;
    const endOfTieGroup = k === order.length - 1 || scores[order[k + 1]] !== scores[i];
    if (endOfTieGroup) {
      thresholds.push(scores[i]);
      truePositives.push(tp);
      falsePositives.push(fp);
    }
  }
  return {
    thresholds: Float64Array.from(thresholds),
    truePositives: Float64Array.from(truePositives),
    falsePositives: Float64Array.from(falsePositives),
    positives: tp,
    negatives: fp,
  };
}

function checkSameLength(scores: Float32Array, labels: Uint8Array, weights?: Float32Array): void {
  if (labels.length !== scores.length || (weights && weights.length !== scores.length)) {
    const weightText = weights ? `, ${weights.length} weights` : '';
    throw new Error(`thresholdSweep: ${scores.length} scores but ${labels.length} labels${weightText}`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new Error(`thresholdSweep: score ${i} is NaN`);
    if (labels[i] > 1) throw new Error(`thresholdSweep: label ${i} is ${labels[i]}, expected 0 or 1`);
  }
}
