// Anomaly maps of one image from its VQ-VAE reconstruction and quantization distances, and the image
// score. Pure functions on row-major (y then x) Float32Arrays.

import { FOREGROUND_THRESHOLD } from '../io/dataset';
import { selectPercentile } from '../io/normalize';

/** Residual map r(p) = |x(p) - x̂(p)|, the L1 reconstruction error per pixel (methods.md §4, §6). */
export function residualMap(input: Float32Array, reconstruction: Float32Array): Float32Array {
  if (input.length !== reconstruction.length) {
    throw new Error(`residualMap: input has ${input.length} pixels but the reconstruction ${reconstruction.length}`);
  }
  const residual = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) residual[i] = Math.abs(input[i] - reconstruction[i]);
  return residual;
}

/** Image score = mean of the map over all its pixels (methods.md §4); 0 for an empty map. */
export function meanOf(map: ArrayLike<number>): number {
  if (map.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < map.length; i++) sum += map[i];
  return sum / map.length;
}

/** The percentile of a map that scores a slice or a scan. */
export const SCORE_PERCENTILE = 99;

/**
 * The score of a slice or a scan: the SCORE_PERCENTILE-th percentile of its (post-processed) map over
 * the foreground of a volume (normalized image > FOREGROUND_THRESHOLD), over every pixel of a 2D image.
 * A percentile, not the mean, so that a small lesion counts and a large normal slice does not outrank it.
 */
export function scoreOfRegion(map: Float32Array, image: Float32Array, isVolume: boolean): number {
  const values = isVolume ? map.filter((_, i) => image[i] > FOREGROUND_THRESHOLD) : map.slice();
  return values.length > 0 ? selectPercentile(values, SCORE_PERCENTILE) : 0;
}
