// The post-processing stage (methods.md §10) on hand-made maps whose results are worked out by hand,
// and the modality defaults it starts from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPostProcessing, modalityOf, postProcessingSettings } from '../../models/scoring/modality';
import { erodeCross, fillHoles, medianFilter, POST_PROCESSING_OFF, postProcessMap, prepareScan, scoringMask } from '../../models/scoring/postProcessing';

/** A mask from rows of '#' (1) and '.' (0). */
const maskOf = (...rows: string[]) => Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0));
const rowsOf = (mask: Uint8Array, width: number) =>
  Array.from({ length: mask.length / width }, (_, y) => Array.from(mask.subarray(y * width, (y + 1) * width), (v) => (v ? '#' : '.')).join(''));

test('erosion with the cross: one iteration peels one pixel, the image border counts as background', () => {
  const mask = maskOf('#####', '#####', '#####', '#####', '#####');
  erodeCross(mask, 5, 5, 1);
  assert.deepEqual(rowsOf(mask, 5), ['.....', '.###.', '.###.', '.###.', '.....']);
  erodeCross(mask, 5, 5, 1);
  assert.deepEqual(rowsOf(mask, 5), ['.....', '.....', '..#..', '.....', '.....']);
});

test('holes are filled (a dark ventricle inside the brain), a notch open to the border is not', () => {
  const mask = maskOf('......', '.####.', '.#..#.', '.####.', '.#..#.', '.#..#.');
  fillHoles(mask, 6, 6);
  assert.deepEqual(rowsOf(mask, 6), ['......', '.####.', '.####.', '.####.', '.#..#.', '.#..#.']);
});

test('the 2D median of 3 x 3 replaces a single spike by its neighbourhood and keeps an edge; borders use the pixels inside', () => {
  // 4 x 3 image: a spike of 9 at (1, 1) among 1s, and a right column of 5s.
  const map = Float32Array.of(1, 1, 1, 5, 1, 9, 1, 5, 1, 1, 1, 5);
  const out = medianFilter(map, [4, 3, 1], 3, new Uint8Array(12).fill(1));
  // (1, 1): window 1 1 1 / 1 9 1 / 1 1 1 -> 1: the spike is gone. (2, 1): 1 1 5 / 9 1 5 / 1 1 5 -> 1 1 1 1 1 5 5 5 9: 1.
  // At the borders the window holds 4 or 6 pixels; the median of an even count is the mean of the middle two:
  // (2, 0): 1 1 5 / 9 1 5 -> 1 1 1 5 5 9: 3; (3, 1): 1 5 / 1 5 / 1 5 -> 3.
  assert.deepEqual(Array.from(out), [1, 1, 3, 3, 1, 1, 1, 3, 1, 1, 3, 3]);
  // Pixels outside the mask are not filtered and stay 0.
  const masked = medianFilter(map, [4, 3, 1], 3, Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0));
  assert.deepEqual(Array.from(masked), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
});

test('the median is 3D in a volume: a lesion seen in one slice only is removed, one through three slices kept', () => {
  const [w, h, d] = [3, 3, 3];
  const single = new Float32Array(w * h * d);
  single[13] = 7; // centre of the middle slice
  assert.equal(medianFilter(single, [w, h, d], 3, new Uint8Array(27).fill(1))[13], 0);
  const tube = Float32Array.from({ length: 27 }, (_, i) => (i % 9 === 4 || i % 9 === 1 || i % 9 === 3 || i % 9 === 5 || i % 9 === 7 ? 7 : 0));
  // The centre's 27-window holds 15 sevens (the plus shape in each of 3 slices) and 12 zeros: median 7.
  assert.equal(medianFilter(tube, [w, h, d], 3, new Uint8Array(27).fill(1))[13], 7);
});

