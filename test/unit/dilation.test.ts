import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { greyDilation } from '../../models/scoring/dilation';

before(async () => {
  await tf.setBackend('cpu');
});

const dilate = (values: number[], side: number, size: number): number[] => {
  const map = tf.tensor4d(values, [1, side, side, 1]);
  const dilated = greyDilation(map, size);
  const result = Array.from(dilated.dataSync());
  tf.dispose([map, dilated]);
  return result;
};

test('a single 1 in a 5 x 5 zero map dilated with a 3 x 3 square becomes a 3 x 3 block of 1', () => {
  const map = new Array(25).fill(0);
  map[2 * 5 + 2] = 1;
  assert.deepEqual(dilate(map, 5, 3), [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
});

test('at the border pixels outside are ignored, not taken as 0: negative maps keep their own maximum', () => {
  // -1 everywhere except -0.5 in the corner: a zero-padded max filter would give 0 on the whole border.
  const map = new Array(9).fill(-1);
  map[0] = -0.5;
  assert.deepEqual(dilate(map, 3, 3), [-0.5, -0.5, -1, -0.5, -0.5, -1, -1, -1, -1]);
});

test('a grey map: each pixel becomes the maximum of its 3 x 3 neighbourhood; size 1 changes nothing', () => {
  const map = [1, 2, 3, 4, 0, 0, 0, 0, 9];
  assert.deepEqual(dilate(map, 3, 3), [4, 4, 3, 4, 9, 9, 4, 9, 9]);
  assert.deepEqual(dilate(map, 3, 1), map);
});

test('an even or non-integer size is refused', () => {
  const map = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
  assert.throws(() => greyDilation(map, 4), /odd positive integer.*got 4/);
  assert.throws(() => greyDilation(map, 2.5), /got 2.5/);
  map.dispose();
});
