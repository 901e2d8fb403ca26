// The vector quantizer's maths on a hand-computed 2D example: distances, nearest codes, the
// straight-through gradient, and which loss term moves which tensor.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../models/runtime/backend';
import {
  codebookLoss,
  commitmentLoss,
  lookupCodes,
  nearestCodeIndices,
  quantizationDistance,
  quantizeGrid,
  squaredDistances,
  straightThrough,
} from '../../models/vqvae/quantizer';
import { stopGradient } from '../../models/vqvae/stopGradient';

before(async () => {
  await selectBackend('wasm');
});

// Two encodings and three codes in 2D. Distances by hand:
//   z0 = (0,0): e0 (1,0) -> 1, e1 (0,2) -> 4, e2 (3,3) -> 18   => nearest e0
//   z1 = (1,2): e0 -> 0+4 = 4, e1 -> 1+0 = 1, e2 -> 4+1 = 5    => nearest e1
const Z = [
  [0, 0],
  [1, 2],
];
const CODEBOOK = [
  [1, 0],
  [0, 2],
  [3, 3],
];

const z = (): tf.Tensor2D => tf.tensor2d(Z);
const codebook = (): tf.Tensor2D => tf.tensor2d(CODEBOOK);

test('squared distances |z|^2 - 2 z·e + |e|^2 match the hand-computed table', () => {
  const d = squaredDistances(z(), codebook());
  assert.deepEqual(d.arraySync(), [
    [1, 4, 18],
    [4, 1, 5],
  ]);
});

test('nearest code indices are the argmin of the distances, as int32', () => {
  const indices = nearestCodeIndices(z(), codebook());
  assert.equal(indices.dtype, 'int32');
  assert.deepEqual(indices.arraySync(), [0, 1]);
});

test('lookupCodes returns the chosen codebook rows, and the quantization distance is the minimum distance', () => {
  const zQ = lookupCodes(tf.tensor1d([0, 1], 'int32'), codebook());
  assert.deepEqual(zQ.arraySync(), [
    [1, 0],
    [0, 2],
  ]);
  assert.deepEqual(quantizationDistance(z(), zQ).arraySync(), [1, 1]);
});

test('quantizeGrid works per latent position of a [B, h, w, D] grid', () => {
  // Batch 1, a 1x2 grid holding the two encodings.
  const grid = tf.tensor4d(Z.flat(), [1, 1, 2, 2]);
  const { zQ, indices, distance } = quantizeGrid(grid, codebook());
  assert.deepEqual(indices.shape, [1, 1, 2]);
  assert.deepEqual(indices.arraySync(), [[[0, 1]]]);
  assert.deepEqual(zQ.arraySync(), [
    [
      [
        [1, 0],
        [0, 2],
      ],
    ],
  ]);
  assert.deepEqual(distance.arraySync(), [[[1, 1]]]);
});

test('stopGradient passes the value and blocks the gradient', () => {
  const x = tf.tensor1d([1, -2, 3]);
  assert.deepEqual(stopGradient(x).arraySync(), [1, -2, 3]);
  // d/dx sum(x * sg(x)) = sg(x): only the first factor carries a gradient.
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, stopGradient(t))))(x);
  assert.deepEqual(dx.arraySync(), [1, -2, 3]);
});

test('straight-through: the gradient reaches z_e unchanged and the codebook not at all', () => {
  const c = tf.tensor2d([
    [0.5, -1],
    [2, 3],
  ]);
  const objective = (zE: tf.Tensor, e: tf.Tensor): tf.Scalar => {
    const zQ = lookupCodes(nearestCodeIndices(zE as tf.Tensor2D, e as tf.Tensor2D), e as tf.Tensor2D);
    return tf.sum(tf.mul(straightThrough(zE, zQ), c));
  };
  const [dz, de] = tf.grads(objective)([z(), codebook()]);
  assert.deepEqual(dz.arraySync(), c.arraySync());
  assert.deepEqual(de.arraySync(), [
    [0, 0],
    [0, 0],
    [0, 0],
  ]);
  // The forward value is z_q's: sum(z_q * c) = (1·0.5 + 0·-1) + (0·2 + 2·3) = 6.5.
  assert.equal(objective(z(), codebook()).arraySync(), 6.5);
});

test('codebook loss mean ||sg[z_e] - e||^2 moves only the codes, by 2 (e - z) / N', () => {
  const loss = (zE: tf.Tensor, e: tf.Tensor): tf.Scalar =>
    codebookLoss(zE, lookupCodes(nearestCodeIndices(zE as tf.Tensor2D, e as tf.Tensor2D), e as tf.Tensor2D));
  assert.equal(loss(z(), codebook()).arraySync(), 0.5); // (1 + 0 + 1 + 0) / 4
  const [dz, de] = tf.grads(loss)([z(), codebook()]);
  assert.deepEqual(dz.arraySync(), [
    [0, 0],
    [0, 0],
  ]);
  // e0 - z0 = (1, 0), e1 - z1 = (-1, 0), e2 unused; times 2 / 4 entries.
  assert.deepEqual(de.arraySync(), [
    [0.5, 0],
    [-0.5, 0],
    [0, 0],
  ]);
});

test('commitment loss mean ||z_e - sg[e]||^2 moves only the encodings, by 2 (z - e) / N', () => {
  const loss = (zE: tf.Tensor, e: tf.Tensor): tf.Scalar =>
    commitmentLoss(zE, lookupCodes(nearestCodeIndices(zE as tf.Tensor2D, e as tf.Tensor2D), e as tf.Tensor2D));
  assert.equal(loss(z(), codebook()).arraySync(), 0.5);
  const [dz, de] = tf.grads(loss)([z(), codebook()]);
  assert.deepEqual(dz.arraySync(), [
    [-0.5, 0],
    [0.5, 0],
  ]);
  assert.deepEqual(de.arraySync(), [
    [0, 0],
    [0, 0],
    [0, 0],
  ]);
});
