// The VQ-VAE model: shapes of its outputs, seeded initialisation, the weight names checkpoints rely
// on, setWeights' refusals, dropout switching and the loss formula.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { BadInputError } from '../../models/io/errors';
import { selectBackend } from '../../models/runtime/backend';
import type { VqVaeConfig } from '../../models/vqvae/config';
import { VqVae } from '../../models/vqvae/model';
import { squaredDistances } from '../../models/vqvae/quantizer';

// Tiny, so that it runs in milliseconds: 16x16 input, latent grid 4x4.
const TINY: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0.1 };

before(async () => {
  await selectBackend('wasm');
});

const input = (batch: number): tf.Tensor4D => tf.randomUniform([batch, 16, 16, 1], 0, 1, 'float32', 7) as tf.Tensor4D;

test('forward gives a [B,S,S,1] reconstruction in (0,1) and [B,S/4,S/4,·] latents', () => {
  const model = VqVae.create(TINY, 1);
  tf.tidy(() => {
    const out = model.forward(input(2));
    assert.deepEqual(out.reconstruction.shape, [2, 16, 16, 1]);
    assert.deepEqual(out.zE.shape, [2, 4, 4, 4]);
    assert.deepEqual(out.zQ.shape, [2, 4, 4, 4]);
    assert.deepEqual(out.indices.shape, [2, 4, 4]);
    assert.equal(out.indices.dtype, 'int32');
    assert.deepEqual(out.distance.shape, [2, 4, 4]);
    const recon = out.reconstruction.dataSync();
    assert.ok(
      recon.every((v) => v > 0 && v < 1),
      'sigmoid output',
    );
    assert.ok(out.indices.dataSync().every((k) => k >= 0 && k < TINY.codebookSize));
  });
  model.dispose();
});

test('the distance is the minimum squared distance to the codebook, and z_q is that code', () => {
  const model = VqVae.create(TINY, 1);
  tf.tidy(() => {
    const out = model.forward(input(1));
    const rows = tf.reshape(out.zE, [16, 4]) as tf.Tensor2D;
    const all = squaredDistances(rows, model.getWeights()['quantizer/codebook'] as tf.Tensor2D);
    const minima = tf.min(all, 1).dataSync();
    const distance = out.distance.dataSync();
    minima.forEach((m, i) => assert.ok(Math.abs(m - distance[i]) < 1e-5, `position ${i}: ${m} vs ${distance[i]}`));
    const codebook = model.getWeights()['quantizer/codebook'].arraySync() as number[][];
    const zQ = tf.reshape(out.zQ, [16, 4]).arraySync() as number[][];
    out.indices.dataSync().forEach((k, i) => assert.deepEqual(zQ[i], codebook[k]));
  });
  model.dispose();
});

test('weights have stable names and shapes (the checkpoint format depends on them)', () => {
  const model = VqVae.create(TINY, 1);
  const shapes = Object.fromEntries(Object.entries(model.getWeights()).map(([name, w]) => [name, w.shape]));
  const conv = (prefix: string, k: number, i: number, o: number): [string, number[]][] => [
    [`${prefix}/kernel`, [k, k, i, o]],
    [`${prefix}/bias`, [o]],
  ];
  const residual = (prefix: string): [string, number[]][] => [...conv(`${prefix}/conv3x3`, 3, 8, 8), ...conv(`${prefix}/conv1x1`, 1, 8, 8)];
  assert.deepEqual(
    shapes,
    Object.fromEntries([
      ...conv('encoder/down0', 4, 1, 4),
      ...conv('encoder/down1', 4, 4, 8),
      ...conv('encoder/conv', 3, 8, 8),
      ...residual('encoder/res0'),
      ...conv('encoder/to_latent', 1, 8, 4),
      ['quantizer/codebook', [8, 4]],
      ...conv('decoder/from_latent', 3, 4, 8),
      ...residual('decoder/res0'),
      // Transposed-convolution kernels are [k, k, out, in].
      ['decoder/up0/kernel', [4, 4, 4, 8]],
      ['decoder/up0/bias', [4]],
      ['decoder/up1/kernel', [4, 4, 1, 4]],
      ['decoder/up1/bias', [1]],
    ]),
  );
  assert.equal(model.trainableVariables().length, Object.keys(shapes).length);
  model.dispose();
});

