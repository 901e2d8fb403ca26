// The metrics and example overlays of an evaluation, on hand-made scores whose values are known:
// three 4x4 images, A with a 2-pixel defect, B with a 4-pixel defect, C normal.
import assert from 'node:assert/strict';
import { POST_PROCESSING_OFF } from '../../models/scoring/postProcessing';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import type { EvaluationReport } from '../../models/evaluate/evaluationReport';
import { markdownReport } from '../../models/evaluate/markdownReport';
import { ScoredTestSet } from '../../models/evaluate/scoredTestSet';
import type { VolumeScore } from '../../models/scoring/scoreScan';

const SIDE = 4;
const PIXELS = SIDE * SIDE;

/** A 4x4 mask with ones at the given pixel indices. */
const maskWith = (...indices: number[]) => Uint8Array.from({ length: PIXELS }, (_, i) => (indices.includes(i) ? 1 : 0));
const grid = (data: Float32Array) => ({ dims: [SIDE, SIDE, 1] as [number, number, number], data });

/**
 * Scored image (gray 0.5, pixel 1 white) with three maps: residual = `defect` on the mask (perfect),
 * alignment = 1 - mask (inverted), ssim = 0.5 (uninformative).
 */
function scoreFor(mask: Uint8Array, defect = 1): VolumeScore {
  const residual = Float32Array.from(mask, (m) => m * defect);
  return {
    image: grid(Float32Array.from({ length: PIXELS }, (_, i) => (i === 1 ? 1 : 0.5))),
    maps: {
      reconstruction: grid(new Float32Array(PIXELS)),
      residual: grid(residual),
      alignment: grid(Float32Array.from(mask, (m) => 1 - m)),
      ssim: grid(new Float32Array(PIXELS).fill(0.5)),
    } as VolumeScore['maps'],
    sliceScores: [0],
    score: 0,
    fit: { modality: 'image', size: [1, 1], foregroundFraction: 1, reconstructionL1: 0 },
    postProcessing: POST_PROCESSING_OFF,
  };
}

const A = maskWith(0, 1);
const B = maskWith(10, 11, 14, 15);
const C = maskWith();

function scoredSet(): ScoredTestSet {
  const set = new ScoredTestSet(3, 1_000, 20);
  set.add(scoreFor(A, 0.5), A, { scan: 'A.png', mask: 'A_mask.png' });
  set.add(scoreFor(B), B, { scan: 'B.png', mask: 'B_mask.png' });
  set.add(scoreFor(C), C, { scan: 'C.png' });
  return set;
}

test('a map equal to the mask scores 1 on every metric, its inverse 0 on the AUROCs, a constant map 0.5', () => {
  const { maps, counts } = scoredSet().results(0.3);
  assert.deepEqual(Object.keys(maps).sort(), ['alignment', 'residual', 'ssim'], 'every map but the reconstruction');
  assert.deepEqual(counts, { samples: 3, anomalousSamples: 2, totalPixels: 48, anomalousPixels: 6, keptPixels: 48, regions: 2 });

  const perfect = maps.residual;
  assert.deepEqual(
    [perfect.pixel.auroc, perfect.pixel.averagePrecision, perfect.pixel.bestDice, perfect.pixel.auPro, perfect.sample.auroc, perfect.sample.averagePrecision],
    [1, 1, 1, 1, 1, 1],
  );
  assert.equal(perfect.pixel.bestDiceThreshold, 0.5);

  // Inverted: every normal pixel outranks every anomalous one. The samples tie: each image's score, the
  // 99th percentile of its map (scoreOfRegion), is 1, the value of its normal pixels.
  assert.equal(maps.alignment.pixel.auroc, 0);
  assert.equal(maps.alignment.sample.auroc, 0.5);

  // All ties: the ROC is the diagonal; the best Dice marks every pixel: 2 x 6 / (6 + 48).
  assert.equal(maps.ssim.pixel.auroc, 0.5);
  assert.equal(maps.ssim.sample.auroc, 0.5);
  assert.ok(Math.abs(maps.ssim.pixel.bestDice - (2 * 6) / (6 + 48)) < 1e-6, `best Dice ${maps.ssim.pixel.bestDice}`);
  assert.ok(Math.abs(maps.ssim.pixel.averagePrecision - 6 / 48) < 1e-6, `AP ${maps.ssim.pixel.averagePrecision}`);
});

