// Intensity normalization, bilinear resizing and axial slicing, checked against hand-computed values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeVolume, percentile, selectPercentile } from '../../models/io/normalize';
import { SeededRandom } from '../../models/vqvae/seededRandom';
import { resizeBilinear } from '../../models/io/resize';
import { axialSlice, setAxialSlice } from '../../models/io/slice';
import type { Volume } from '../../models/io/volume';

const flat = (data: number[]): Volume => ({ dims: [data.length, 1, 1], spacing: [1, 1, 1], data: Float32Array.from(data) });

function assertClose(actual: ArrayLike<number>, expected: number[], tolerance = 1e-6): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= tolerance, `[${i}]: ${actual[i]} != ${e}`));
}

test('percentile interpolates between ranks p/100 (n - 1)', () => {
  const sorted = Float32Array.from([10, 20, 30, 40, 50]);
  assert.equal(percentile(sorted, 0), 10);
  assert.equal(percentile(sorted, 50), 30);
  assert.equal(percentile(sorted, 60), 34); // rank 2.4
  assert.equal(percentile(sorted, 100), 50);
});

test('selectPercentile finds the percentile of the sorted values, with many ties or none', () => {
  const random = new SeededRandom(5, 'percentile');
  for (const [length, levels] of [
    [1, 10],
    [2, 10],
    [1000, 1e6],
    [1001, 3],
    [5000, 256],
  ]) {
    const values = Float32Array.from({ length }, () => random.int(levels));
    const sorted = values.slice().sort();
    for (const p of [0, 0.5, 37, 50, 99.5, 100]) {
      assert.equal(selectPercentile(values.slice(), p), percentile(sorted, p), `n ${length}, levels ${levels}, p ${p}`);
    }
  }
  assert.ok(Number.isNaN(selectPercentile(new Float32Array(0), 50)));
});

test('normalize clips at the 0.5/99.5 percentiles of all values when there is no zero background', () => {
  // 0..200 (one zero): p0.5 at rank 1 -> 1, p99.5 at rank 199 -> 199; out = clip((x - 1) / 198).
  const out = normalizeVolume(flat(Array.from({ length: 201 }, (_, i) => i)));
  assertClose([out[0], out[1], out[100], out[199], out[200]], [0, 0, 99 / 198, 1, 1]);
});

test('normalize takes the percentiles over nonzero voxels when the background is 0', () => {
  // 100 zeros + 1..101: over 1..101, p0.5 at rank 0.5 -> 1.5, p99.5 at rank 99.5 -> 100.5.
  const data = [...new Array(100).fill(0), ...Array.from({ length: 101 }, (_, i) => i + 1)];
  const out = normalizeVolume(flat(data));
  assertClose([out[0], out[100], out[150], out[200]], [0, 0, (51 - 1.5) / 99, 1]);
});

test('a zero background stays 0 even when the scan has negative values', () => {
  // Nonzero -2, 2, 6: p0.5 at rank 0.01 -> -1.96, p99.5 at rank 1.99 -> 5.96; 0 would map to 0.247.
  const out = normalizeVolume(flat([...new Array(10).fill(0), -2, 2, 6]));
  assertClose([out[0], out[10], out[11], out[12]], [0, 0, 3.96 / 7.92, 1]);
});

test('normalize keeps binary images 0/1 and makes constant ones 0', () => {
  assertClose(normalizeVolume(flat([0, 1, 0, 1, 1])), [0, 1, 0, 1, 1]);
  assertClose(normalizeVolume(flat([7, 7, 7])), [0, 0, 0]);
});

test('resize to the same size is the identity', () => {
  const src = Float32Array.from([1, 2, 3, 4, 5, 6]);
  assert.deepEqual(resizeBilinear(src, 3, 2, 3, 2), src);
});

test('resize 2x2 -> 4x4 samples at half-pixel centres 0, 0.25, 0.75, 1', () => {
  // src(x, y) = x + 2y; centres (i + 0.5) / 2 - 0.5 clamped: 0, 0.25, 0.75, 1 along both axes.
  const out = resizeBilinear(Float32Array.from([0, 1, 2, 3]), 2, 2, 4, 4);
  const f = [0, 0.25, 0.75, 1];
  assertClose(
    out,
    f.flatMap((fy) => f.map((fx) => fx + 2 * fy)),
  );
});

test('resize 4x4 -> 2x2 averages 2x2 blocks; non-square sizes work', () => {
  const src = Float32Array.from({ length: 16 }, (_, i) => i);
  assertClose(resizeBilinear(src, 4, 4, 2, 2), [2.5, 4.5, 10.5, 12.5]);
  // 4x1 -> 2x3: the single row is repeated; columns as above.
  assertClose(resizeBilinear(Float32Array.from([0, 1, 2, 3]), 4, 1, 2, 3), [0.5, 2.5, 0.5, 2.5, 0.5, 2.5]);
});

test('axialSlice flips bottom-up volumes so that the last row is on top; setAxialSlice inverts it', () => {
  // dims [2, 3, 2]: slice 1 holds 6..11, stored rows y = 0: [6, 7], y = 1: [8, 9], y = 2: [10, 11].
  const data = Float32Array.from({ length: 12 }, (_, i) => i);
  const bottomUp: Volume = { dims: [2, 3, 2], spacing: [1, 1, 1], data, rowOrder: 'bottom-up' };
  assert.deepEqual(axialSlice(bottomUp, 1), Float32Array.from([10, 11, 8, 9, 6, 7]));
  assert.deepEqual(axialSlice({ ...bottomUp, rowOrder: 'top-down' }, 1), Float32Array.from([6, 7, 8, 9, 10, 11]));
  assert.deepEqual(axialSlice({ ...bottomUp, rowOrder: undefined }, 0), Float32Array.from([0, 1, 2, 3, 4, 5]));
  const copy: Volume = { ...bottomUp, data: new Float32Array(12) };
  setAxialSlice(copy, 1, axialSlice(bottomUp, 1));
  assert.deepEqual(copy.data.subarray(6), data.subarray(6));
});

test('z-score normalization maps mean ± 3 std of the foreground to 0..1, the mean to 0.5', () => {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, std 2, so lo = 5 - 3·2 = -1, hi = 11 and out = (x + 1) / 12.
  const values = [2, 4, 4, 4, 5, 5, 7, 9];
  const expected = values.map((x) => (x + 1) / 12);
  assertClose(normalizeVolume(flat(values), 'zscore'), expected);
  // With a zero background the statistics are those of the nonzero voxels, and the background stays 0.
  assertClose(normalizeVolume(flat([...new Array(10).fill(0), ...values]), 'zscore'), [...new Array(10).fill(0), ...expected]);
  // Beyond 3 std: clipped, so a far outlier saturates at 1.
  const outlier = normalizeVolume(flat([...values, ...values, ...values, 1000]), 'zscore');
  assert.equal(outlier[outlier.length - 1], 1);
  assertClose(normalizeVolume(flat([7, 7, 7]), 'zscore'), [0, 0, 0]);
});