test('positive polarity keeps intensity maps where the scan is brighter than its reconstruction; latent maps keep everything', () => {
  const input = {
    dims: [4, 1, 1] as [number, number, number],
    image: Float32Array.of(0.9, 0.2, 0.6, 0.5),
    reconstruction: Float32Array.of(0.5, 0.5, 0.6, 0.1),
  };
  const map = Float32Array.of(0.4, 0.3, 0.1, 0.4);
  const positive = { ...POST_PROCESSING_OFF, polarity: 'positive' as const };
  // A 2D image without erosion keeps every pixel: the mask is all ones.
  const scan = prepareScan(input, positive);
  assert.ok(scan.mask.every((v) => v === 1));
  // Gated pixels take the map's minimum inside the mask (0.1): "no anomaly" for this map.
  assert.deepEqual(Array.from(postProcessMap(map, 'intensity', scan, positive)), [0.4, 0.1, 0.1, 0.4].map(Math.fround));
  assert.deepEqual(Array.from(postProcessMap(map, 'intensity', scan, { ...positive, polarity: 'negative' })), [0.1, 0.3, 0.1, 0.1].map(Math.fround));
  assert.deepEqual(Array.from(postProcessMap(map, 'latent', scan, positive)), Array.from(map));
  // The hyperintensity prior (50th percentile of 0.9 0.2 0.6 0.5 = 0.55) keeps the pixels at or above it.
  const withPrior = { ...POST_PROCESSING_OFF, hyperintensityPercentile: 50 };
  const prior = postProcessMap(map, 'latent', prepareScan(input, withPrior), withPrior);
  assert.deepEqual(Array.from(prior), [0.4, 0.1, 0.1, 0.1].map(Math.fround));
});

test('the scoring mask: the filled, eroded foreground of each volume slice; every pixel of a 2D image unless erosion is asked', () => {
  const image = Float32Array.from({ length: 25 }, (_, i) => (i === 12 ? 0 : 0.8)); // a dark hole in the middle
  const input = { dims: [5, 5, 1] as [number, number, number], image, reconstruction: image };
  assert.ok(scoringMask(input, POST_PROCESSING_OFF).every((v) => v === 1));
  const eroded = scoringMask(input, { ...POST_PROCESSING_OFF, erosion: 1 });
  assert.deepEqual(rowsOf(eroded, 5), ['.....', '.###.', '.###.', '.###.', '.....'], 'the hole is filled before the erosion');
  const volume = { dims: [5, 5, 1] as [number, number, number], image, reconstruction: image };
  assert.equal(
    scoringMask({ ...volume, dims: [5, 5, 1] }, { ...POST_PROCESSING_OFF, erosion: 2 }).reduce((a, b) => a + b, 0),
    1,
  );
});

test('the modality comes from the file name, else from the depth, and chooses the defaults', () => {
  assert.equal(modalityOf('/data/patient26_FLAIR.nii.gz', 182), 'flair');
  assert.equal(modalityOf('sub-01_T2w.nii.gz', 100), 't2');
  assert.equal(modalityOf('C:\\scans\\T1.nii', 100), 't1');
  assert.equal(modalityOf('mprage_brain.nii.gz', 100), 't1');
  assert.equal(modalityOf('t1000.png', 1), 'image', 'a number is no modality');
  assert.equal(modalityOf('scan.nii.gz', 100), 'volume');
  assert.equal(modalityOf('tile.jpg', 1), 'image');
  assert.deepEqual(defaultPostProcessing('flair'), { polarity: 'positive', erosion: 3, medianSize: 5, hyperintensityPercentile: 80 });
  assert.equal(defaultPostProcessing('t1').hyperintensityPercentile, null);
  assert.equal(defaultPostProcessing('t1').polarity, 'negative');
  assert.deepEqual(defaultPostProcessing('image'), { polarity: 'both', erosion: 0, medianSize: 5, hyperintensityPercentile: null });
  assert.deepEqual(postProcessingSettings('flair', { medianSize: 3 }), { polarity: 'positive', erosion: 3, medianSize: 3, hyperintensityPercentile: 80 });
});
