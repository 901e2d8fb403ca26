// Anomaly maps of one image from its VQ-VAE reconstruction and quantization distances, and the image
// score. Pure functions on row-major (y then x) Float32Arrays.

import { resizeBilinear } from '../io/resize';

/** Residual map r(p) = |x(p) - x̂(p)|, the L1 reconstruction error per pixel (methods.md §4, §6). */
export function residualMap(input: Float32Array, reconstruction: Float32Array): Float32Array {
  if (input.length !== reconstruction.length) {
    throw new Error(`residualMap: input has ${input.length} pixels but the reconstruction ${reconstruction.length}`);
  }
  const residual = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) residual[i] = Math.abs(input[i] - reconstruction[i]);
  return residual;
}

/**
 * Alignment map AM = ||sg[z_e] - e_k||^2 per latent position (methods.md §4, Gangloff et al.), given
 * the quantization distances on the latentW x latentH token grid, upsampled bilinearly to width x height.
 */
export function alignmentMap(
  distance: Float32Array,
  latentW: number,
  latentH: number,
  width: number,
  height: number,
): Float32Array {
  return resizeBilinear(distance, latentW, latentH, width, height);
}

/** Image score = mean of the map over all its pixels (methods.md §4); 0 for an empty map. */
export function meanOf(map: ArrayLike<number>): number {
  if (map.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < map.length; i++) sum += map[i];
  return sum / map.length;
}

/** Foreground masking m(p) * a(p), m(p) = 1 where the normalized image exceeds the threshold (methods.md §6). */
export function maskByForeground(map: Float32Array, image: Float32Array, threshold: number): Float32Array {
  return map.map((value, i) => (image[i] > threshold ? value : 0));
}
