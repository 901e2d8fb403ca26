// What the training panel draws comes from the trainings' progress events: every step carries its
// learning rate, and every epoch end its validation loss (VQ-VAE with a validation split; the causal
// prior with held-out sequences) and, for the VQ-VAE, the best epoch so far.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { nllMap } from '../../models/prior/nll';
import type { PriorTrainingConfig } from '../../models/prior/priorTrainingConfig';
import { trainPrior } from '../../models/prior/trainPrior';
import type { PriorConfig } from '../../models/prior/transformerConfig';
import { selectBackend } from '../../models/runtime/backend';
import { loadModel } from '../../models/vqvae/checkpoint';
import type { VqVaeConfig } from '../../models/vqvae/config';
import { SeededRandom } from '../../models/vqvae/seededRandom';
import { trainVqVae } from '../../models/vqvae/train';
import type { TrainProgress } from '../../models/worker/protocol';

const TINY: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0 };
const root = mkdtempSync(join(tmpdir(), 'training-panel-progress-'));

before(() => selectBackend('wasm'));
after(() => rmSync(root, { recursive: true, force: true }));

/** `count` 16x16 images of seeded noise in [0, 1]. */
function noiseImages(count: number, seed: number): Float32Array[] {
  const random = new SeededRandom(seed, 'noise');
  return Array.from({ length: count }, () => Float32Array.from({ length: 16 * 16 }, () => random.next()));
}

test('VQ-VAE training reports the validation loss and the best epoch at every epoch end, the learning rate at every step', async () => {
  const modelDir = join(root, 'vqvae');
  const progress: TrainProgress[] = [];
  const result = await trainVqVae(
    noiseImages(16, 1),
    TINY,
    { epochs: 3, batchSize: 8, learningRate: 2e-3, seed: 1, lrSchedule: 'constant', earlyStoppingPatience: 0 },
    {
      modelDir,
      dataSummary: { folder: '/synthetic', files: 20, images: 20, skipped: 0 },
      backendName: 'wasm',
      validation: noiseImages(4, 2),
      onProgress: (p) => progress.push(p),
    },
  );
  result.model.dispose();
  const { manifest, model } = await loadModel(modelDir);
  model.dispose();
  const epochEnds = progress.filter((p) => p.checkpointed);
  assert.equal(epochEnds.length, 3);
  // The validation loss of each epoch end is the one the trainer recorded for that epoch.
  assert.deepEqual(
    epochEnds.map((p) => p.validationLoss),
    manifest.training.validationLossHistory,
  );
  assert.ok(epochEnds.every((p) => Number.isFinite(p.validationLoss) && p.validationLoss! > 0));
  // The best epoch so far is the one of the lowest validation loss up to that epoch.
  const history = manifest.training.validationLossHistory!;
  const bestSoFar = history.map((_, e) => 1 + history.slice(0, e + 1).indexOf(Math.min(...history.slice(0, e + 1))));
  assert.deepEqual(
    epochEnds.map((p) => p.bestEpoch),
    bestSoFar,
  );
  assert.equal(epochEnds.at(-1)?.bestEpoch, manifest.training.bestEpoch);
  const steps = progress.filter((p) => !p.checkpointed);
  assert.equal(steps.length, 3 * 2);
  assert.ok(
    steps.every((p) => p.learningRate === 2e-3 && p.validationLoss === undefined),
    'constant schedule: every step at 2e-3',
  );
});

test('without a validation split the epoch ends carry no validation loss', async () => {
  const progress: TrainProgress[] = [];
  const result = await trainVqVae(
    noiseImages(8, 3),
    TINY,
    { epochs: 2, batchSize: 8, learningRate: 2e-3, seed: 1, validationFraction: 0 },
    {
      modelDir: join(root, 'no-validation'),
      dataSummary: { folder: '/synthetic', files: 8, images: 8, skipped: 0 },
      backendName: 'wasm',
      onProgress: (p) => progress.push(p),
    },
  );
  result.model.dispose();
  const epochEnds = progress.filter((p) => p.checkpointed);
  assert.equal(epochEnds.length, 2);
  assert.ok(epochEnds.every((p) => p.validationLoss === undefined && p.bestEpoch !== undefined));
});

// A toy token grid for the prior: ramps s_i = (k + i) mod 8 (as in prior.test.ts).
const PRIOR: PriorConfig = {
  vocabSize: 8,
  sequenceLength: 16,
  dModel: 16,
  layers: 1,
  heads: 2,
  feedForward: 32,
  dropout: 0,
  conditionOnSlicePosition: false,
  attention: 'causal',
};
const PRIOR_TRAINING: PriorTrainingConfig = { epochs: 3, batchSize: 8, learningRate: 1e-2, seed: 1, replacedFraction: 0.1, focalBeta: 0.01 };
const ramps = (count: number, start: number) => Array.from({ length: count }, (_, s) => Int32Array.from({ length: 16 }, (_, i) => (start + s + i) % 8));

test('the causal prior reports the mean NLL of the held-out sequences at every epoch end', async () => {
  const heldOut = ramps(4, 3);
  const progress: TrainProgress[] = [];
  const result = await trainPrior(ramps(16, 0), PRIOR, PRIOR_TRAINING, {
    modelDir: join(root, 'prior'),
    backendName: 'wasm',
    validation: heldOut,
    onProgress: (p) => progress.push(p),
  });
  const epochEnds = progress.filter((p) => p.checkpointed);
  assert.equal(epochEnds.length, 3);
  assert.ok(epochEnds.every((p) => Number.isFinite(p.validationLoss)));
  // The last one is the final prior's mean per-token NLL on the held-out sequences (no dropout).
  const finalNll = tf.tidy(() => {
    const tokens = tf.tensor2d(Int32Array.from(heldOut.flatMap((s) => [...s])), [heldOut.length, 16], 'int32');
    return tf.mean(nllMap(result.prior.forward(tokens), tokens)).dataSync()[0];
  });
  assert.ok(Math.abs(epochEnds[2].validationLoss! - finalNll) < 1e-5, `${epochEnds[2].validationLoss} vs ${finalNll}`);
  assert.ok(progress.filter((p) => !p.checkpointed).every((p) => p.learningRate === 1e-2));
  result.prior.dispose();
});

test('the bidirectional prior reports no validation loss (its focal loss has no held-out twin)', async () => {
  const progress: TrainProgress[] = [];
  const result = await trainPrior(
    ramps(8, 0),
    { ...PRIOR, attention: 'bidirectional' },
    { ...PRIOR_TRAINING, epochs: 1 },
    {
      modelDir: join(root, 'prior-bidirectional'),
      backendName: 'wasm',
      validation: ramps(4, 3),
      onProgress: (p) => progress.push(p),
    },
  );
  result.prior.dispose();
  assert.deepEqual(
    progress.filter((p) => p.checkpointed).map((p) => p.validationLoss),
    [undefined],
  );
});
