// The vector quantizer of the VQ-VAE (van den Oord et al. 2017, §3.1-3.2; methods.md §1), as pure
// functions. z: encoder outputs as rows [N, D]; e: the codebook [K, D].
import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from './stopGradient';

/** d[n, k] = ||z_n - e_k||^2 = |z_n|^2 - 2 z_n·e_k + |e_k|^2, [N, K]. */
export function squaredDistances(z: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor2D {
  const zNorms = tf.sum(tf.square(z), 1, true); // [N, 1]
  const codeNorms = tf.sum(tf.square(codebook), 1); // [K]
  return tf.add(tf.sub(zNorms, tf.mul(2, tf.matMul(z, codebook, false, true))), codeNorms);
}

// The choice of code is not differentiable; computing it inside a custom gradient keeps the distance
// computation off the gradient tape (no wasted backward matmuls through it).
const nearestCodeOp = tf.customGrad((z, codebook) => ({
  value: tf.argMin(squaredDistances(z as tf.Tensor2D, codebook as tf.Tensor2D), 1),
  gradFunc: () => [tf.zerosLike(z as tf.Tensor), tf.zerosLike(codebook as tf.Tensor)],
}));

/** k_n = argmin_k ||z_n - e_k||^2, int32 [N] (eq. 1). */
export function nearestCodeIndices(z: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor1D {
  return nearestCodeOp(z, codebook) as tf.Tensor1D;
}

/** z_q,n = e_{k_n} (eq. 2), as onehot(k) · e so that the codebook gets a gradient (tf.gather's fails on int32 indices). */
export function lookupCodes(indices: tf.Tensor1D, codebook: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.oneHot(indices, codebook.shape[0]), codebook);
}

/** Straight-through estimator z_e + sg[z_q - z_e]: the value of z_q, the gradient of z_e (§3.2). */
export function straightThrough<T extends tf.Tensor>(zE: T, zQ: T): T {
  return tf.add(zE, stopGradient(tf.sub(zQ, zE)));
}

/** Codebook loss mean ||sg[z_e] - e||^2 (eq. 3, second term): moves the codes towards the encodings. */
export function codebookLoss(zE: tf.Tensor, zQ: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(stopGradient(zE), zQ));
}

/** Commitment loss mean ||z_e - sg[e]||^2 (eq. 3, third term, before its weight beta): keeps the encodings near their codes. */
export function commitmentLoss(zE: tf.Tensor, zQ: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(zE, stopGradient(zQ)));
}

/** Quantization distance ||z_e - e_k||^2 per latent vector, summed over the last axis (the alignment map, methods.md §4). */
export function quantizationDistance<T extends tf.Tensor>(zE: T, zQ: T): tf.Tensor {
  return tf.sum(tf.squaredDifference(zE, zQ), -1);
}

export interface Quantized {
  /** The nearest codes e_k, same shape as z_e. */
  zQ: tf.Tensor4D;
  /** k per latent position, int32 [B, h, w]. */
  indices: tf.Tensor3D;
  /** ||z_e - e_k||^2 per latent position, [B, h, w]. */
  distance: tf.Tensor3D;
}

/** Quantizes a grid of encodings z_e [B, h, w, D] with the codebook [K, D]. */
export function quantizeGrid(zE: tf.Tensor4D, codebook: tf.Tensor2D): Quantized {
  const [batch, height, width, dim] = zE.shape;
  const rows = tf.reshape(zE, [batch * height * width, dim]) as tf.Tensor2D;
  const indices = nearestCodeIndices(rows, codebook);
  const zQ = tf.reshape(lookupCodes(indices, codebook), zE.shape) as tf.Tensor4D;
  return {
    zQ,
    indices: tf.reshape(indices, [batch, height, width]) as tf.Tensor3D,
    distance: quantizationDistance(zE, zQ) as tf.Tensor3D,
  };
}
