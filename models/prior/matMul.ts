// Matrix product whose gradient uses explicit transposes. tf.matMul's own gradient multiplies with the
// transposeA / transposeB flags, and the wasm backend's BatchMatMul is 10 to 60 times slower with them
// (measured on [2048,128] x [128,512]: 25 ms plain, 300 ms transposeB, 1500 ms transposeA; an explicit
// tf.transpose first costs 10 to 20 ms), which made a prior training step 10x slower than its forward pass.
import * as tf from '@tensorflow/tfjs-core';

/** Swaps the last two axes: [..., r, c] -> [..., c, r]. */
export function transposeLast(t: tf.Tensor): tf.Tensor {
  const axes = t.shape.map((_, i) => i);
  axes.splice(-2, 2, t.rank - 1, t.rank - 2);
  return tf.transpose(t, axes);
}

/** y = a b, batched over the leading axes (same batch shape, no broadcasting); dA = dy b^T, dB = a^T dy. */
const matMulOp = tf.customGrad((a, b, save) => {
  (save as tf.GradSaveFunc)([a as tf.Tensor, b as tf.Tensor]);
  return {
    value: tf.matMul(a as tf.Tensor, b as tf.Tensor),
    gradFunc: (dy: tf.Tensor, [savedA, savedB]: tf.Tensor[]) => [tf.matMul(dy, transposeLast(savedB)), tf.matMul(transposeLast(savedA), dy)],
  };
});

/** a b with a fast gradient on every backend; a [..., r, k], b [..., k, c] with the same leading axes. */
export function matMul<T extends tf.Tensor>(a: T, b: tf.Tensor): T {
  return matMulOp(a, b) as T;
}
