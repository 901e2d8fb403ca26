// A prior conditioned on the slice position (LSR §2, methods.md §5): the dataset gives each axial slice its
// relative position, training and the saved manifest keep the condition, and scoring gives slice z of a
// volume the condition z / (depth - 1) - 0.5.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { loadTrainingSlices } from '../../models/io/dataset';
import { SliceCache } from '../../models/io/sliceCache';
import { readScan } from '../../models/io/volume';
import { nllMap } from '../../models/prior/nll';
import { loadPrior } from '../../models/prior/priorCheckpoint';
import { trainPrior } from '../../models/prior/trainPrior';
import { PriorTransformer } from '../../models/prior/transformer';
import { sliceCondition, type PriorConfig } from '../../models/prior/transformerConfig';
import { selectBackend } from '../../models/runtime/backend';
import { scoreVolume } from '../../models/scoring/scoreScan';
import { VqVae } from '../../models/vqvae/model';
import { runTrainPrior } from '../../models/worker/priorJobs';
import { saveTinyModel, TINY_PRIOR_CONFIG, TINY_VQVAE, writeVolume } from './priorFixtures';
import { writeSyntheticPngs } from './workerFixtures';

const CONDITIONED: PriorConfig = { ...TINY_PRIOR_CONFIG, dModel: 16, conditionOnSlicePosition: true };
const quiet = { onProgress: () => {}, isCancelled: () => false, log: () => {} };

let root: string;
before(async () => {
  await selectBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'prior-slice-position-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** The logits of the same sequences at condition c. */
function logitsAt(prior: PriorTransformer, sequences: Int32Array[], c: number): Float32Array {
  return tf.tidy(() => {
    const tokens = tf.tensor2d(Int32Array.from(sequences.flatMap((s) => [...s])), [sequences.length, 16], 'int32');
    return prior.forward(tokens, { condition: tf.fill([sequences.length], c) as tf.Tensor1D }).dataSync() as Float32Array;
  });
}

/** Mean NLL of the sequences at condition c. */
function meanNllAt(prior: PriorTransformer, sequences: Int32Array[], c: number): number {
  return tf.tidy(() => {
    const tokens = tf.tensor2d(Int32Array.from(sequences.flatMap((s) => [...s])), [sequences.length, 16], 'int32');
    return tf.mean(nllMap(prior.forward(tokens, { condition: tf.fill([sequences.length], c) as tf.Tensor1D }), tokens)).dataSync()[0];
  });
}

test('the dataset gives each kept axial slice its position z / (depth - 1), none to a 2D image', async () => {
  const dir = join(root, 'positions');
  mkdirSync(dir);
  writeVolume(join(dir, 'a.nii.gz'), [6, 6, 5]);
  writeSyntheticPngs(join(dir, 'images'), 1);
  const data = await loadTrainingSlices(dir, 8, undefined, { cache: new SliceCache() });
  assert.deepEqual(
    data.files.map((f) => f.slice(dir.length + 1)),
    ['a.nii.gz', 'images/image0.png'],
  );
  assert.deepEqual(data.positions, [0, 0.25, 0.5, 0.75, 1, undefined]);
  // From the cache: the same positions.
  const cache = new SliceCache();
  await loadTrainingSlices(dir, 8, undefined, { cache });
  assert.deepEqual((await loadTrainingSlices(dir, 8, undefined, { cache })).positions, data.positions);
  assert.equal(cache.hits, 2);
  // c = r - 0.5 in [-0.5, 0.5]; a 2D image is the middle, as scoring treats it.
  assert.deepEqual([0, 0.25, 1, undefined].map(sliceCondition), [-0.5, -0.25, 0.5, 0]);
});

test('a conditioned prior trained briefly tells the positions apart: other logits, and each position prefers its own tokens', async () => {
  // Slices at the top of a volume (c = -0.5) are all code 1, at the bottom (c = +0.5) all code 6.
  const top = Int32Array.from({ length: 16 }, () => 1);
  const bottom = Int32Array.from({ length: 16 }, () => 6);
  const sequences = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? top : bottom));
  const conditions = sequences.map((s) => (s === top ? -0.5 : 0.5));
  const modelDir = join(root, 'conditioned');
  const training = { epochs: 15, batchSize: 16, learningRate: 1e-2, seed: 1, replacedFraction: 0.1, focalBeta: 0.01 };
  const { prior } = await trainPrior(sequences, CONDITIONED, training, { modelDir, backendName: 'wasm', conditions });
  try {
    const [atTop, atBottom] = [logitsAt(prior, [top], -0.5), logitsAt(prior, [top], 0.5)];
    assert.ok(
      atTop.some((v, i) => Math.abs(v - atBottom[i]) > 1e-3),
      'the same tokens get other logits at another position',
    );
    // The first token has no context but the position: only the condition can tell 1 from 6.
    assert.ok(meanNllAt(prior, [top], -0.5) < meanNllAt(prior, [top], 0.5), 'the top tokens are likelier at the top');
    assert.ok(meanNllAt(prior, [bottom], 0.5) < meanNllAt(prior, [bottom], -0.5), 'the bottom tokens are likelier at the bottom');

    // The manifest keeps the condition; the loaded prior gives the same logits at a position.
    const manifest = JSON.parse(readFileSync(join(modelDir, 'prior', 'manifest.json'), 'utf8'));
    assert.equal(manifest.config.conditionOnSlicePosition, true);
    const loaded = await loadPrior(modelDir);
    try {
      assert.equal(loaded.prior.config.conditionOnSlicePosition, true);
      assert.deepEqual(logitsAt(loaded.prior, [top, bottom], 0.25), logitsAt(prior, [top, bottom], 0.25));
    } finally {
      loaded.prior.dispose();
    }
  } finally {
    prior.dispose();
  }
});

