// Training that can be trusted: a run cancelled after epoch 1 and resumed gives exactly the losses of an
// uninterrupted run with the same seed (optimizer moments, step and generator states are checkpointed);
// early stopping stops after `patience` epochs without a better validation loss and keeps the best
// epoch's weights; resuming with other settings is refused; fine-tuning records its origin; resuming or
// retraining keeps the folder's evaluations and sets its prior aside.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../models/runtime/backend';
import { loadModel, type ModelManifest } from '../../models/vqvae/checkpoint';
import { AUGMENT_LSR, type TrainingConfig, type VqVaeConfig } from '../../models/vqvae/config';
import { VqVae } from '../../models/vqvae/model';
import { SeededRandom } from '../../models/vqvae/seededRandom';
import { trainVqVae } from '../../models/vqvae/train';

// Tiny, with every source of randomness switched on: dropout, augmentation, a validation split, EMA and BatchNorm.
const TINY: VqVaeConfig = {
  inputSize: 16,
  channels: [4, 8],
  residualBlocks: 1,
  codebookSize: 8,
  codebookDim: 4,
  beta: 0.25,
  dropout: 0.1,
  batchNorm: true,
  codebookUpdate: 'ema',
};
const TRAINING: TrainingConfig = {
  epochs: 3,
  batchSize: 8,
  learningRate: 3e-3,
  seed: 4,
  lrSchedule: 'cosine',
  augment: AUGMENT_LSR,
  validationFraction: 0.2,
  earlyStoppingPatience: 0,
};
const SIZE = TINY.inputSize;
const root = mkdtempSync(join(tmpdir(), 'vqvae-resume-'));
const dataSummary = { folder: '/synthetic', files: 20, images: 20, skipped: 0 };

before(async () => {
  await selectBackend('wasm');
});
after(() => rmSync(root, { recursive: true, force: true }));

/** `count` 16x16 images of one Gaussian blob at a seeded place. */
function blobImages(count: number, seed: number): Float32Array[] {
  const random = new SeededRandom(seed, 'blobs');
  return Array.from({ length: count }, () => {
    const [cx, cy, radius] = [3 + random.next() * 10, 3 + random.next() * 10, 1.5 + random.next() * 2];
    return Float32Array.from({ length: SIZE * SIZE }, (_, i) => Math.exp(-(((i % SIZE) - cx) ** 2 + (Math.floor(i / SIZE) - cy) ** 2) / (2 * radius ** 2)));
  });
}

const IMAGES = blobImages(20, 1);
/** The training record of a saved model (the model itself is disposed). */
async function manifestTraining(dir: string): Promise<ModelManifest['training']> {
  const { model, manifest } = await loadModel(dir);
  model.dispose();
  return manifest.training;
}

const weightValues = (model: VqVae): Record<string, number[]> =>
  Object.fromEntries(Object.entries(model.getWeights()).map(([name, w]) => [name, Array.from(w.dataSync())]));

/** Trains into `dir`, cancelled at the first step of epoch 2: the folder holds epoch 1. */
function trainCancelledInEpoch2(dir: string): ReturnType<typeof trainVqVae> {
  let cancel = false;
  return trainVqVae(IMAGES, TINY, TRAINING, {
    modelDir: dir,
    dataSummary,
    backendName: 'wasm',
    isCancelled: () => cancel,
    onProgress: (p) => (cancel = p.epoch === 2),
  });
}

test('a run cancelled after epoch 1 and resumed repeats the uninterrupted run exactly', async () => {
  const tensorsBefore = tf.memory().numTensors;
  const uninterrupted = await trainVqVae(IMAGES, TINY, TRAINING, { modelDir: join(root, 'whole'), dataSummary, backendName: 'wasm' });
  const whole = await manifestTraining(join(root, 'whole'));

  const dir = join(root, 'resumed');
  const first = await trainCancelledInEpoch2(dir);
  assert.equal(first.cancelled, true);
  assert.equal(first.epochsCompleted, 1);
  first.model.dispose();
  assert.ok(existsSync(join(dir, 'resume', 'state.json')) && existsSync(join(dir, 'resume', 'optimizer.bin')));

  const resumed = await trainVqVae(IMAGES, TINY, TRAINING, { modelDir: dir, dataSummary, backendName: 'wasm', resume: true });
  assert.equal(resumed.epochsCompleted, 3);
  const record = await manifestTraining(dir);
  assert.deepEqual(record.lossHistory, whole.lossHistory, 'same training losses, epoch by epoch');
  assert.deepEqual(record.validationLossHistory, whole.validationLossHistory, 'same validation losses');
  assert.equal(record.validationLossHistory?.length, 3);
  assert.deepEqual(weightValues(resumed.model), weightValues(uninterrupted.model));
  [resumed.model, uninterrupted.model].forEach((m) => m.dispose());
  assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensors leak (EMA, BatchNorm, Adam, resume)');
});

