import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resizeBilinear } from '../../models/io/resize';
import { meanOf, residualMap, scoreOfRegion } from '../../models/scoring/maps';
import { METHODS, methodTooltip } from '../../models/scoring/methods';

const close = (actual: Float32Array | number[], expected: number[]) => {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) < 1e-6, `value ${i}: ${actual[i]} != ${e}`));
};

test('residualMap is |x - x̂| per pixel and the score is its mean', () => {
  const residual = residualMap(Float32Array.of(0.1, 0.5, 1, 0), Float32Array.of(0.3, 0.5, 0.25, 1));
  close(residual, [0.2, 0, 0.75, 1]);
  assert.ok(Math.abs(meanOf(residual) - 0.4875) < 1e-6); // (0.2 + 0 + 0.75 + 1) / 4
});

test('residualMap refuses images of different sizes', () => {
  assert.throws(() => residualMap(new Float32Array(4), new Float32Array(9)), /4 pixels but the reconstruction 9/);
});

test('meanOf an empty map is 0', () => {
  assert.equal(meanOf(new Float32Array(0)), 0);
});

test("the alignment map's bilinear resize upsamples a 2x2 latent grid to 4x4 bilinearly with half-pixel centres", () => {
  // Distances [[0, 4], [8, 12]]. Output centres map to source positions -0.25, 0.25, 0.75, 1.25,
  // clamped to [0, 1]: weights of the second sample 0, 0.25, 0.75, 1 along each axis, so
  // value(x, y) = 4 wx + 8 wy.
  const upsampled = resizeBilinear(Float32Array.of(0, 4, 8, 12), 2, 2, 4, 4);
  close(upsampled, [0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12]);
  assert.equal(meanOf(upsampled), 6);
});

test('scoreOfRegion is the 99th percentile over the foreground of a volume slice, over all pixels of an image', () => {
  // 201 foreground pixels valued 0..200 (rank 0.99 * 200 = 198) and 100 background pixels valued 1000.
  const map = Float32Array.from({ length: 301 }, (_, i) => (i < 201 ? i : 1000));
  const image = Float32Array.from({ length: 301 }, (_, i) => (i < 201 ? 0.5 : 0));
  assert.equal(scoreOfRegion(map, image, true), 198);
  // As an image every pixel counts: rank 0.99 * 300 = 297 falls among the 1000s.
  assert.equal(scoreOfRegion(map, image, false), 1000);
  // Three bright pixels of 201 (1.5 %) give the slice their value, where the mean stays at 75.
  const spot = Float32Array.from({ length: 201 }, (_, i) => (i < 3 ? 5000 : 0));
  assert.equal(scoreOfRegion(spot, image.slice(0, 201), true), 5000);
});

test('a map that lost to a baseline in the quality benchmark says so in its tooltip', () => {
  assert.match(
    methodTooltip('alignment'),
    /^Distance of each latent vector.*Measured \(docs\/RESULTS\.md\): on FLAIR brains \(brain-ms\) it loses to the image's own intensity/,
  );
  assert.match(methodTooltip('kde'), /beats the raw intensity but loses to the intensity with the same post-processing/);
  assert.equal(methodTooltip('reconstruction'), METHODS.reconstruction.explanation, 'the reconstruction is no anomaly map');
});
