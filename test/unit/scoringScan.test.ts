import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { Volume } from '../../models/io/volume';
import { scoreOfRegion } from '../../models/scoring/maps';
import { defaultPostProcessing } from '../../models/scoring/modality';
import { POST_PROCESSING_OFF, postProcessMap, prepareScan, scoringMask } from '../../models/scoring/postProcessing';
import { scoreVolume } from '../../models/scoring/scoreScan';
import { ssimAnomalyMap } from '../../models/scoring/ssim';
import type { VqVaeConfig } from '../../models/vqvae/config';
import { VqVae } from '../../models/vqvae/model';
import { CancelledError } from '../../models/worker/cancelled';
import { MAP_NAMES } from '../../models/worker/protocol';

const TINY: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0.1 };

let model: VqVae;

before(async () => {
  await tf.setBackend('cpu');
  model = VqVae.create(TINY, 3);
});

after(() => model.dispose());

/** A width x height x depth volume of positive values (a seeded pattern); the slices listed in `empty` are 0. */
function syntheticVolume(width: number, height: number, depth: number, empty: number[] = []): Volume {
  const data = new Float32Array(width * height * depth);
  for (let i = 0; i < data.length; i++) {
    const z = Math.floor(i / (width * height));
    data[i] = empty.includes(z) ? 0 : 10 + ((i * 7919) % 97);
  }
  return { dims: [width, height, depth], spacing: [1, 1, 2], data, rowOrder: 'top-down' };
}

/** Slice z of a grid (x fastest, then y, then z). */
const sliceOf = (data: Float32Array, z: number, length: number) => data.subarray(z * length, (z + 1) * length);

/** The maps as computed, before post-processing (its own tests: postProcessing.test.ts). */
const RAW = { postProcessing: POST_PROCESSING_OFF };

test('scoreVolume gives maps in the scan grid and one score per slice, leaking no tensor', async () => {
  const volume = syntheticVolume(12, 10, 3, [0]);
  const progress: { done: number; total: number }[] = [];
  const tensorsBefore = tf.memory().numTensors;

  const result = await scoreVolume(model, volume, { ...RAW, onProgress: (p) => progress.push(p) });

  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.deepEqual(Object.keys(result.maps).sort(), [...MAP_NAMES].sort());
  for (const grid of [result.image, ...Object.values(result.maps)]) {
    assert.deepEqual(grid.dims, [12, 10, 3]);
    assert.equal(grid.data.length, 12 * 10 * 3);
  }
  assert.equal(result.sliceScores.length, 3);
  // Slice 0 has no foreground: not scored, maps left at 0.
  assert.equal(result.sliceScores[0], 0);
  assert.ok(sliceOf(result.maps.residual.data, 0, 120).every((v) => v === 0));
  for (const z of [1, 2]) {
    assert.ok(result.sliceScores[z] > 0);
    const expected = scoreOfRegion(sliceOf(result.maps.residual.data, z, 120), sliceOf(result.image.data, z, 120), true);
    assert.ok(Math.abs(result.sliceScores[z] - expected) < 1e-6);
  }
  assert.ok(Math.abs(result.score - scoreOfRegion(result.maps.residual.data, result.image.data, true)) < 1e-6);
  assert.deepEqual(progress.at(-1), { done: 2, total: 2 });
});

test('at the model size, the residual map is exactly |image - reconstruction| on the foreground mask, 0 elsewhere', async () => {
  const result = await scoreVolume(model, syntheticVolume(16, 16, 2), RAW);
  const { image, maps } = result;
  const mask = scoringMask({ dims: [16, 16, 2], image: image.data, reconstruction: maps.reconstruction.data }, POST_PROCESSING_OFF);
  let background = 0;
  for (let i = 0; i < image.data.length; i++) {
    const inForeground = mask[i] === 1;
    const expected = inForeground ? Math.abs(image.data[i] - maps.reconstruction.data[i]) : 0;
    assert.ok(Math.abs(maps.residual.data[i] - expected) < 1e-6);
    if (!inForeground) {
      background++;
      for (const name of ['alignment', 'ssim', 'ssimAlignment'] as const) assert.equal(maps[name].data[i], 0, `${name} off the foreground`);
    }
  }
  assert.ok(background > 0, 'the synthetic volume has some background pixels');
  assert.ok(maps.alignment.data.every((v) => v >= 0));
  assert.ok(maps.ssimAlignment.data.every((v) => v >= 0));
  assert.ok(maps.ssimAlignment.data.some((v) => v > 0));
});

test('at the model size, the ssim map of a 2D image is 1 - SSIM(image, reconstruction)', async () => {
  const { image, maps } = await scoreVolume(model, syntheticVolume(16, 16, 1), RAW);
  const expected = tf.tidy(() => {
    const asImage = (data: Float32Array) => tf.tensor4d(data, [1, 16, 16, 1]);
    return ssimAnomalyMap(asImage(image.data), asImage(maps.reconstruction.data)).dataSync();
  });
  assert.ok(maps.ssim.data.every((v, i) => Math.abs(v - expected[i]) < 1e-5));
  assert.ok(
    maps.ssim.data.some((v) => v > 0.01),
    'an untrained model does not reproduce the structure',
  );
});

