// Fitting slices to the model's square input: anti-aliased shrinking (every source pixel counts),
// padding that keeps the aspect ratio, and the way back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromModelGrid, toModelInput } from '../../models/io/modelGrid';
import { resizeBilinear, resizeImage } from '../../models/io/resize';

const close = (actual: Float32Array, expected: number[]) => {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) < 1e-6, `value ${i}: ${actual[i]} != ${e}`));
};

test('shrinking averages the source pixels each output pixel covers, partial pixels by their overlap', () => {
  close(resizeImage(Float32Array.of(1, 3, 5, 7), 4, 1, 2, 1), [2, 6]);
  // 3 -> 2: output 0 covers [0, 1.5): (1 * a0 + 0.5 * a1) / 1.5; output 1 covers [1.5, 3): (0.5 * a1 + a2) / 1.5.
  close(resizeImage(Float32Array.of(0, 3, 6), 3, 1, 2, 1), [1, 5]);
  // A one-pixel spike in 8 pixels shrunk to 2 still shows (bilinear sampling would skip it).
  const spike = Float32Array.of(0, 0, 0, 8, 0, 0, 0, 0);
  close(resizeImage(spike, 8, 1, 2, 1), [2, 0]);
  close(resizeBilinear(spike, 8, 1, 2, 1), [0, 0]);
  // Enlarging is bilinear.
  close(resizeImage(Float32Array.of(0, 4), 2, 1, 4, 1), Array.from(resizeBilinear(Float32Array.of(0, 4), 2, 1, 4, 1)));
});

test('pad centres a 4 x 2 slice on a 4 x 4 square of zeros; the way back crops it out again', () => {
  const slice = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const input = toModelInput(slice, 4, 2, 4, 'pad');
  close(input, [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
  close(fromModelGrid(input, 4, 4, 4, 2, 'pad'), Array.from(slice));
  // Stretch resizes the slice itself: its rows are averaged pairs of columns' neighbours, no zero rows.
  assert.ok(toModelInput(slice, 4, 2, 4, 'stretch').every((v) => v > 0));
  // A 2 x 2 token grid over the padded square: its top row covers the padding, its bottom row the slice's lower half.
  close(fromModelGrid(Float32Array.of(0, 0, 8, 8), 2, 2, 4, 2, 'pad'), [2, 2, 2, 2, 6, 6, 6, 6]);
});
