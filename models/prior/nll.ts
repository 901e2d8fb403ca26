// Scores from a prior (methods.md §6): the per-token negative log-likelihood map, the LSR sample score
// and the calibration of its threshold on held-out normal data.
import * as tf from '@tensorflow/tfjs-core';
import { percentile } from '../io/normalize';

/**
 * nll_i = -log softmax(logits_i)[s_i], the negative log-likelihood of the true token at every position
 * (methods.md §6): logits [B, n, V], tokens int32 [B, n] -> [B, n]. Differentiable in the logits, so it
 * is also the per-token cross-entropy the prior trains on.
 */
export function nllMap(logits: tf.Tensor3D, tokens: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const vocab = logits.shape[2];
    const truth = tf.oneHot(tokens, vocab); // [B, n, V], 1 at the true token
    return tf.neg(tf.sum(tf.mul(truth, tf.logSoftmax(logits)), -1)) as tf.Tensor2D;
  });
}

/** AS_sample = sum_i xi(nll_i), xi(v) = v if v > lambda_s else 0 (LSR §2.2; lambda_s = 7 in the paper). */
export function sampleScore(nll: ArrayLike<number>, lambdaS: number): number {
  let score = 0;
  for (let i = 0; i < nll.length; i++) if (nll[i] > lambdaS) score += nll[i];
  return score;
}

/**
 * The threshold lambda as the `percentile` (0..100) of the NLL values of held-out normal data, linearly
 * interpolated (LSR §3: lambda_s = 7 was the 98th percentile, lambda_p = 5 the 90th).
 */
export function calibrateLambda(nllValues: ArrayLike<number>, percentileRank: number): number {
  if (nllValues.length === 0) throw new Error('calibrateLambda: no NLL values to calibrate on');
  if (!(percentileRank >= 0 && percentileRank <= 100)) throw new Error(`calibrateLambda: percentile must be in [0, 100], got ${percentileRank}`);
  return percentile(Float32Array.from(nllValues).sort(), percentileRank);
}

/**
 * The autoregressive training loss: mean of nll_i over the kept positions, sum_i keep_i nll_i / sum_i keep_i
 * (ILTM §3.2 leaves masked tokens out of the cross-entropy). keep [B, n], 1 = in the loss; all when absent.
 */
export function maskedMeanNll(logits: tf.Tensor3D, tokens: tf.Tensor2D, keep?: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const nll = nllMap(logits, tokens);
    if (keep === undefined) return tf.mean(nll) as tf.Scalar;
    return tf.div(tf.sum(tf.mul(nll, keep)), tf.maximum(tf.sum(keep), 1)) as tf.Scalar;
  });
}
