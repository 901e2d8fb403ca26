import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { aggregateCodebook, replaceCodebook } from '../../models/vqvae/aggregateCodebook';
import type { VqVaeConfig } from '../../models/vqvae/config';
import { kmeans } from '../../models/vqvae/kmeans';
import { VqVae } from '../../models/vqvae/model';
import { SeededRandom } from '../../models/vqvae/seededRandom';

const TINY: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0 };

before(async () => {
  await tf.setBackend('cpu');
});

/** 8 slices of seeded noise in [0, 1]: 8 x 4 x 4 = 128 latent vectors. */
function noiseSlices(): Float32Array[] {
  const random = new SeededRandom(5, 'slices');
  return Array.from({ length: 8 }, () => Float32Array.from({ length: 16 * 16 }, () => random.next()));
}

/** A model whose codebook is degenerate: code 0 at the origin, the 7 others all at the same far point. */
function degenerateModel(): VqVae {
  const model = VqVae.create(TINY, 2);
  replaceCodebook(
    model,
    Float32Array.from({ length: 8 * 4 }, (_, i) => (i < 4 ? 0 : 50)),
  );
  return model;
}

const codebookOf = (model: VqVae) => model.getWeights()['quantizer/codebook'].dataSync() as Float32Array;

function reconstruct(model: VqVae, slice: Float32Array): Float32Array {
  return tf.tidy(() => model.forward(tf.tensor4d(slice, [1, 16, 16, 1])).reconstruction.dataSync() as Float32Array);
}

test('a degenerate codebook is replaced by the k-means centres of the encodings: usage rises, the output changes, no leaks', async () => {
  const slices = noiseSlices();
  const model = degenerateModel();
  const encodings = tf.tidy(() => {
    const batch = tf.tensor4d(Float32Array.from(slices.flatMap((s) => Array.from(s))), [8, 16, 16, 1]);
    return model.forward(batch).zE.dataSync() as Float32Array;
  });
  const reconstructionBefore = reconstruct(model, slices[0]);
  const tensorsBefore = tf.memory().numTensors;

  const result = await aggregateCodebook(model, slices, { seed: 9, batchSize: 3 });

  assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor leaks');
  assert.equal(result.usageBefore, 1, 'every encoding is nearest to code 0 (the others are far away)');
  assert.ok(result.usageAfter > result.usageBefore, `usage ${result.usageBefore} -> ${result.usageAfter}`);
  assert.equal(result.clusteredVectors, 128);
  // The new codebook is exactly k-means (same seed) over all 128 encodings, in slice order.
  const expected = await kmeans(encodings, 4, 8, { seed: 9 });
  assert.deepEqual(codebookOf(model), expected.centres);
  assert.equal(result.usageAfter, new Set(expected.assignments).size);
  const reconstructionAfter = reconstruct(model, slices[0]);
  assert.ok(
    reconstructionAfter.some((v, i) => Math.abs(v - reconstructionBefore[i]) > 1e-6),
    'the decoder sees new codes',
  );
  model.dispose();
});

test('aggregation is reproducible with the seed, also when the vectors are subsampled', async () => {
  const slices = noiseSlices();
  const [first, second] = [degenerateModel(), degenerateModel()];
  const a = await aggregateCodebook(first, slices, { seed: 4, maxPoints: 40 });
  const b = await aggregateCodebook(second, slices, { seed: 4, maxPoints: 40 });
  assert.equal(a.clusteredVectors, 40);
  assert.deepEqual(b, a);
  assert.deepEqual(codebookOf(second), codebookOf(first));
  first.dispose();
  second.dispose();
});

test('with an EMA codebook the averages restart from the new codes (N_k = 1, m_k = e_k)', async () => {
  const model = VqVae.create({ ...TINY, codebookUpdate: 'ema' }, 2);
  await aggregateCodebook(model, noiseSlices(), { seed: 3 });
  const weights = model.getWeights();
  assert.deepEqual(weights['quantizer/ema_embed_sum'].dataSync(), codebookOf(model));
  assert.deepEqual(Array.from(weights['quantizer/ema_cluster_size'].dataSync()), new Array(8).fill(1));
  model.dispose();
});

test('too few latent vectors for the codebook, or slices of the wrong size, are refused', async () => {
  const model = VqVae.create(TINY, 1);
  await assert.rejects(aggregateCodebook(model, [new Float32Array(256)], { seed: 1, maxPoints: 4 }), /kmeans: 4 points cannot be split into 8 clusters/);
  await assert.rejects(aggregateCodebook(model, [new Float32Array(100)], { seed: 1 }), /slice 0 has 100 pixels, the model takes 16 x 16/);
  model.dispose();
});