test('resume refuses other settings, and a folder without a checkpoint', async () => {
  const options = { modelDir: join(root, 'resumed'), dataSummary, backendName: 'wasm', resume: true };
  await assert.rejects(trainVqVae(IMAGES, { ...TINY, beta: 1 }, TRAINING, options), /Cannot resume .*resumed: its model configuration/);
  await assert.rejects(trainVqVae(IMAGES, TINY, { ...TRAINING, learningRate: 1 }, options), /Cannot resume .*training settings .* \(only epochs may change\)/);
  await assert.rejects(trainVqVae(IMAGES, TINY, TRAINING, { ...options, modelDir: join(root, 'nothing') }), /nothing has no training to resume/);
  // More epochs is allowed: it continues after epoch 3.
  const more = await trainVqVae(IMAGES, TINY, { ...TRAINING, epochs: 4 }, options);
  assert.equal(more.epochsCompleted, 4);
  more.model.dispose();
});

test('early stopping stops after `patience` epochs without a better validation loss and keeps the best epoch', async () => {
  // A learning rate far too high makes the validation loss stop improving after a few epochs.
  const training: TrainingConfig = { epochs: 30, batchSize: 4, learningRate: 0.05, seed: 2, validationFraction: 0.25, earlyStoppingPatience: 2 };
  const model = VqVae.create(TINY, training.seed);
  const weightsByEpoch: Record<string, number[]>[] = [];
  const dir = join(root, 'early');
  const result = await trainVqVae(IMAGES, TINY, training, {
    modelDir: dir,
    dataSummary,
    backendName: 'wasm',
    initial: model,
    onProgress: (p) => p.checkpointed && weightsByEpoch.push(weightValues(model)),
  });
  const { manifest, model: saved } = await loadModel(dir);
  const { validationLossHistory = [], bestEpoch = 0, stoppedEarly } = manifest.training;
  assert.equal(stoppedEarly, true, `validation losses ${validationLossHistory}`);
  assert.ok(result.epochsCompleted < training.epochs);
  assert.equal(result.epochsCompleted, bestEpoch + 2, 'stopped 2 epochs after the best');
  const best = Math.min(...validationLossHistory);
  assert.equal(validationLossHistory[bestEpoch - 1], best);
  assert.ok(validationLossHistory.slice(bestEpoch).every((loss) => loss >= best));
  // The folder and the returned model hold the best epoch's weights, not the last one's.
  assert.deepEqual(weightValues(saved), weightsByEpoch[bestEpoch - 1]);
  assert.deepEqual(weightValues(model), weightsByEpoch[bestEpoch - 1]);
  [saved, model].forEach((m) => m.dispose());
});

test('fine-tuning starts from the given model and records where it came from', async () => {
  const { model: source } = await loadModel(join(root, 'whole'));
  const start = weightValues(source);
  const dir = join(root, 'finetuned');
  const result = await trainVqVae(
    blobImages(8, 9),
    TINY,
    { ...TRAINING, epochs: 1, learningRate: 1e-4 },
    {
      modelDir: dir,
      dataSummary,
      backendName: 'wasm',
      initial: source,
      fineTunedFrom: join(root, 'whole'),
    },
  );
  const { manifest, model: tuned } = await loadModel(dir);
  assert.equal(manifest.fineTunedFrom, join(root, 'whole'));
  assert.equal(manifest.method, 'vq-vae');
  // A small learning rate moves the weights only a little from the source's.
  const kernel = 'encoder/down0/kernel';
  const change = Math.max(...weightValues(tuned)[kernel].map((v, i) => Math.abs(v - start[kernel][i])));
  assert.ok(change > 0 && change < 0.01, `largest change ${change}`);
  [result.model, tuned].forEach((m) => m.dispose());
});

test("resuming or retraining keeps the model folder's evaluations/ and moves its stale prior to prior-previous/", async () => {
  const dir = join(root, 'kept');
  (await trainCancelledInEpoch2(dir)).model.dispose();
  const report = join(dir, 'evaluations', 'test-2026-12-02', 'report.md');
  mkdirSync(dirname(report), { recursive: true });
  writeFileSync(report, '# the report\n');
  mkdirSync(join(dir, 'prior'));
  writeFileSync(join(dir, 'prior', 'manifest.json'), '{"prior": 1}\n');

  const lines: string[] = [];
  const resumed = await trainVqVae(IMAGES, TINY, TRAINING, { modelDir: dir, dataSummary, backendName: 'wasm', resume: true, log: (line) => lines.push(line) });
  resumed.model.dispose();
  assert.equal(readFileSync(report, 'utf8'), '# the report\n');
  assert.equal(existsSync(join(dir, 'prior')), false);
  assert.equal(readFileSync(join(dir, 'prior-previous', 'manifest.json'), 'utf8'), '{"prior": 1}\n');
  assert.ok(
    lines.includes(`The prior in ${join(dir, 'prior')} no longer matches the model's tokens: moved to prior-previous/ (train-prior again)`),
    lines.join('\n'),
  );

  // Training from scratch into the folder keeps them too.
  const again = await trainVqVae(IMAGES, TINY, { ...TRAINING, epochs: 1 }, { modelDir: dir, dataSummary, backendName: 'wasm' });
  again.model.dispose();
  assert.equal(readFileSync(report, 'utf8'), '# the report\n');
  assert.equal(readFileSync(join(dir, 'prior-previous', 'manifest.json'), 'utf8'), '{"prior": 1}\n');
  assert.equal((await manifestTraining(dir)).epochsCompleted, 1);
});
