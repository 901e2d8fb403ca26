// Per-scan intensity normalization (methods.md §9): clip to the 0.5th..99.5th percentiles, then scale
// linearly to [0, 1]. A zero background (skull-stripped brains, masked images) is left out of the
// percentiles, which it would otherwise dominate, and stays 0.

import type { Volume } from './volume';

export const LOW_PERCENTILE = 0.5;
export const HIGH_PERCENTILE = 99.5;

/**
 * A scan has a zero background when at least this fraction of its voxels is exactly 0 (registered
 * brains also hold a few small negative values from interpolation, so the minimum is not a test).
 */
export const ZERO_BACKGROUND_FRACTION = 0.1;

/**
 * out = clip((x - lo) / (hi - lo), 0, 1) with lo, hi the percentiles above, and out = 0 on a zero
 * background. When lo and hi coincide (e.g. a binary image) the full range min..max is used instead;
 * a constant scan becomes all 0.
 */
export function normalizeVolume(v: Volume): Float32Array {
  const nonzero = nonzeroValues(v.data);
  const zeroBackground = v.data.length - nonzero.length >= ZERO_BACKGROUND_FRACTION * v.data.length;
  const { lo, hi } = clipRange(zeroBackground ? nonzero : v.data, v.data);
  const out = new Float32Array(v.data.length);
  if (hi <= lo) return out;
  const scale = 1 / (hi - lo);
  for (let i = 0; i < out.length; i++) {
    const x = v.data[i];
    out[i] = zeroBackground && x === 0 ? 0 : Math.min(1, Math.max(0, (x - lo) * scale));
  }
  return out;
}

// Indexed loops below: for-of and filter on typed arrays are several times slower on 10^7 voxels.

function nonzeroValues(data: Float32Array): Float32Array {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) count++;
  const values = new Float32Array(count);
  for (let i = 0, k = 0; i < data.length; i++) if (data[i] !== 0) values[k++] = data[i];
  return values;
}

/** The percentiles LOW..HIGH of the sample, or min..max of all the data when they coincide. */
function clipRange(sample: Float32Array, data: Float32Array): { lo: number; hi: number } {
  const sorted = sample.slice().sort();
  const lo = percentile(sorted, LOW_PERCENTILE);
  const hi = percentile(sorted, HIGH_PERCENTILE);
  if (sorted.length > 0 && hi > lo) return { lo, hi };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    min = Math.min(min, data[i]);
    max = Math.max(max, data[i]);
  }
  return { lo: min, hi: max };
}

/** Percentile p (0..100) of ascending values, interpolated linearly between ranks: rank = p/100 (n - 1). */
export function percentile(sorted: Float32Array, p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
}