test('the same seed gives the same weights, another seed different ones', () => {
  const [a, b, c] = [VqVae.create(TINY, 3), VqVae.create(TINY, 3), VqVae.create(TINY, 4)];
  const values = (m: VqVae): Float32Array => m.getWeights()['encoder/down1/kernel'].dataSync() as Float32Array;
  assert.deepEqual(values(a), values(b));
  assert.notDeepEqual(values(a), values(c));
  [a, b, c].forEach((m) => m.dispose());
});

test('setWeights copies matching weights and refuses a wrong shape or a missing name with "does not fit"', () => {
  const source = VqVae.create(TINY, 1);
  const target = VqVae.create(TINY, 2);
  target.setWeights(source.getWeights());
  assert.deepEqual(target.getWeights()['decoder/up0/kernel'].dataSync(), source.getWeights()['decoder/up0/kernel'].dataSync());

  const wider = VqVae.create({ ...TINY, codebookDim: 5 }, 1);
  assert.throws(() => target.setWeights(wider.getWeights()), /does not fit.*'quantizer\/codebook' has shape \[8,5\], the model's is \[8,4\]/);
  const { ['encoder/conv/bias']: _dropped, ...partial } = source.getWeights();
  assert.throws(() => target.setWeights(partial), /does not fit.*'encoder\/conv\/bias' is missing/);
  // Nothing was changed by the refused calls.
  assert.deepEqual(target.getWeights()['quantizer/codebook'].dataSync(), source.getWeights()['quantizer/codebook'].dataSync());
  [source, target, wider].forEach((m) => m.dispose());
});

test("setWeights with the model's own weights keeps them (a variable is never assigned to itself)", () => {
  const model = VqVae.create(TINY, 1);
  const before = model.getWeights()['quantizer/codebook'].dataSync().slice();
  model.setWeights(model.getWeights());
  assert.deepEqual(model.getWeights()['quantizer/codebook'].dataSync(), before);
  model.dispose();
});

test('an input size that the downsampling cannot halve L times is refused as bad input', () => {
  assert.throws(
    () => VqVae.create({ ...TINY, inputSize: 18 }, 1),
    (error: Error) => error instanceof BadInputError && /inputSize must be a positive multiple of 2\^2 = 4.*got 18/.test(error.message),
  );
  assert.throws(() => VqVae.create({ ...TINY, dropout: 1 }, 1), /dropout must be in \[0, 1\)/);
});

test('dropout is off by default, on when training or asked for, and draws a new mask each call', () => {
  const model = VqVae.create({ ...TINY, dropout: 0.5 }, 1);
  tf.tidy(() => {
    const x = input(1);
    const plain = model.forward(x).reconstruction.dataSync();
    assert.deepEqual(model.forward(x).reconstruction.dataSync(), plain);
    const dropped1 = model.forward(x, { dropout: true }).reconstruction.dataSync();
    const dropped2 = model.forward(x, { dropout: true }).reconstruction.dataSync();
    const training = model.forward(x, { training: true }).reconstruction.dataSync();
    assert.notDeepEqual(dropped1, plain);
    assert.notDeepEqual(dropped1, dropped2);
    assert.notDeepEqual(training, plain);
  });
  model.dispose();
});

test('loss = mean |x - x̂| + codebook + beta * commitment', () => {
  const model = VqVae.create(TINY, 1);
  tf.tidy(() => {
    const x = input(2);
    const out = model.forward(x);
    const parts = model.loss(x, out);
    const l1 = tf.mean(tf.abs(tf.sub(x, out.reconstruction))).dataSync()[0];
    const squared = tf.mean(tf.squaredDifference(out.zE, out.zQ)).dataSync()[0];
    assert.ok(Math.abs(parts.reconstruction.dataSync()[0] - l1) < 1e-7);
    assert.ok(Math.abs(parts.codebook.dataSync()[0] - squared) < 1e-7);
    assert.ok(Math.abs(parts.commitment.dataSync()[0] - squared) < 1e-7);
    assert.ok(Math.abs(parts.total.dataSync()[0] - (l1 + squared + 0.25 * squared)) < 1e-6);
  });
  model.dispose();
});

test('forward inside tf.tidy leaves no tensors behind, and dispose frees every weight', () => {
  const model = VqVae.create(TINY, 1);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    model.loss(input(1), model.forward(input(1), { training: true }));
  });
  assert.equal(tf.memory().numTensors, before);
  const weightCount = model.trainableVariables().length;
  model.dispose();
  assert.equal(tf.memory().numTensors, before - weightCount);
});
