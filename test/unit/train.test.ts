// Training: the loss goes down on synthetic blob images, every epoch writes a checkpoint, a cancel
// keeps the last completed epoch, the seed makes runs repeat exactly, and no tensors leak.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../models/runtime/backend';
import { loadModel } from '../../models/vqvae/checkpoint';
import type { TrainingConfig, VqVaeConfig } from '../../models/vqvae/config';
import { VqVae } from '../../models/vqvae/model';
import { SeededRandom } from '../../models/vqvae/seededRandom';
import { trainVqVae } from '../../models/vqvae/train';
import type { TrainProgress } from '../../models/worker/protocol';

// Tiny, so that a few epochs take a second or two.
const TINY: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0.1 };
const TRAINING: TrainingConfig = { epochs: 4, batchSize: 8, learningRate: 3e-3, seed: 1 };
const SIZE = TINY.inputSize;
const root = mkdtempSync(join(tmpdir(), 'vqvae-train-'));

before(async () => {
  await selectBackend('wasm');
});
after(() => rmSync(root, { recursive: true, force: true }));

/** `count` 16x16 images, each one or two bright Gaussian blobs on a dark background, values in [0, 1]. */
function blobImages(count: number): Float32Array[] {
  const random = new SeededRandom(42, 'blobs');
  return Array.from({ length: count }, () => {
    const image = new Float32Array(SIZE * SIZE);
    const blobs = 1 + random.int(2);
    for (let b = 0; b < blobs; b++) {
      const [cx, cy, radius] = [2 + random.next() * 12, 2 + random.next() * 12, 1.5 + random.next() * 2];
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          const value = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius ** 2));
          image[y * SIZE + x] = Math.max(image[y * SIZE + x], value);
        }
      }
    }
    return image;
  });
}

const IMAGES = blobImages(32);
const dataSummary = { folder: '/synthetic/blobs', files: 32, images: 32, skipped: 0 };
/** The loss per epoch of the first test's run, which the cancelled run (same seed) must repeat. */
let fullRunHistory: number[] = [];
const weightValues = (weights: tf.NamedTensorMap): Record<string, Float32Array> =>
  Object.fromEntries(Object.entries(weights).map(([name, w]) => [name, w.dataSync() as Float32Array]));

test('training lowers the loss, checkpoints every epoch and leaks no tensors', async () => {
  const modelDir = join(root, 'full');
  const tensorsBefore = tf.memory().numTensors;
  const progress: TrainProgress[] = [];
  const tensorsAtCheckpoint: number[] = [];
  const result = await trainVqVae(IMAGES, TINY, TRAINING, {
    modelDir,
    dataSummary,
    backendName: 'wasm',
    onProgress: (p) => {
      progress.push(p);
      if (p.checkpointed) tensorsAtCheckpoint.push(tf.memory().numTensors);
    },
  });

  assert.equal(result.cancelled, false);
  assert.equal(result.epochsCompleted, 4);
  assert.equal(result.images, 32);
  const { manifest, model: saved } = await loadModel(modelDir);
  const history = manifest.training.lossHistory;
  assert.equal(history.length, 4);
  assert.ok(history[3] < history[0], `loss went down: ${history.join(', ')}`);
  assert.equal(result.finalLoss, history[3]);
  // The result names the saved epoch: the one of the lowest monitored loss, with that loss (not the last epoch's).
  const monitored = manifest.training.validationLossHistory?.length ? manifest.training.validationLossHistory : history;
  assert.equal(result.bestLossOn, manifest.training.validationLossHistory?.length ? 'validation' : 'training');
  assert.equal(result.bestEpoch, manifest.training.bestEpoch);
  assert.equal(result.bestEpoch, monitored.indexOf(Math.min(...monitored)) + 1);
  assert.equal(result.bestLoss, Math.min(...monitored));
  fullRunHistory = history;
  assert.equal(manifest.training.epochsCompleted, 4);
  assert.deepEqual(manifest.data, dataSummary);
  assert.ok(manifest.codebookUsage! >= 1 && manifest.codebookUsage! <= TINY.codebookSize);
  // The folder holds the final weights.
  assert.deepEqual(weightValues(saved.getWeights()), weightValues(result.model.getWeights()));

  // 32 images in batches of 8: 4 steps per epoch, then the checkpoint event.
  assert.equal(progress.length, 4 * (4 + 1));
  assert.deepEqual(
    progress.slice(0, 5).map((p) => [p.epoch, p.step, p.stepsPerEpoch, p.checkpointed ?? false]),
    [
      [1, 1, 4, false],
      [1, 2, 4, false],
      [1, 3, 4, false],
      [1, 4, 4, false],
      [1, 4, 4, true],
    ],
  );
  assert.deepEqual(
    progress.filter((p) => p.checkpointed).map((p) => p.loss),
    history,
  );
  // Once Adam has created its moments in epoch 1, an epoch adds no tensors.
  assert.deepEqual(new Set(tensorsAtCheckpoint).size, 1, `tensors at each checkpoint: ${tensorsAtCheckpoint}`);
  [saved, result.model].forEach((m) => m.dispose());
  assert.equal(tf.memory().numTensors, tensorsBefore, 'nothing is left once the models are disposed (the optimizer frees its moments)');
});

