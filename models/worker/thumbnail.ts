// The gallery's small picture of a scored scan: one slice of the normalized image and of its residual
// map, resized (bilinear) so that the longer side is `size` pixels. A 2D image shows its only slice; a
// volume its most anomalous axial slice, with rows flipped as the scan viewer shows volumes (row 0 at
// the bottom: webview/render.ts isFlippedY).

import { resizeBilinear } from '../io/resize';
import type { Grid, Thumbnail } from './protocol';

/** What thumbnailOf needs of a scan's scoring (scoring/scoreScan.ts VolumeScore). */
export interface ScoredScan {
  image: Grid;
  maps: { residual: Grid };
  sliceScores: number[];
}

export function thumbnailOf(scored: ScoredScan, size: number): Thumbnail {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Thumbnail size must be a positive whole number, not ${size}`);
  const [width, height, depth] = scored.image.dims;
  const slice = depth > 1 ? indexOfMax(scored.sliceScores) : 0;
  const scale = size / Math.max(width, height);
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  const small = (grid: Grid): Grid => {
    const resized = resizeBilinear(axialSlice(grid, slice), width, height, outWidth, outHeight);
    return { dims: [outWidth, outHeight, 1], data: depth > 1 ? flipRows(resized, outWidth) : resized };
  };
  return { image: small(scored.image), map: small(scored.maps.residual), slice };
}

/** The first index of the largest value (0 for an empty list). */
export function indexOfMax(values: number[]): number {
  let best = 0;
  values.forEach((value, index) => {
    if (value > values[best]) best = index;
  });
  return best;
}

/** Slice z of an x-fastest grid, row-major. */
function axialSlice(grid: Grid, z: number): Float32Array {
  const [width, height] = grid.dims;
  return grid.data.subarray(z * width * height, (z + 1) * width * height);
}

/** The rows of a row-major image in reverse order. */
function flipRows(pixels: Float32Array, width: number): Float32Array {
  const height = pixels.length / width;
  const flipped = new Float32Array(pixels.length);
  for (let y = 0; y < height; y++) flipped.set(pixels.subarray(y * width, (y + 1) * width), (height - 1 - y) * width);
  return flipped;
}
