// The LSR pixel score from latent-space restorations (methods.md §6, LSR §2.3): the restorations X_j
// that are close to the reference Y weigh most, so the score is the difference to the likeliest
// "healthy" versions of the image.
import * as tf from '@tensorflow/tfjs-core';

/** The temperature k of the weights (the LSR code: softmax(3 / mean L1)). */
export const RESTORATION_TEMPERATURE = 3;

/** w_j = softmax_j(k / d_j), d_j = mean_p |Y(p) - X_j(p)|: [S] -> [S]. */
export function restorationWeights(meanDistances: tf.Tensor1D, temperature: number = RESTORATION_TEMPERATURE): tf.Tensor1D {
  return tf.tidy(() => tf.softmax(tf.div(temperature, tf.maximum(meanDistances, 1e-12))) as tf.Tensor1D);
}

/**
 * AS(p) = sum_j w_j |Y(p) - X_j(p)| with the weights of restorationWeights: reference Y [P],
 * restorations X [S, P] -> [P].
 */
export function restorationScore(reference: tf.Tensor1D, restorations: tf.Tensor2D, temperature: number = RESTORATION_TEMPERATURE): tf.Tensor1D {
  return tf.tidy(() => {
    const distances = tf.abs(tf.sub(restorations, reference)); // [S, P]
    const weights = restorationWeights(tf.mean(distances, 1) as tf.Tensor1D, temperature);
    return tf.sum(tf.mul(distances, tf.reshape(weights, [-1, 1])), 0) as tf.Tensor1D;
  });
}
