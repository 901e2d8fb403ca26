// Per-scan intensity normalization to [0, 1] (methods.md §9), the range of the model's sigmoid output.
// Either way it is a linear map x -> (x - lo) / (hi - lo), clipped to [0, 1]:
//   'percentile' (default): lo, hi = the 0.5th and 99.5th percentiles;
//   'percentile-unclipped': the same lo, hi, clipped at 0 but only at UNCLIPPED_MAX above, so that
//             hyperintense lesions brighter than the 99.5th percentile keep their contrast;
//   'zscore': z = (x - mean) / std, then z in [Z_LOW, Z_HIGH] mapped to [0, 1] (the mean to 0.5), i.e.
//             lo = mean + Z_LOW std, hi = mean + Z_HIGH std.
// Statistics are taken over the foreground: the nonzero voxels when the scan has a zero background
// (skull-stripped brains, masked images), which would otherwise dominate them and which stays 0; else
// all voxels.

import type { Volume } from './volume';

export type Normalization = 'percentile' | 'percentile-unclipped' | 'zscore';
export const NORMALIZATIONS: readonly Normalization[] = ['percentile', 'percentile-unclipped', 'zscore'];

/** The cap of 'percentile-unclipped' (x at the 99.5th percentile maps to 1). */
export const UNCLIPPED_MAX = 2;

export const LOW_PERCENTILE = 0.5;
export const HIGH_PERCENTILE = 99.5;

/** z-scores mapped to 0 and 1 by the 'zscore' normalization (beyond them: clipped). */
export const Z_LOW = -3;
export const Z_HIGH = 3;

/**
 * A scan has a zero background when at least this fraction of its voxels is exactly 0 (registered
 * brains also hold a few small negative values from interpolation, so the minimum is not a test).
 */
export const ZERO_BACKGROUND_FRACTION = 0.1;

/**
 * out = clip((x - lo) / (hi - lo), 0, 1) with lo, hi as the method says, and out = 0 on a zero
 * background. When lo and hi coincide (e.g. a binary image) the full range min..max is used instead;
 * a constant scan becomes all 0.
 */
export function normalizeVolume(v: Volume, method: Normalization = 'percentile'): Float32Array {
  const nonzero = nonzeroValues(v.data);
  const zeroBackground = v.data.length - nonzero.length >= ZERO_BACKGROUND_FRACTION * v.data.length;
  const foreground = zeroBackground ? nonzero : v.data;
  const { lo, hi } = withFallback(method === 'zscore' ? zScoreRange(foreground) : percentileRange(foreground), v.data);
  const out = new Float32Array(v.data.length);
  if (hi <= lo) return out;
  const scale = 1 / (hi - lo);
  const top = method === 'percentile-unclipped' ? UNCLIPPED_MAX : 1;
  for (let i = 0; i < out.length; i++) {
    const x = v.data[i];
    out[i] = zeroBackground && x === 0 ? 0 : Math.min(top, Math.max(0, (x - lo) * scale));
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

interface Range {
  lo: number;
  hi: number;
}

/** The percentiles LOW..HIGH of the sample. */
function percentileRange(sample: Float32Array): Range {
  const values = sample.slice();
  return { lo: selectPercentile(values, LOW_PERCENTILE), hi: selectPercentile(values, HIGH_PERCENTILE) };
}

/** mean + Z_LOW std .. mean + Z_HIGH std of the sample (population std). */
function zScoreRange(sample: Float32Array): Range {
  let sum = 0;
  for (let i = 0; i < sample.length; i++) sum += sample[i];
  const mean = sum / sample.length;
  let squares = 0;
  for (let i = 0; i < sample.length; i++) squares += (sample[i] - mean) ** 2;
  const std = Math.sqrt(squares / sample.length);
  return { lo: mean + Z_LOW * std, hi: mean + Z_HIGH * std };
}

/** The range, or min..max of all the data when it is empty or NaN (an empty or constant sample). */
function withFallback(range: Range, data: Float32Array): Range {
  if (range.hi > range.lo) return range;
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

/**
 * The same percentile as `percentile` of the values sorted, found by selection in O(n) instead of an
 * O(n log n) sort (a 7-million-voxel volume sorts in about a second). Reorders `values`; NaN if empty.
 */
export function selectPercentile(values: Float32Array, p: number): number {
  if (values.length === 0) return NaN;
  const rank = (p / 100) * (values.length - 1);
  const below = Math.floor(rank);
  const low = selectInPlace(values, below);
  if (rank === below) return low;
  let next = Infinity; // the value of rank below + 1: the smallest of those after `below`
  for (let i = below + 1; i < values.length; i++) next = Math.min(next, values[i]);
  return low + (rank - below) * (next - low);
}

/**
 * Quickselect (Hoare partition, middle pivot): reorders the values so that the k-th smallest is at k,
 * none after it smaller, and returns it.
 */
function selectInPlace(a: Float32Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        [a[i], a[j]] = [a[j], a[i]];
        i++;
        j--;
      }
    }
    // Now a[left..j] <= pivot <= a[i..right], and anything between j and i equals the pivot.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}