test('runTrainPrior trains a conditioned prior on a folder of volumes and calibrates it', async () => {
  const modelDir = join(root, 'model');
  await saveTinyModel(modelDir);
  const folder = join(root, 'volumes');
  mkdirSync(folder);
  for (const name of ['a', 'b', 'c']) writeVolume(join(folder, `${name}.nii.gz`), [12, 12, 4]);
  const logged: string[] = [];
  const result = await runTrainPrior(
    { modelDir, folder, prior: { ...TINY_PRIOR_CONFIG, conditionOnSlicePosition: true }, training: { epochs: 1, batchSize: 8 } },
    'wasm',
    { ...quiet, log: (line) => logged.push(line) },
  );
  assert.equal(result.cancelled, false);
  assert.equal(result.sequences, 8); // 2 of the 3 volumes, 4 slices each; 1 held out
  assert.ok(Number.isFinite(result.lambdaS) && Number.isFinite(result.lambdaP));
  assert.match(logged.join('\n'), /Prior conditioned on the slice position: 8 token sequences/);
  const manifest = JSON.parse(readFileSync(join(modelDir, 'prior', 'manifest.json'), 'utf8'));
  assert.equal(manifest.config.conditionOnSlicePosition, true);
  assert.equal(manifest.calibration.lambdaS, result.lambdaS);
});

test('scoring a volume gives slice z the condition z / (depth - 1) - 0.5, and a 2D image 0', async () => {
  const model = VqVae.create(TINY_VQVAE, 3);
  const prior = PriorTransformer.create(CONDITIONED, 2);
  // The seam: every forward pass of the prior records the conditions it was given.
  const seen: number[] = [];
  const forward = prior.forward.bind(prior);
  prior.forward = (tokens, opts = {}) => {
    if (opts.condition) seen.push(...opts.condition.dataSync());
    return forward(tokens, opts);
  };
  try {
    const dir = join(root, 'score');
    mkdirSync(dir);
    writeVolume(join(dir, 'v.nii.gz'), [10, 10, 5]);
    const options = { prior: { prior }, priorMaps: { restorationSamples: 0, kdeSamplings: 0 }, batchSize: 2 };
    await scoreVolume(model, await readScan(join(dir, 'v.nii.gz')), options);
    assert.deepEqual(seen, [-0.5, -0.25, 0, 0.25, 0.5]);

    seen.length = 0;
    writeSyntheticPngs(join(dir, 'images'), 1);
    await scoreVolume(model, await readScan(join(dir, 'images', 'image0.png')), options);
    assert.deepEqual(seen, [0]);
  } finally {
    model.dispose();
    prior.dispose();
  }
});
