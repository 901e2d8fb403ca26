// The exponential-moving-average codebook update (van den Oord et al. 2017, appendix A.1; Razavi et al.
// 2019, eq. 3), used instead of the codebook loss when `codebookUpdate: 'ema'`:
//   N_k <- gamma N_k + (1 - gamma) n_k            n_k: encodings assigned to code k in the batch
//   m_k <- gamma m_k + (1 - gamma) sum_{i: k_i = k} z_i
//   e_k  = m_k / Ñ_k,  Ñ_k = (N_k + eps) / (sum_j N_j + K eps) * sum_j N_j   (Laplace smoothing, as in Sonnet)
// The state starts at N_k = 1, m_k = e_k (the initial codebook), so that e = m / N holds from the start
// and a code that is never chosen keeps its place while its averages decay.
import * as tf from '@tensorflow/tfjs-core';

/** Keeps a code whose average count decayed to zero from dividing by zero. */
export const EMA_EPSILON = 1e-5;

export type EmaState = {
  /** N_k, [K]. */
  clusterSize: tf.Tensor1D;
  /** m_k, [K, D]. */
  embedSum: tf.Tensor2D;
};

/** One EMA step from the encodings z [N, D] and their code indices [N]: the new averages and the new codebook e = m / Ñ. */
export function emaCodebookStep(state: EmaState, z: tf.Tensor2D, indices: tf.Tensor1D, decay: number): EmaState & { codebook: tf.Tensor2D } {
  return tf.tidy(() => {
    const codes = state.clusterSize.shape[0];
    const assignment = tf.cast(tf.oneHot(indices, codes), 'float32'); // [N, K]
    const counts = tf.sum(assignment, 0); // n_k
    const sums = tf.matMul(assignment, z, true, false); // sum of z_i assigned to k, [K, D]
    const clusterSize = tf.add(tf.mul(decay, state.clusterSize), tf.mul(1 - decay, counts)) as tf.Tensor1D;
    const embedSum = tf.add(tf.mul(decay, state.embedSum), tf.mul(1 - decay, sums)) as tf.Tensor2D;
    const total = tf.sum(clusterSize);
    const smoothed = tf.mul(tf.div(tf.add(clusterSize, EMA_EPSILON), tf.add(total, codes * EMA_EPSILON)), total);
    const codebook = tf.div(embedSum, tf.expandDims(smoothed, 1)) as tf.Tensor2D;
    return { clusterSize, embedSum, codebook };
  });
}