test('a cancel during epoch 2 keeps epoch 1 in the folder, and the same seed repeats epoch 1 exactly', async () => {
  const modelDir = join(root, 'cancelled');
  let epoch1Weights: Record<string, Float32Array> = {};
  let epoch1Loss = NaN;
  let cancel = false;
  // A fresh model from the training seed, passed in so that its weights can be read at the checkpoint.
  const model = VqVae.create(TINY, TRAINING.seed);
  const result = await trainVqVae(IMAGES, TINY, TRAINING, {
    modelDir,
    dataSummary,
    backendName: 'wasm',
    initial: model,
    onProgress: (p) => {
      if (p.checkpointed) {
        epoch1Weights = weightValues(model.getWeights());
        epoch1Loss = p.loss;
      }
      if (p.epoch === 2 && p.step === 1) cancel = true;
    },
    isCancelled: () => cancel,
  });

  assert.equal(result.cancelled, true);
  assert.equal(result.epochsCompleted, 1);
  assert.equal(result.finalLoss, epoch1Loss);
  assert.equal(epoch1Loss, fullRunHistory[0], 'same seed, same data: same first epoch');
  const { manifest, model: saved } = await loadModel(modelDir);
  assert.equal(manifest.training.epochsCompleted, 1);
  assert.deepEqual(weightValues(saved.getWeights()), epoch1Weights);
  // The model in memory went one step further than the checkpoint.
  assert.notDeepEqual(weightValues(model.getWeights()), epoch1Weights);
  [saved, model].forEach((m) => m.dispose());
});

test('a cancel before the first step saves nothing and reports 0 epochs', async () => {
  const modelDir = join(root, 'never');
  const result = await trainVqVae(IMAGES, TINY, TRAINING, { modelDir, dataSummary, backendName: 'wasm', isCancelled: () => true });
  assert.equal(result.cancelled, true);
  assert.equal(result.epochsCompleted, 0);
  assert.ok(Number.isNaN(result.finalLoss));
  assert.equal(existsSync(modelDir), false);
  result.model.dispose();
});

test('invalid training settings and empty data are refused before anything is written', async () => {
  const modelDir = join(root, 'refused');
  const options = { modelDir, dataSummary, backendName: 'wasm' };
  await assert.rejects(
    trainVqVae(IMAGES, TINY, { ...TRAINING, batchSize: 0 }, options),
    /Invalid training configuration: batchSize must be a positive integer, got 0/,
  );
  await assert.rejects(trainVqVae([], TINY, TRAINING, options), /No training images/);
  const other = VqVae.create({ ...TINY, codebookSize: 16 }, 1);
  await assert.rejects(trainVqVae(IMAGES, TINY, TRAINING, { ...options, initial: other }), /initial model's configuration .* differs/);
  other.dispose();
  assert.equal(existsSync(modelDir), false);
});

test('minSteps adds epochs for a small folder; the data-initialised codebook and dead-code restarts keep codes in use; the manifest holds the health', async () => {
  const modelDir = join(root, 'steps');
  const logs: string[] = [];
  // 32 images in batches of 8: 4 steps an epoch, so 1 epoch with minSteps 12 becomes 3.
  const training: TrainingConfig = { ...TRAINING, epochs: 1, minSteps: 12, codebookInitSteps: 2, restartDeadCodes: true, validationFraction: 0 };
  const plain = await trainVqVae(
    IMAGES,
    TINY,
    { ...TRAINING, epochs: 3, validationFraction: 0 },
    { modelDir: join(root, 'steps-plain'), dataSummary, backendName: 'wasm' },
  );
  const result = await trainVqVae(IMAGES, TINY, training, { modelDir, dataSummary, backendName: 'wasm', log: (line) => logs.push(line) });
  assert.equal(result.epochsCompleted, 3);
  assert.ok(
    logs.some((line) => /3 epochs instead of 1, to reach 12 optimizer steps/.test(line)),
    logs.join('\n'),
  );
  assert.ok(
    logs.some((line) => /Step 2: codebook replaced by k-means of training encodings/.test(line)),
    logs.join('\n'),
  );
  const { manifest: withData } = await loadModel(modelDir).then(({ model, manifest }) => (model.dispose(), { manifest }));
  const { manifest: without } = await loadModel(join(root, 'steps-plain')).then(({ model, manifest }) => (model.dispose(), { manifest }));
  assert.ok(withData.health && without.health, 'both manifests record the health');
  assert.equal(withData.health.checkedOn, 'training');
  assert.ok(withData.health.codesInUse > without.health.codesInUse, `codes in use ${withData.health.codesInUse} vs ${without.health.codesInUse} at ±1/K`);
  assert.ok(withData.health.constantL1 > 0 && withData.health.reconstructionL1 > 0);
  [plain.model, result.model].forEach((m) => m.dispose());
});
