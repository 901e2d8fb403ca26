// The model health check: the best constant image under L1 is the per-pixel median, and a model is
// flagged when it reconstructs no better than half of that, or when its codebook collapsed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestConstantImage, meanAbsoluteError, modelHealth } from '../../models/vqvae/modelHealth';
import { learningRateAt } from '../../models/vqvae/lrSchedule';
import { diceAt, weightedCorrelation } from '../../models/evaluate/scoredTestSet';

test('the best constant image is the per-pixel median; its L1 error is the mean distance to it', () => {
  const images = [Float32Array.of(0, 1), Float32Array.of(1, 1), Float32Array.of(4, 0)];
  assert.deepEqual(Array.from(bestConstantImage(images)), [1, 1]);
  // |0-1| + |1-1| + |1-1| + |1-1| + |4-1| + |0-1| = 5 over 6 pixels.
  assert.ok(Math.abs(meanAbsoluteError(images, Float32Array.of(1, 1)) - 5 / 6) < 1e-12);
});

test('a model that reconstructs barely better than a constant, or with few codes in use, is flagged with the reason', () => {
  const healthy = modelHealth({ reconstructionL1: 0.02, constantL1: 0.08, codesInUse: 60, codebookSize: 128, checkedOn: 'validation' });
  assert.deepEqual(healthy.problems, []);
  const constant = modelHealth({ reconstructionL1: 0.05, constantL1: 0.08, codesInUse: 60, codebookSize: 128, checkedOn: 'validation' });
  assert.equal(constant.problems.length, 1);
  assert.match(constant.problems[0], /barely reconstructs.*0\.63 of a constant image/);
  const collapsed = modelHealth({ reconstructionL1: 0.02, constantL1: 0.08, codesInUse: 12, codebookSize: 128, checkedOn: 'training' });
  assert.match(collapsed.problems.join(), /codebook collapsed: 12 of 128 codes/);
});

test('the learning-rate warm-up rises linearly over its steps, then the schedule applies', () => {
  assert.deepEqual(
    [0, 1, 3, 4, 50].map((s) => learningRateAt('constant', 1, s, 100, 4)),
    [0.25, 0.5, 1, 1, 1],
  );
  assert.ok(Math.abs(learningRateAt('cosine', 2, 1, 100, 4) - 0.5 * ((2 * (1 + Math.cos(Math.PI / 100))) / 2)) < 1e-12);
});

test('the weighted correlation and the Dice at a threshold, by hand', () => {
  const ones = new Float32Array(3).fill(1);
  assert.ok(Math.abs(weightedCorrelation(Float32Array.of(1, 2, 3), Float32Array.of(2, 4, 6), ones) - 1) < 1e-12);
  assert.ok(Math.abs(weightedCorrelation(Float32Array.of(1, 2, 3), Float32Array.of(6, 4, 2), ones) + 1) < 1e-12);
  // Weights repeat pixels: (1, 1), (2, 2) weighted 2 and (3, 0) equal the five pairs 1-1, 2-2, 2-2, 3-0 ... as a plain list.
  const weighted = weightedCorrelation(Float32Array.of(1, 2, 3), Float32Array.of(1, 2, 0), Float32Array.of(1, 2, 1));
  const plain = weightedCorrelation(Float32Array.of(1, 2, 2, 3), Float32Array.of(1, 2, 2, 0), new Float32Array(4).fill(1));
  assert.ok(Math.abs(weighted - plain) < 1e-12);
  // Scores 0.9 0.8 0.2 0.7, labels 1 1 0 0, normal pixel 4 stands for 3: at 0.75 TP 2, FP 0, FN 0; at 0.5 FP 3: 4 / 7.
  const [scores, labels, weights] = [Float32Array.of(0.9, 0.8, 0.2, 0.7), Uint8Array.of(1, 1, 0, 0), Float32Array.of(1, 1, 1, 3)];
  assert.equal(diceAt(scores, labels, weights, 0.75), 1);
  assert.ok(Math.abs(diceAt(scores, labels, weights, 0.5) - 4 / 7) < 1e-12);
});
