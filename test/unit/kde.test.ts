// The ILTM KDE map (methods.md §6): Silverman bandwidth and -log f_h(x) on hand examples of n = 3 samples.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../models/runtime/backend';
import { kdeAnomaly, silvermanBandwidth } from '../../models/scoring/kde';

before(async () => {
  await selectBackend('wasm');
});

// Two pixels, three samples each: [0, 0.5, 1] and [0.2, 0.2, 0.2]; samples [n = 3, P = 2].
const SAMPLES = [0, 0.2, 0.5, 0.2, 1, 0.2];

test('silvermanBandwidth: h = (4 sigma^5 / 3n)^(1/5) + eps with the sample standard deviation', () => {
  const h = tf.tidy(() => silvermanBandwidth(tf.tensor2d(SAMPLES, [3, 2]), 0.05).dataSync());
  // Pixel 0: variance ((0.5)^2 + 0 + 0.5^2) / 2 = 0.25, sigma 0.5: (4 * 0.5^5 / 9)^(1/5) = 0.42513.
  assert.ok(Math.abs(h[0] - (0.425134 + 0.05)) < 1e-5, `h0 = ${h[0]}`);
  assert.ok(Math.abs(h[1] - 0.05) < 1e-7, `constant samples give h = eps, got ${h[1]}`);
});

test('kdeAnomaly is -log of the Gaussian KDE at the original intensity', () => {
  const anomaly = tf.tidy(() => kdeAnomaly(tf.tensor2d(SAMPLES, [3, 2]), tf.tensor1d([0.5, 0.2]), 0.05).dataSync());
  const h = 0.425134 + 0.05;
  const kernel = (u: number) => Math.exp(-(u * u) / 2);
  const f0 = (kernel(0.5 / h) + kernel(0) + kernel(0.5 / h)) / (3 * h * Math.sqrt(2 * Math.PI));
  assert.ok(Math.abs(anomaly[0] - -Math.log(f0)) < 1e-4, `${anomaly[0]} vs ${-Math.log(f0)}`);
  // Pixel 1: all samples at x, h = 0.05: f = 1 / (0.05 sqrt(2 pi)), -log f = log(0.125331) = -2.07679.
  assert.ok(Math.abs(anomaly[1] - -2.07679) < 1e-4, `${anomaly[1]}`);
});

test('an intensity far from every sample scores higher than one among them', () => {
  const anomaly = tf.tidy(() => kdeAnomaly(tf.tensor2d([0.2, 0.2, 0.2], [3, 1]), tf.tensor1d([0.9]), 0.05).dataSync());
  assert.ok(anomaly[0] > 90, `${anomaly[0]}`); // (0.7 / 0.05)^2 / 2 = 98 nats above the peak
});
