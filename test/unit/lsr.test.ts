// Latent-space restoration (methods.md §6): the softmax weights and the weighted residual on hand
// arrays, and the resampling of flagged tokens from the prior.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { resampleTokens } from '../../models/prior/resample';
import { PriorTransformer } from '../../models/prior/transformer';
import type { PriorAttention, PriorConfig } from '../../models/prior/transformerConfig';
import { selectBackend } from '../../models/runtime/backend';
import { restorationScore, restorationWeights } from '../../models/scoring/restoration';

before(async () => {
  await selectBackend('wasm');
});

test('restorationWeights: softmax of k / mean distance, the closest restoration weighs most', () => {
  const w = tf.tidy(() => restorationWeights(tf.tensor1d([1, 0.5, 3]), 3).dataSync());
  const e = [Math.exp(3), Math.exp(6), Math.exp(1)];
  const sum = e[0] + e[1] + e[2];
  e.forEach((v, j) => assert.ok(Math.abs(w[j] - v / sum) < 1e-6, `w${j} = ${w[j]}, expected ${v / sum}`));
});

test('restorationScore: AS = sum_j w_j |Y - X_j| on a hand example', () => {
  // Y = [0, 0]; X_1 = [1, 1] (mean distance 1), X_2 = [0, 0.5] (mean distance 0.25).
  const as = tf.tidy(() => restorationScore(tf.tensor1d([0, 0]), tf.tensor2d([1, 1, 0, 0.5], [2, 2]), 3).dataSync());
  const w1 = Math.exp(3) / (Math.exp(3) + Math.exp(12));
  const w2 = 1 - w1;
  assert.ok(Math.abs(as[0] - w1 * 1) < 1e-6, `${as[0]}`);
  assert.ok(Math.abs(as[1] - (w1 * 1 + w2 * 0.5)) < 1e-6, `${as[1]}`);
});

/** A prior that gives code `code` all the probability at every position: zero head kernel, bias 50 on it. */
function certainPrior(code: number, attention: PriorAttention): PriorTransformer {
  const config: PriorConfig = {
    vocabSize: 4,
    sequenceLength: 6,
    dModel: 8,
    layers: 1,
    heads: 2,
    feedForward: 16,
    dropout: 0,
    conditionOnSlicePosition: false,
    attention,
  };
  const prior = PriorTransformer.create(config, 1);
  const bias = new Float32Array(4);
  bias[code] = 50;
  const weights = { ...prior.getWeights(), 'prior/head/kernel': tf.zeros([8, 4]), 'prior/head/bias': tf.tensor1d(bias) };
  prior.setWeights(weights);
  tf.dispose([weights['prior/head/kernel'], weights['prior/head/bias']]);
  return prior;
}

for (const attention of ['causal', 'bidirectional'] as const) {
  test(`resampleTokens (${attention}): flagged tokens become the prior's certain code, the others are kept, in every chain`, () => {
    const prior = certainPrior(2, attention);
    const before = tf.memory().numTensors;
    const tokens = Int32Array.from([0, 1, 3, 0, 1, 3]);
    const flagged = [false, true, false, true, false, false];
    const chains = resampleTokens(prior, tokens, flagged, { chains: 3, seed: 5 });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(Array.from(chains), [0, 2, 3, 2, 1, 3, 0, 2, 3, 2, 1, 3, 0, 2, 3, 2, 1, 3]);
    prior.dispose();
  });
}

test('resampleTokens (bidirectional) draws every flagged position from one forward pass', () => {
  const prior = certainPrior(2, 'bidirectional');
  const forward = prior.forward.bind(prior);
  let passes = 0;
  prior.forward = (...args: Parameters<typeof forward>) => (passes++, forward(...args));
  const chains = resampleTokens(prior, Int32Array.from([0, 1, 3, 0, 1, 3]), [true, true, false, true, false, true], { chains: 2, seed: 1 });
  assert.equal(passes, 1);
  assert.deepEqual(Array.from(chains), [2, 2, 3, 2, 1, 2, 2, 2, 3, 2, 1, 2]);
  prior.dispose();
});

test('resampleTokens draws different codes in different chains from a uniform prior, the same for the same seed', () => {
  const prior = certainPrior(0, 'causal');
  const uniform = { ...prior.getWeights(), 'prior/head/bias': tf.zeros([4]) };
  prior.setWeights(uniform);
  uniform['prior/head/bias'].dispose();
  const flagged = new Array(6).fill(true);
  const a = resampleTokens(prior, new Int32Array(6), flagged, { chains: 8, seed: 1 });
  const b = resampleTokens(prior, new Int32Array(6), flagged, { chains: 8, seed: 1 });
  assert.deepEqual(a, b);
  assert.ok(new Set(a).size > 1, 'a uniform prior draws several codes');
  prior.dispose();
});

test('forwardIncremental in chunks with a key/value cache gives the logits of forward()', () => {
  const config: PriorConfig = {
    vocabSize: 5,
    sequenceLength: 7,
    dModel: 8,
    layers: 2,
    heads: 2,
    feedForward: 16,
    dropout: 0,
    conditionOnSlicePosition: true,
    attention: 'causal',
  };
  const prior = PriorTransformer.create(config, 4);
  const tokens = [
    [1, 4, 0, 2, 2, 3, 1],
    [0, 0, 3, 1, 4, 2, 2],
  ];
  const before = tf.memory().numTensors;
  const { full, chunked } = tf.tidy(() => {
    const condition = tf.tensor1d([-0.25, 0.4]);
    const full = prior.forward(tf.tensor2d(tokens, [2, 7], 'int32'), { condition });
    const inputs = tokens.map((s) => [prior.bosToken, ...s.slice(0, 6)]); // the input at p is s_{p-1}
    const chunk = (start: number, end: number) =>
      tf.tensor2d(
        inputs.map((s) => s.slice(start, end)),
        [2, end - start],
        'int32',
      );
    const first = prior.forwardIncremental(chunk(0, 3), 0, null, condition);
    const second = prior.forwardIncremental(chunk(3, 4), 3, first.cache, condition);
    const third = prior.forwardIncremental(chunk(4, 7), 4, second.cache, condition);
    return { full, chunked: tf.concat([first.logits, second.logits, third.logits], 1) };
  });
  const [a, b] = [full.dataSync(), chunked.dataSync()];
  assert.deepEqual(chunked.shape, full.shape);
  assert.ok(
    a.every((v, i) => Math.abs(v - b[i]) < 1e-4),
    'chunked logits differ from the full pass',
  );
  tf.dispose([full, chunked]);
  assert.equal(tf.memory().numTensors, before);
  prior.dispose();
});
