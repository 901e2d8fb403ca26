// The smoothing of the LSR restoration map (methods.md §6, LSR §2.3): a MinPool removes isolated
// high values (single noisy pixels), then an AvgPool spreads what is left over its neighbourhood.
// Stride 1 with 'same' padding keeps the size; at the borders the pools use only the pixels inside.
import * as tf from '@tensorflow/tfjs-core';

/** 2D: MinPool 3x3, then AvgPool 7x7. */
export const MIN_POOL_2D = 3;
export const AVG_POOL_2D = 7;
/** 3D (volumes): MinPool 3x3x3, then AvgPool 3x7x7 (3 slices, 7x7 in-plane). */
export const MIN_POOL_3D: [number, number, number] = [3, 3, 3];
export const AVG_POOL_3D: [number, number, number] = [3, 7, 7];

/** min over a size x size window, as -max(-x): [B, H, W, C]. */
export function minPool2d(x: tf.Tensor4D, size: number): tf.Tensor4D {
  return tf.tidy(() => tf.neg(tf.maxPool(tf.neg(x), size, 1, 'same')));
}

/**
 * min over a [depth, height, width] window, as c - max(c - x) with c = max(x): [B, D, H, W, C]. The
 * pooled values c - x are >= 0 because the wasm MaxPool3D kernel starts its maximum at FLT_MIN, not -inf.
 */
export function minPool3d(x: tf.Tensor5D, size: [number, number, number]): tf.Tensor5D {
  return tf.tidy(() => {
    const top = tf.max(x);
    return tf.sub(top, tf.maxPool3d(tf.sub(top, x) as tf.Tensor5D, size, 1, 'same'));
  });
}

/** AvgPool_7x7(MinPool_3x3(map)) of a width x height map (row-major). */
export function smoothMap2d(map: Float32Array, width: number, height: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(map, [1, height, width, 1]);
    return tf.avgPool(minPool2d(x, MIN_POOL_2D), AVG_POOL_2D, 1, 'same').dataSync() as Float32Array;
  });
}

/** AvgPool_3x7x7(MinPool_3x3x3(map)) of a width x height x depth map (x fastest, then y, then z). */
export function smoothMap3d(map: Float32Array, width: number, height: number, depth: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor5d(map, [1, depth, height, width, 1]);
    return tf.avgPool3d(minPool3d(x, MIN_POOL_3D), AVG_POOL_3D, 1, 'same').dataSync() as Float32Array;
  });
}
