import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { ssimAnomalyMap, ssimMap } from '../../models/scoring/ssim';

const C1 = 0.01 ** 2;

before(async () => {
  await tf.setBackend('cpu');
});

/** A [1, height, width, 1] image with value(x, y) at column x, row y. */
const image = (width: number, height: number, value: (x: number, y: number) => number): tf.Tensor4D =>
  tf.tensor4d(
    Float32Array.from({ length: width * height }, (_, i) => value(i % width, Math.floor(i / width))),
    [1, height, width, 1],
  );

/** Runs f and returns its result's values, checking that it leaves no tensor behind. */
function valuesOf(f: () => tf.Tensor): Float32Array {
  const before = tf.memory().numTensors;
  const result = f();
  const values = result.dataSync() as Float32Array;
  result.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  return values;
}

test('identical images have SSIM 1 everywhere, so their anomaly map is 0', () => {
  const x = image(12, 9, (c, r) => Math.sin(c * 0.7) * Math.cos(r * 1.3) * 0.5 + 0.5);
  const anomaly = valuesOf(() => ssimAnomalyMap(x, x));
  assert.equal(anomaly.length, 12 * 9);
  assert.ok(anomaly.every((v) => Math.abs(v) < 1e-6));
  x.dispose();
});

test('constant images a and b: SSIM = (2ab + c1) / (a^2 + b^2 + c1), the variance terms c2 / c2 cancel', () => {
  const [a, b] = [0.6, 0.2];
  const x = image(10, 10, () => a);
  const y = image(10, 10, () => b);
  const expected = (2 * a * b + C1) / (a * a + b * b + C1); // 0.2401 / 0.4001 = 0.60010...
  const ssim = valuesOf(() => ssimMap(x, y));
  assert.ok(
    ssim.every((v) => Math.abs(v - expected) < 1e-5),
    `${ssim[0]} != ${expected}`,
  );
  tf.dispose([x, y]);
});

test('a ramp and the same ramp shifted by d: inside the image SSIM = (2m(m + d) + c1) / (m^2 + (m + d)^2 + c1), m the pixel value', () => {
  // x = 0.05 column: the window mean is the centre value m, y's variance and the covariance equal x's
  // variance, so the structure term is 1 and only the luminance term is left.
  const d = 0.1;
  const x = image(16, 8, (c) => 0.05 * c);
  const y = image(16, 8, (c) => 0.05 * c + d);
  const ssim = valuesOf(() => ssimMap(x, y));
  for (let column = 3; column < 13; column++) {
    const m = 0.05 * column;
    const expected = (2 * m * (m + d) + C1) / (m * m + (m + d) ** 2 + C1);
    for (let row = 0; row < 8; row++) {
      assert.ok(Math.abs(ssim[row * 16 + column] - expected) < 1e-5, `column ${column}: ${ssim[row * 16 + column]} != ${expected}`);
    }
  }
  tf.dispose([x, y]);
});

test('borders mirror the image like skimage: values match structural_similarity(full=True, win_size=7, data_range=1)', () => {
  // Reference values from scipy.ndimage.uniform_filter (mode 'reflect'), skimage's formula, on these 8 x 8 images.
  const x = image(8, 8, (c, r) => ((r * 7 + c * 3) % 10) / 10);
  const y = image(8, 8, (c, r) => ((r * 3 + c * 5) % 10) / 10);
  const ssim = valuesOf(() => ssimMap(x, y));
  const reference: [number, number, number][] = [
    [0, 0, -0.1816585],
    [0, 7, -0.21294047],
    [3, 4, -0.03247925],
    [7, 7, -0.16539283],
    [5, 1, -0.33830544],
  ];
  for (const [row, column, expected] of reference) {
    assert.ok(Math.abs(ssim[row * 8 + column] - expected) < 1e-5, `(${row}, ${column}): ${ssim[row * 8 + column]} != ${expected}`);
  }
  tf.dispose([x, y]);
});

test('bad inputs are refused with a message naming the problem', () => {
  const x = image(8, 8, () => 0);
  const y = image(6, 8, () => 0);
  assert.throws(() => ssimMap(x, y), /ssimMap: the images must both be \[B, H, W, 1\]/);
  assert.throws(() => ssimMap(x, x, { windowSize: 4, dataRange: 1 }), /odd integer of at least 3, got 4/);
  tf.dispose([x, y]);
});
