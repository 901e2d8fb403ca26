import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auPro, proCurve } from '../../models/metrics/auPro';
import { bestDice } from '../../models/metrics/bestDice';
import { labelComponents } from '../../models/metrics/connectedComponents';
import { thinCurve, trapezoidArea } from '../../models/metrics/curve';
import { averagePrecision } from '../../models/metrics/precisionRecall';
import { auroc, rocCurve } from '../../models/metrics/roc';
import { thresholdSweep } from '../../models/metrics/thresholdSweep';
import { SeededRandom } from '../../models/vqvae/seededRandom';

const f32 = (values: number[]) => Float32Array.from(values);
const u8 = (values: number[]) => Uint8Array.from(values);
const close = (actual: number, expected: number, message?: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${message ?? ''} expected ${expected}, got ${actual}`);

test('scikit-learn example: scores [0.1, 0.4, 0.35, 0.8], labels [0, 0, 1, 1] give AUROC 0.75 and AP 0.8333', () => {
  const scores = f32([0.1, 0.4, 0.35, 0.8]);
  const labels = u8([0, 0, 1, 1]);
  close(auroc(scores, labels), 0.75);
  // Thresholds 0.8, 0.4, 0.35, 0.1: (R, P) = (0.5, 1), (0.5, 0.5), (1, 2/3), (1, 0.5); AP = 0.5 x 1 + 0.5 x 2/3.
  close(averagePrecision(scores, labels), 0.5 + 0.5 * (2 / 3));
});

test('the ROC curve runs from (0, 0) to (1, 1) with one point per distinct score', () => {
  const sweep = thresholdSweep(f32([0.1, 0.4, 0.35, 0.8]), u8([0, 0, 1, 1]));
  assert.deepEqual(rocCurve(sweep), [
    { x: 0, y: 0 },
    { x: 0, y: 0.5 },
    { x: 0.5, y: 0.5 },
    { x: 0.5, y: 1 },
    { x: 1, y: 1 },
  ]);
});

test('tied scores enter together: a tie between a positive and a negative counts one half, whatever the input order', () => {
  // Positives {1, 0.5}, negatives {0.5, 0}: pairs 1>0.5, 1>0, 0.5=0.5 (1/2), 0.5>0 give AUROC 3.5 / 4.
  for (const [scores, labels] of [
    [
      [1, 0.5, 0.5, 0],
      [1, 1, 0, 0],
    ],
    [
      [0.5, 0, 1, 0.5],
      [0, 0, 1, 1],
    ],
  ]) {
    close(auroc(f32(scores), u8(labels)), 0.875);
    // Thresholds 1, 0.5, 0: (R, P) = (0.5, 1), (1, 2/3), (1, 1/2): AP = 0.5 + 0.5 x 2/3.
    close(averagePrecision(f32(scores), u8(labels)), 0.5 + 1 / 3);
  }
  close(auroc(f32([0.5, 0.5, 0.5, 0.5]), u8([0, 1, 0, 1])), 0.5);
  close(averagePrecision(f32([0.5, 0.5, 0.5, 0.5]), u8([0, 1, 0, 1])), 0.5);
  assert.equal(thresholdSweep(f32([0.5, 0.5, 0.2]), u8([1, 0, 0])).thresholds.length, 2);
});

test('AUROC equals the Mann-Whitney U statistic / (n_pos n_neg) on random scores with many ties', () => {
  const random = new SeededRandom(5, 'metrics-test');
  const n = 400;
  const scores = Float32Array.from({ length: n }, () => random.int(20) / 20);
  const labels = Uint8Array.from({ length: n }, () => (random.next() < 0.3 ? 1 : 0));
  let u = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < n; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      u += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  close(auroc(scores, labels), u / pairs);
});

test('a weight counts like repeated samples', () => {
  const weighted = { scores: f32([0.2, 0.7, 0.4, 0.6]), labels: u8([0, 1, 0, 1]), weights: f32([3, 1, 2, 1]) };
  const repeated = { scores: f32([0.2, 0.2, 0.2, 0.7, 0.4, 0.4, 0.6]), labels: u8([0, 0, 0, 1, 0, 0, 1]) };
  close(auroc(weighted.scores, weighted.labels, weighted.weights), auroc(repeated.scores, repeated.labels));
  close(averagePrecision(weighted.scores, weighted.labels, weighted.weights), averagePrecision(repeated.scores, repeated.labels));
  assert.deepEqual(bestDice(weighted.scores, weighted.labels, weighted.weights), bestDice(repeated.scores, repeated.labels));
});

test('all-positive or all-negative labels: AUROC is NaN; AP and Dice are NaN without positives, 1 with only positives', () => {
  const scores = f32([0.3, 0.6, 0.9]);
  assert.ok(Number.isNaN(auroc(scores, u8([1, 1, 1]))));
  assert.ok(Number.isNaN(auroc(scores, u8([0, 0, 0]))));
  assert.equal(averagePrecision(scores, u8([1, 1, 1])), 1);
  assert.ok(Number.isNaN(averagePrecision(scores, u8([0, 0, 0]))));
  assert.ok(Number.isNaN(bestDice(scores, u8([0, 0, 0])).dice));
  assert.equal(bestDice(scores, u8([1, 1, 1])).dice, 1);
  assert.ok(Number.isNaN(auroc(new Float32Array(0), new Uint8Array(0))));
});

test('bad input is an error naming the problem', () => {
  assert.throws(() => auroc(f32([0.1, 0.2]), u8([1])), /2 scores but 1 labels/);
  assert.throws(() => auroc(f32([0.1, 0.2]), u8([1, 2])), /label 1 is 2/);
  assert.throws(() => auroc(f32([NaN, 0.2]), u8([1, 0])), /score 0 is NaN/);
});

test('best Dice on a 3x3 mask is found at the threshold that maximizes 2TP / (2TP + FP + FN)', () => {
  const mask = u8([0, 0, 0, 0, 1, 1, 0, 0, 0]);
  const scores = f32([0.1, 0.2, 0.1, 0.3, 0.9, 0.6, 0.1, 0.7, 0.1]);
  // t = 0.9: 2/(2+0+1) = 0.667; t = 0.7: 2/(2+1+1) = 0.5; t = 0.6: 4/(4+1+0) = 0.8; t = 0.3: 4/(4+2) = 0.667.
  const best = bestDice(scores, mask);
  close(best.dice, 0.8);
  close(best.threshold, 0.6);
});

test('8-connected components: diagonal neighbours join, regions are numbered in raster order with their sizes', () => {
  const mask = u8([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1]);
  const components = labelComponents(mask, 4, 4);
  assert.equal(components.count, 4);
  assert.deepEqual(components.sizes, [2, 2, 2, 1]);
  assert.deepEqual(Array.from(components.labels), [1, 0, 0, 2, 0, 1, 0, 2, 0, 0, 0, 0, 3, 3, 0, 4]);
});

test('a U-shaped region reached from its top-left is one component; rows do not wrap around', () => {
  const mask = u8([1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1]);
  const { count, sizes, labels } = labelComponents(mask, 3, 5);
  assert.equal(count, 2);
  assert.deepEqual(sizes, [7, 1]);
  assert.equal(labels[14], 2);
  // The last pixel of a row and the first of the next are not neighbours.
  assert.equal(labelComponents(u8([0, 0, 1, 1, 0, 0]), 3, 2).count, 2);
  assert.throws(() => labelComponents(u8([1, 0]), 3, 1), /2 pixels, expected 3 x 1/);
});

test('AUPRO on a 5x3 image with two regions, computed by hand', () => {
  // Region A: (0,0) and (1,1), diagonal, so one region of 2 pixels (scores 0.9, 0.5); region B: (4,2), score 0.3.
  // The 12 normal pixels score 0.8, 0.4 and ten times 0.1.
  const mask = u8([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  const scores = f32([0.9, 0.8, 0.1, 0.1, 0.1, 0.4, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.3]);
  const { labels } = labelComponents(mask, 5, 3);
  // Down the thresholds: 0.9 -> PRO (1/2 + 0)/2 = 0.25; 0.8 -> FPR 1/12; 0.5 -> PRO 0.5; 0.4 -> FPR 2/12;
  // 0.3 -> PRO 1; 0.1 -> FPR 1.
  assert.deepEqual(
    proCurve(scores, labels).map(({ x, y }) => [x * 12, y]),
    [
      [0, 0],
      [0, 0.25],
      [1, 0.25],
      [1, 0.5],
      [2, 0.5],
      [2, 1],
      [12, 1],
    ],
  );
  // Area up to FPR 0.3: 0.25/12 + 0.5/12 + (0.3 - 2/12) x 1, normalized by 0.3.
  close(auPro(scores, labels), (0.75 / 12 + 0.3 - 2 / 12) / 0.3);
  close(auPro(scores, labels, 1), 0.25 / 12 + 0.5 / 12 + 10 / 12);
  assert.ok(Number.isNaN(auPro(scores, new Int32Array(15))));
});

test('trapezoidArea cuts the curve at xMax by linear interpolation; thinCurve keeps both ends', () => {
  const line = [
    { x: 0, y: 0 },
    { x: 1, y: 1 },
  ];
  close(trapezoidArea(line), 0.5);
  close(trapezoidArea(line, 0.3), 0.045);
  const curve = Array.from({ length: 101 }, (_, k) => ({ x: k / 100, y: k / 100 }));
  const thin = thinCurve(curve, 11);
  assert.equal(thin.length, 11);
  assert.deepEqual(thin[0], curve[0]);
  assert.deepEqual(thin[10], curve[100]);
  assert.deepEqual(thin[5], curve[50]);
});

test('a million scores are swept in a few seconds at most', () => {
  const random = new SeededRandom(9, 'metrics-large');
  const n = 1_000_000;
  const labels = Uint8Array.from({ length: n }, () => (random.next() < 0.05 ? 1 : 0));
  const scores = Float32Array.from(labels, (label) => random.next() + 0.5 * label);
  const start = performance.now();
  const value = auroc(scores, labels);
  const seconds = (performance.now() - start) / 1000;
  // For U, V uniform on [0, 1): P(U + 0.5 > V) = 1 - 0.5^2 / 2 = 0.875.
  assert.ok(Math.abs(value - 0.875) < 0.005, `AUROC ${value}`);
  assert.ok(seconds < 10, `${seconds.toFixed(1)} s`);
});
