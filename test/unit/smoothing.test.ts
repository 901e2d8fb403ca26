// The smoothing of the restoration map (methods.md §6): MinPool then AvgPool, 2D and 3D, on hand arrays.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../models/runtime/backend';
import { minPool2d, minPool3d, smoothMap2d, smoothMap3d } from '../../models/scoring/smoothing';

before(async () => {
  await selectBackend('wasm');
});

const close = (actual: ArrayLike<number>, expected: number[], message?: string) =>
  assert.ok(
    Array.from(actual).every((v, i) => Math.abs(v - expected[i]) < 1e-6),
    `${message ?? ''} got [${Array.from(actual)}], expected [${expected}]`,
  );

test('minPool2d takes the minimum of each 3x3 neighbourhood inside the image', () => {
  const out = tf.tidy(() => minPool2d(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), 3).dataSync());
  close(out, [1, 1, 2, 1, 1, 2, 4, 4, 5]);
});

test('minPool3d takes the minimum of each 3x3x3 neighbourhood: for an increasing ramp, the value one step back on every axis', () => {
  const ramp = Array.from({ length: 27 }, (_, i) => i); // v(z, y, x) = x + 3y + 9z
  const out = tf.tidy(() => minPool3d(tf.tensor5d(ramp, [1, 3, 3, 3, 1]), [3, 3, 3]).dataSync());
  const v = (z: number, y: number, x: number) => x + 3 * y + 9 * z;
  const expected = ramp.map((_, i) => v(Math.max(Math.floor(i / 9) - 1, 0), Math.max((Math.floor(i / 3) % 3) - 1, 0), Math.max((i % 3) - 1, 0)));
  close(out, expected);
});

test('smoothMap2d removes an isolated pixel and spreads a 3x3 block over 7x7 windows (padding excluded)', () => {
  const spike = new Float32Array(81);
  spike[4 * 9 + 4] = 1;
  close(smoothMap2d(spike, 9, 9), new Array(81).fill(0), 'spike:');

  const block = new Float32Array(81);
  for (let y = 3; y <= 5; y++) for (let x = 3; x <= 5; x++) block[y * 9 + x] = 1;
  const smoothed = smoothMap2d(block, 9, 9);
  // After the MinPool only the centre (4, 4) is 1; the 7x7 average sees it from every pixel within 3.
  assert.ok(Math.abs(smoothed[4 * 9 + 4] - 1 / 49) < 1e-6); // full window
  assert.ok(Math.abs(smoothed[1 * 9 + 1] - 1 / 25) < 1e-6); // rows and columns 0..4 inside the image
  assert.equal(smoothed[0], 0); // (0, 0) is 4 away from the centre
});

test('smoothMap3d: MinPool 3x3x3 then AvgPool 3x7x7', () => {
  const [w, h, d] = [9, 9, 5];
  const at = (z: number, y: number, x: number) => (z * h + y) * w + x;
  const block = new Float32Array(w * h * d);
  for (let z = 1; z <= 3; z++) for (let y = 3; y <= 5; y++) for (let x = 3; x <= 5; x++) block[at(z, y, x)] = 1;
  const smoothed = smoothMap3d(block, w, h, d);
  assert.ok(Math.abs(smoothed[at(2, 4, 4)] - 1 / 147) < 1e-6); // 3 x 7 x 7 window, all inside
  assert.ok(Math.abs(smoothed[at(1, 4, 4)] - 1 / 147) < 1e-6); // slices 0..2 reach the centre slice 2
  assert.equal(smoothed[at(0, 4, 4)], 0); // slices 0..1 only
  assert.ok(Math.abs(smoothed[at(2, 1, 1)] - 1 / 75) < 1e-6); // 3 slices x 5 rows x 5 columns inside
});
