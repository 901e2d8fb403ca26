// Fine-tuning the latent prior of a model folder on a folder (runTrainPrior with fineTune): it starts from
// the saved weights with a fresh optimizer, keeps the saved architecture, calibrates again, and refuses
// a model that has no prior yet.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { loadTrainingSlices } from '../../models/io/dataset';
import { BadInputError } from '../../models/io/errors';
import { loadPrior } from '../../models/prior/priorCheckpoint';
import { sequenceNll } from '../../models/prior/sequenceNll';
import { encodeTokens } from '../../models/prior/tokens';
import { PriorTransformer } from '../../models/prior/transformer';
import { selectBackend } from '../../models/runtime/backend';
import { loadModel } from '../../models/vqvae/checkpoint';
import { runTrainPrior } from '../../models/worker/priorJobs';
import type { TrainProgress } from '../../models/worker/protocol';
import { saveTinyModel, TINY_PRIOR_CONFIG } from './priorFixtures';
import { writeSyntheticPngs } from './workerFixtures';

const control = (progress: TrainProgress[] = []) => ({ onProgress: (p: TrainProgress) => progress.push(p), isCancelled: () => false, log: () => {} });
const readManifest = (modelDir: string) => JSON.parse(readFileSync(join(modelDir, 'prior', 'manifest.json'), 'utf8'));
/** One batch holds every training sequence: the first step's loss is the mean NLL over all of them. */
const ONE_BATCH = { batchSize: 64, learningRate: 1e-2, seed: 1 };

let root: string;
let modelDir: string;
let folder: string;
before(async () => {
  await selectBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'prior-fine-tune-'));
  modelDir = join(root, 'model');
  folder = join(root, 'data');
  await saveTinyModel(modelDir);
  writeSyntheticPngs(folder, 10);
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Mean per-token NLL of the folder's training sequences (the split runTrainPrior makes) under `prior`. */
async function meanNllOnTrainingSequences(prior: PriorTransformer): Promise<number> {
  const { model } = await loadModel(modelDir);
  try {
    const data = await loadTrainingSlices(folder, model.config.inputSize, undefined, { validationFraction: 0.1, seed: ONE_BATCH.seed });
    const maps = await sequenceNll(prior, await encodeTokens(model, data.slices));
    return maps.reduce((sum, map) => sum + map.reduce((a, b) => a + b, 0), 0) / (maps.length * prior.config.sequenceLength);
  } finally {
    model.dispose();
  }
}

test('fine-tuning a model without a prior is refused with a clear message', async () => {
  await assert.rejects(
    runTrainPrior({ modelDir, folder, training: { epochs: 1 }, fineTune: true }, 'wasm', control()),
    (error: unknown) =>
      error instanceof BadInputError && error.message === `${modelDir} has no latent prior to fine-tune: train one first (Train latent prior)`,
  );
});

test('fine-tuning starts from the saved weights: its first loss is the trained prior’s, below a fresh prior’s; then it calibrates again', async () => {
  // A wider prior than the settings' default, so that keeping the saved architecture shows.
  await runTrainPrior({ modelDir, folder, prior: { ...TINY_PRIOR_CONFIG, dModel: 16 }, training: { ...ONE_BATCH, epochs: 10 } }, 'wasm', control());
  const trained = await loadPrior(modelDir);
  const trainedLoss = await meanNllOnTrainingSequences(trained.prior);
  trained.prior.dispose();
  const fresh = PriorTransformer.create({ ...TINY_PRIOR_CONFIG, dModel: 16 }, ONE_BATCH.seed);
  const freshLoss = await meanNllOnTrainingSequences(fresh);
  fresh.dispose();
  assert.ok(trainedLoss < freshLoss - 0.1, `the trained prior (${trainedLoss}) fits better than a fresh one (${freshLoss})`);

  const before = tf.memory().numTensors;
  const progress: TrainProgress[] = [];
  // `prior` asks for another architecture: a fine-tune keeps the saved one.
  const result = await runTrainPrior(
    { modelDir, folder, prior: { dModel: 32 }, training: { ...ONE_BATCH, epochs: 1 }, fineTune: true },
    'wasm',
    control(progress),
  );
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  assert.ok(Math.abs(progress[0].loss - trainedLoss) < 1e-4, `first fine-tuning loss ${progress[0].loss} = the trained prior's ${trainedLoss}`);

  const manifest = readManifest(modelDir);
  assert.equal(manifest.config.dModel, 16);
  assert.equal(manifest.training.epochsCompleted, 1);
  assert.deepEqual([manifest.calibration.lambdaS, manifest.calibration.lambdaP], [result.lambdaS, result.lambdaP]);
  assert.ok(result.lambdaS >= result.lambdaP);
});
