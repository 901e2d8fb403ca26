// The prior transformer: output shape, causality (exact), ILTM key masking (exact), full attention in the
// bidirectional mode, slice-position conditioning, seeded initialisation and stable weight names.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { BadInputError } from '../../models/io/errors';
import { attentionMask } from '../../models/prior/attention';
import { PriorTransformer } from '../../models/prior/transformer';
import { priorConfigFor, type PriorConfig } from '../../models/prior/transformerConfig';
import { selectBackend } from '../../models/runtime/backend';

// Tiny: vocabulary 5, sequences of 6 tokens, 2 layers of width 8 with 2 heads; no dropout.
const TINY: PriorConfig = {
  vocabSize: 5,
  sequenceLength: 6,
  dModel: 8,
  layers: 2,
  heads: 2,
  feedForward: 16,
  dropout: 0,
  conditionOnSlicePosition: false,
  attention: 'causal',
};
const BASE = [1, 4, 0, 2, 3, 1];

before(async () => {
  await selectBackend('wasm');
});

/** Logits [n][vocab] of one sequence. */
function logitsOf(prior: PriorTransformer, tokens: number[], opts: { keyMask?: number[]; condition?: number } = {}): number[][] {
  return tf.tidy(() => {
    const logits = prior.forward(tf.tensor2d([tokens], [1, tokens.length], 'int32'), {
      keyMask: opts.keyMask && tf.tensor2d([opts.keyMask], [1, tokens.length]),
      condition: opts.condition === undefined ? undefined : tf.tensor1d([opts.condition]),
    });
    return (logits.arraySync() as number[][][])[0];
  });
}

const withToken = (tokens: number[], position: number, value: number): number[] => tokens.map((t, i) => (i === position ? value : t));

test('forward gives logits [B, n, vocab] and creates no lasting tensors', () => {
  const prior = PriorTransformer.create(TINY, 1);
  const before = tf.memory().numTensors;
  const shape = tf.tidy(() => prior.forward(tf.tensor2d([BASE, BASE], [2, 6], 'int32')).shape);
  assert.deepEqual(shape, [2, 6, 5]);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(prior.bosToken, 5);
  prior.dispose();
});

test('attentionMask: causal lower triangle, masked keys forbidden, null when nothing is', () => {
  assert.equal(attentionMask(3, false), null);
  const values = tf.tidy(() => {
    const mask = attentionMask(3, true, tf.tensor2d([[1, 0, 1]])) as tf.Tensor4D;
    return (mask.arraySync() as number[][][][])[0][0].map((row) => row.map((v) => (v === 0 ? 'ok' : 'x')));
  });
  assert.deepEqual(values, [
    ['ok', 'x', 'x'],
    ['ok', 'x', 'x'],
    ['ok', 'x', 'ok'],
  ]);
});

test('causal: changing the tokens after position i leaves the logits at positions <= i + 1 exactly unchanged', () => {
  const prior = PriorTransformer.create(TINY, 1);
  const i = 2;
  const changed = [...BASE.slice(0, i + 1), 0, 4, 2]; // positions 3..5 differ
  const a = logitsOf(prior, BASE);
  const b = logitsOf(prior, changed);
  // Position p reads BOS, s_0..s_{p-1}: up to p = i + 1 it sees only the unchanged s_0..s_i.
  for (let p = 0; p <= i + 1; p++) assert.deepEqual(b[p], a[p], `position ${p}`);
  assert.notDeepEqual(b[i + 2], a[i + 2], 'position i + 2 reads the changed s_{i+1}');
  prior.dispose();
});

test('causal: a masked token has no influence on any logit; unmasked, it changes the later ones', () => {
  const prior = PriorTransformer.create(TINY, 1);
  const j = 2;
  const keyMask = [1, 1, 0, 1, 1, 1];
  const changed = withToken(BASE, j, 3);
  assert.deepEqual(logitsOf(prior, changed, { keyMask }), logitsOf(prior, BASE, { keyMask }));
  const a = logitsOf(prior, BASE);
  const b = logitsOf(prior, changed);
  for (const p of [j + 1, j + 2, 5]) assert.notDeepEqual(b[p], a[p], `position ${p} without the mask`);
  // Beyond reading BOS in its slot, the masked key is left out of the attention: BOS there, unmasked, differs.
  assert.notDeepEqual(logitsOf(prior, withToken(BASE, j, prior.bosToken))[5], logitsOf(prior, BASE, { keyMask })[5]);
  prior.dispose();
});

test('bidirectional: changing the last token changes the logits at the first position', () => {
  const prior = PriorTransformer.create({ ...TINY, attention: 'bidirectional' }, 1);
  const a = logitsOf(prior, BASE);
  const b = logitsOf(prior, withToken(BASE, 5, 0));
  assert.notDeepEqual(b[0], a[0]);
  prior.dispose();
});

test('conditioning: the slice position changes the logits and is required exactly when configured', () => {
  const conditioned = PriorTransformer.create({ ...TINY, conditionOnSlicePosition: true }, 1);
  assert.notDeepEqual(logitsOf(conditioned, BASE, { condition: -0.5 })[0], logitsOf(conditioned, BASE, { condition: 0.5 })[0]);
  assert.throws(() => logitsOf(conditioned, BASE), /needs the slice position/);
  const plain = PriorTransformer.create(TINY, 1);
  assert.throws(() => logitsOf(plain, BASE, { condition: 0 }), /takes no slice position/);
  assert.throws(() => tf.tidy(() => plain.forward(tf.tensor2d([BASE], [1, 6]))), /tokens must be int32/);
  conditioned.dispose();
  plain.dispose();
});

test('the same seed gives the same prior; weights have stable names and round-trip through setWeights', () => {
  const a = PriorTransformer.create(TINY, 7);
  const b = PriorTransformer.create(TINY, 7);
  const c = PriorTransformer.create(TINY, 8);
  assert.deepEqual(logitsOf(a, BASE), logitsOf(b, BASE));
  assert.notDeepEqual(logitsOf(a, BASE), logitsOf(c, BASE));
  const names = Object.keys(a.getWeights());
  for (const name of [
    'prior/tokenEmbedding/table',
    'prior/positionEmbedding/table',
    'prior/block1/attention/query/kernel',
    'prior/block0/mlpOut/bias',
    'prior/finalNorm/gamma',
    'prior/head/kernel',
  ]) {
    assert.ok(names.includes(name), name);
  }
  assert.deepEqual(a.getWeights()['prior/tokenEmbedding/table'].shape, [6, 8]); // vocab + BOS
  c.setWeights(a.getWeights());
  assert.deepEqual(logitsOf(c, BASE), logitsOf(a, BASE));
  [a, b, c].forEach((p) => p.dispose());
});

test('an invalid configuration is refused with every problem named', () => {
  assert.throws(
    () => PriorTransformer.create({ ...TINY, dModel: 10, heads: 4, dropout: 1 }, 1),
    (error: Error) => {
      assert.ok(error instanceof BadInputError);
      assert.match(error.message, /dModel \(10\) must be a multiple of heads \(4\)/);
      assert.match(error.message, /dropout must be in \[0, 1\)/);
      return true;
    },
  );
});

test('priorConfigFor: sequence length h*w and vocabulary from the token grid', () => {
  const config = priorConfigFor({ vocabSize: 128, latentSize: 16 }, undefined, { attention: 'bidirectional' });
  assert.equal(config.sequenceLength, 256);
  assert.equal(config.vocabSize, 128);
  assert.equal(config.attention, 'bidirectional');
  assert.equal(config.conditionOnSlicePosition, false);
});
