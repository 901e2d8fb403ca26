// Scores from a prior against hand-computed values: the NLL map, the masked training loss, the LSR sample
// score and the percentile calibration of its threshold; the LSGS tampering and focal loss.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { calibrateLambda, maskedMeanNll, nllMap, sampleScore } from '../../models/prior/nll';
import { focalReplacementLoss, tamperTokens } from '../../models/prior/replacementLoss';
import { selectBackend } from '../../models/runtime/backend';
import { SeededRandom } from '../../models/vqvae/seededRandom';

before(async () => {
  await selectBackend('wasm');
});

const close = (actual: number, expected: number, tolerance = 1e-5): void => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

// One sequence of two positions over a vocabulary of 3: logits [1, 2, 3] with true token 2, then uniform
// logits with true token 0.
const NLL_FIRST = 0.40760596; // -log(e^3 / (e + e^2 + e^3))
const NLL_SECOND = Math.log(3); // -log(1/3)
const logits = (): tf.Tensor3D =>
  tf.tensor3d([
    [
      [1, 2, 3],
      [0, 0, 0],
    ],
  ]);
const truth = (): tf.Tensor2D => tf.tensor2d([[2, 0]], [1, 2], 'int32');

test('nllMap is -log softmax at the true token, per position', () => {
  const values = tf.tidy(() => nllMap(logits(), truth()).arraySync());
  close(values[0][0], NLL_FIRST);
  close(values[0][1], NLL_SECOND);
});

test('maskedMeanNll averages over the kept positions only', () => {
  const [all, firstOnly] = tf.tidy(() => [
    maskedMeanNll(logits(), truth()).dataSync()[0],
    maskedMeanNll(logits(), truth(), tf.tensor2d([[1, 0]])).dataSync()[0],
  ]);
  close(all, (NLL_FIRST + NLL_SECOND) / 2);
  close(firstOnly, NLL_FIRST);
});

test('sampleScore sums the NLL values above lambda_s', () => {
  assert.equal(sampleScore([1, 8, 7, 9.5, 0.5], 7), 17.5); // 7 itself is not above
  assert.equal(sampleScore(new Float32Array([1, 2]), 7), 0);
});

test('calibrateLambda takes the linearly interpolated percentile', () => {
  const values = [40, 0, 30, 10, 20]; // sorted 0..40, rank = p/100 * 4
  close(calibrateLambda(values, 90), 36); // rank 3.6: 30 + 0.6 * 10
  close(calibrateLambda(values, 98), 39.2, 1e-4);
  assert.equal(calibrateLambda(values, 0), 0);
  assert.equal(calibrateLambda(values, 100), 40);
  assert.throws(() => calibrateLambda([], 98), /no NLL values/);
  assert.throws(() => calibrateLambda(values, 101), /percentile must be in \[0, 100\]/);
});

test('focalReplacementLoss weighs tampered positions by 1 - beta and the others by beta', () => {
  const loss = tf.tidy(() => focalReplacementLoss(logits(), truth(), tf.tensor2d([[0, 1]]), 0.01).dataSync()[0]);
  close(loss, 0.01 * NLL_FIRST + 0.99 * NLL_SECOND);
  // Two sequences: the mean over the batch of the per-sequence sums.
  const batchLoss = tf.tidy(() => {
    const twice = tf.concat([logits(), logits()]);
    return focalReplacementLoss(
      twice,
      tf.concat([truth(), truth()]),
      tf.tensor2d([
        [0, 1],
        [1, 1],
      ]),
      0.01,
    ).dataSync()[0];
  });
  close(batchLoss, (0.01 * NLL_FIRST + 0.99 * NLL_SECOND + 0.99 * (NLL_FIRST + NLL_SECOND)) / 2);
});

test('tamperTokens replaces round(fraction * n) positions with codes in range, reproducibly', () => {
  const tokens = Int32Array.from({ length: 20 }, (_, i) => i % 7);
  const a = tamperTokens(tokens, 7, 0.1, new SeededRandom(3, 'tamper'));
  const b = tamperTokens(tokens, 7, 0.1, new SeededRandom(3, 'tamper'));
  assert.deepEqual(a, b);
  assert.equal(
    a.replaced.reduce((s, v) => s + v, 0),
    2,
  );
  a.tokens.forEach((t, i) => {
    assert.ok(t >= 0 && t < 7);
    if (a.replaced[i] === 0) assert.equal(t, tokens[i], `untampered position ${i}`);
  });
});

test('the scores create no lasting tensors', () => {
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    nllMap(logits(), truth());
    maskedMeanNll(logits(), truth(), tf.tensor2d([[1, 0]]));
    focalReplacementLoss(logits(), truth(), tf.tensor2d([[0, 1]]));
  });
  const [l, t] = [logits(), truth()];
  tf.dispose([nllMap(l, t), l, t]); // nllMap's own intermediate tensors are freed by its tidy
  assert.equal(tf.memory().numTensors, before);
});
