// Best Dice over thresholds (methods.md §8, "greedy threshold search"): the segmentation
// "score >= t" is compared with the ground truth at every distinct threshold t, and the best
// Dice = 2TP / (2TP + FP + FN) = 2TP / (TP + FP + P) is kept, with the threshold that reaches it.

import { type ThresholdSweep, thresholdSweep } from './thresholdSweep';

export interface BestDice {
  /** NaN when there are no positives (Dice is 0/0 for the best, empty, segmentation). */
  dice: number;
  /** The lowest score counted anomalous at the best Dice (NaN with the Dice). */
  threshold: number;
}

export function bestDiceOf(sweep: ThresholdSweep): BestDice {
  const best: BestDice = { dice: NaN, threshold: NaN };
  if (sweep.positives === 0) return best;
  best.dice = 0;
  for (let k = 0; k < sweep.thresholds.length; k++) {
    const tp = sweep.truePositives[k];
    const dice = (2 * tp) / (tp + sweep.falsePositives[k] + sweep.positives);
    if (dice > best.dice) {
      best.dice = dice;
      best.threshold = sweep.thresholds[k];
    }
  }
  return best;
}

/** bestDiceOf scores and binary labels (1 = anomalous). */
export function bestDice(scores: Float32Array, labels: Uint8Array, weights?: Float32Array): BestDice {
  return bestDiceOf(thresholdSweep(scores, labels, weights));
}
