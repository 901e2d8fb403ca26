// The LSGS self-supervised training of the bidirectional prior (LSGS §3.2, methods.md §5): part of each
// token sequence is "tampered" with random codebook indices, and the transformer learns to restore the
// original sequence under the "abnormally focal loss".
import * as tf from '@tensorflow/tfjs-core';
import type { SeededRandom } from '../vqvae/seededRandom';
import { nllMap } from './nll';

/** LSGS: 10 % of the encoding sequence is replaced. */
export const LSGS_REPLACED_FRACTION = 0.1;
/** LSGS: beta = 0.01, the weight of the untampered positions. */
export const LSGS_FOCAL_BETA = 0.01;

export interface TamperedSequence {
  tokens: Int32Array;
  /** 1 where the token was replaced, else 0. */
  replaced: Float32Array;
}

/**
 * Replaces round(fraction * n) positions of `tokens`, chosen at random without repetition, with codes
 * drawn uniformly from [0, vocabSize) ("random embedding vectors of the codebook"; a draw may equal the
 * original code, as in the paper).
 */
export function tamperTokens(tokens: Int32Array, vocabSize: number, fraction: number, random: SeededRandom): TamperedSequence {
  const count = Math.round(fraction * tokens.length);
  const positions = random.shuffled(Array.from(tokens.keys())).slice(0, count);
  const tampered = Int32Array.from(tokens);
  const replaced = new Float32Array(tokens.length);
  for (const position of positions) {
    tampered[position] = random.int(vocabSize);
    replaced[position] = 1;
  }
  return { tokens: tampered, replaced };
}

/**
 * L = (1 - beta) * sum_{i in T} H_i + beta * sum_{i not in T} H_i (LSGS eq. 6), H_i the cross-entropy
 * of the ORIGINAL token at position i, T the tampered positions; summed per sequence as in eq. 6 and
 * averaged over the batch. logits [B, n, V], original int32 [B, n], replaced [B, n] (1 = tampered).
 */
export function focalReplacementLoss(logits: tf.Tensor3D, original: tf.Tensor2D, replaced: tf.Tensor2D, beta: number = LSGS_FOCAL_BETA): tf.Scalar {
  return tf.tidy(() => {
    const crossEntropy = nllMap(logits, original);
    const weights = tf.add(tf.mul(replaced, 1 - beta), tf.mul(tf.sub(1, replaced), beta)); // 1-beta on T, beta elsewhere
    return tf.mean(tf.sum(tf.mul(weights, crossEntropy), 1)) as tf.Scalar;
  });
}