test('batching does not mix slices: batches of 1 give the same maps', async () => {
  const volume = syntheticVolume(12, 10, 3);
  const together = await scoreVolume(model, volume);
  const oneByOne = await scoreVolume(model, volume, { batchSize: 1 });
  assert.deepEqual(oneByOne.sliceScores, together.sliceScores);
  for (const name of MAP_NAMES) {
    const a = together.maps[name].data;
    const b = oneByOne.maps[name].data;
    assert.ok(
      a.every((v, i) => Math.abs(v - b[i]) < 1e-5),
      `${name} differs`,
    );
  }
});

test('a bottom-up volume is scored on its displayed slices and its maps come back in its stored grid', async () => {
  const [width, height, depth] = [12, 10, 2];
  const topDown = syntheticVolume(width, height, depth);
  const flipRows = (data: Float32Array) => {
    const flipped = new Float32Array(data.length);
    for (let z = 0; z < depth; z++) {
      for (let y = 0; y < height; y++) {
        const from = (z * height + y) * width;
        flipped.set(data.subarray(from, from + width), (z * height + height - 1 - y) * width);
      }
    }
    return flipped;
  };
  const bottomUp: Volume = { ...topDown, data: flipRows(topDown.data), rowOrder: 'bottom-up' };

  const expected = await scoreVolume(model, topDown);
  const result = await scoreVolume(model, bottomUp);

  assert.ok(Math.abs(result.score - expected.score) < 1e-6);
  const wanted = flipRows(expected.maps.residual.data);
  assert.ok(result.maps.residual.data.every((v, i) => Math.abs(v - wanted[i]) < 1e-6));
});

test('a 2D image is always scored, even without foreground; its score is its slice score', async () => {
  const result = await scoreVolume(model, syntheticVolume(20, 14, 1, [0]));
  assert.equal(result.sliceScores.length, 1);
  assert.ok(result.score > 0);
  assert.equal(result.score, result.sliceScores[0]);
});

test('a cancel stops scoring between batches with a CancelledError and leaks no tensor', async () => {
  const tensorsBefore = tf.memory().numTensors;
  let batches = 0;
  await assert.rejects(
    scoreVolume(model, syntheticVolume(12, 10, 4), { batchSize: 1, onProgress: () => batches++, isCancelled: () => batches === 2 }),
    CancelledError,
  );
  assert.equal(batches, 2);
  assert.equal(tf.memory().numTensors, tensorsBefore);
});

test("every anomaly map goes through the modality's post-processing; raw maps skip it", async () => {
  const volume = syntheticVolume(16, 16, 3);
  const raw = await scoreVolume(model, volume, { raw: true, modality: 'flair' });
  const off = await scoreVolume(model, volume, RAW);
  assert.deepEqual(raw.maps.residual.data, off.maps.residual.data, 'raw is post-processing off');
  const flair = await scoreVolume(model, volume, { modality: 'flair', postProcessing: { erosion: 1 } });
  const input = { dims: volume.dims, image: raw.image.data, reconstruction: raw.maps.reconstruction.data };
  const settings = { ...defaultPostProcessing('flair'), erosion: 1 };
  const scan = prepareScan(input, settings);
  for (const name of ['residual', 'ssim', 'alignment'] as const) {
    const kind = name === 'alignment' ? 'latent' : 'intensity';
    const expected = postProcessMap(raw.maps[name].data, kind, scan, settings);
    assert.ok(
      flair.maps[name].data.every((v, i) => Math.abs(v - expected[i]) < 1e-6),
      `${name} is post-processed once, on the assembled volume`,
    );
  }
  assert.notDeepEqual(flair.maps.residual.data, raw.maps.residual.data);
});

test("the scan's fit is the mean |x - x̂| at the model size over the scored slices, and their median foreground fraction", async () => {
  const volume = syntheticVolume(16, 16, 3, [1]);
  const { image, maps, fit } = await scoreVolume(model, volume, { ...RAW, modality: 'flair' });
  // At the model size the reconstruction map is the model's output itself; slice 1 has no foreground and is not scored.
  let sum = 0;
  for (const z of [0, 2]) for (let i = z * 256; i < (z + 1) * 256; i++) sum += Math.abs(image.data[i] - maps.reconstruction.data[i]);
  assert.equal(fit.modality, 'flair');
  assert.ok(Math.abs(fit.reconstructionL1 - sum / 512) < 1e-6, `${fit.reconstructionL1} vs ${sum / 512}`);
  const above = (z: number) => image.data.subarray(z * 256, (z + 1) * 256).filter((v) => v > 0.05).length / 256;
  assert.ok(Math.abs(fit.foregroundFraction - (above(0) + above(2)) / 2) < 1e-9, 'the median of the two scored slices');
});