test('the examples are the highest-scoring sample and the lowest-scoring anomalous one, as image | map | ground truth panels', () => {
  const { examples, images } = scoredSet().results(0.3);
  // Residual scores (99th percentiles): A 0.5, B 1, C 0.
  assert.deepEqual(examples, [
    { role: 'missed', file: 'example-missed.png', scan: 'A.png', slice: null, score: 0.5, anomalous: true },
    { role: 'top-scoring', file: 'example-top-scoring.png', scan: 'B.png', slice: null, score: 1, anomalous: true },
  ]);
  const png = PNG.sync.read(Buffer.from(images['example-missed.png']));
  // A 4-pixel-high image is enlarged 32 times to 128 pixels; three panels with 4-pixel gaps.
  const scale = 32;
  assert.deepEqual([png.width, png.height], [3 * SIDE * scale + 2 * 4, SIDE * scale]);
  const rgbAt = (x: number, y: number) => Array.from(png.data.subarray(4 * (y * png.width + x), 4 * (y * png.width + x) + 3));
  const panel = (k: number, pixelX: number, pixelY: number) => rgbAt(k * (SIDE * scale + 4) + pixelX * scale, pixelY * scale);
  // Pixel 0 (x 0, y 0) is A's defect; pixel 5 (x 1, y 1) is normal. Image gray 0.5 -> 128.
  assert.deepEqual(panel(0, 0, 0), [128, 128, 128], 'the image');
  // A's defect is 0.5 on a scale whose maximum is B's 1: hot at 0.5 is full red and green (0.5 - 3/8) / (3/8) = 1/3.
  const [red, green, blue] = panel(1, 0, 0);
  assert.deepEqual([red, blue], [255, 0], 'half the scale maximum is orange (hot)');
  assert.ok(Math.abs(green - 255 / 3) <= 1.5, `green ${green}`);
  assert.deepEqual(panel(1, 1, 1), [0, 0, 0], 'the map at 0 is black');
  assert.deepEqual(panel(2, 0, 0), [192, 64, 64], 'the ground truth tints the image red');
  assert.deepEqual(panel(2, 1, 0), [255, 127, 127], 'also where the image is white');
  assert.deepEqual(panel(2, 1, 1), [128, 128, 128], 'outside the ground truth, the image');
});

/** A report of `set` as evaluateModel makes it, with made-up header fields. */
function reportOf(set: ScoredTestSet, scans: number): EvaluationReport {
  const { maps, groups, counts, examples } = set.results(0.3);
  return {
    created: '2026-12-03T00:00:00.000Z',
    model: { dir: 'model', name: 'm', inputSize: 16, epochs: 1, trainedOn: 'train' },
    testSet: 'test',
    backend: 'wasm',
    options: { limit: null, maxPixels: 1_000, minLesionArea: 20, maxFpr: 0.3 },
    counts: { scans, scansWithMask: 0, ...counts },
    timing: { seconds: 1, meanMsPerScan: 1, medianMsPerScan: 1 },
    maps,
    groups,
    skipped: [],
    examples,
  };
}

test('with every sample anomalous the sample AP is n/a like the AUROC, and the group table says why it is empty', () => {
  const set = new ScoredTestSet(2, 1_000, 20);
  set.add(scoreFor(A), A, { scan: 'A.png', mask: 'A_mask.png', group: 'crack' });
  set.add(scoreFor(B), B, { scan: 'B.png', mask: 'B_mask.png', group: 'blowhole' });
  const report = reportOf(set, 2);
  assert.ok(Number.isNaN(report.maps.residual.sample.auroc) && Number.isNaN(report.maps.residual.sample.averagePrecision));
  const text = markdownReport(report);
  assert.match(text, /\n\| residual \| 1\.000 \| 1\.000 \| 1\.000 \(≥ 1\.00\) \| 1\.000 \| n\/a \| n\/a \|\n/);
  assert.match(text, /## Sample AUROC per group[^\n]*\n\nn\/a: the test set has no normal samples to rank each group against\.\n/);
});

test('without anomalous pixels the best Dice is a bare n/a and the pixel line says there are no pixel metrics', () => {
  const set = new ScoredTestSet(2, 1_000, 20);
  set.add(scoreFor(C), C, { scan: 'C.png' });
  set.add(scoreFor(C), C, { scan: 'D.png' });
  const text = markdownReport(reportOf(set, 2));
  assert.match(text, /\n- Pixels: 0 anomalous in 0 regions; metrics on none \(no pixel metrics without anomalous pixels\)\n/);
  assert.match(text, /\n\| residual \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \|\n/);
  assert.doesNotMatch(text, /NaN/);
});
