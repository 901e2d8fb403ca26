// The quality benchmark's pieces that decide what is evaluated: the no-model baselines of 2D images
// (raw and post-processed like the maps), the tuning split of magnetic-tile, and when a trained model
// may be reused instead of training again. Hand-computed on tiny inputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tuningSplit } from '../../bench/quality/datasets';
import { isFinishedTrainingOf, type TrainRequest } from '../../bench/quality/reusedTraining';
import { imageBaselines } from '../../models/evaluate/baselines';
import { POST_PROCESSING_OFF, type PostProcessing } from '../../models/scoring/postProcessing';
import type { VolumeScore } from '../../models/scoring/scoreScan';
import type { ModelManifest } from '../../models/vqvae/checkpoint';
import { SMALL_PRESET } from '../../models/vqvae/config';
import { RECIPES } from '../../models/vqvae/recipes';

const close = (actual: Float32Array, expected: number[]) =>
  assert.deepEqual(
    Array.from(actual, (v) => Number(v.toFixed(5))),
    expected,
  );

// A 3 x 1 image x = (0.2, 0.5, 0.9); the mean normal image is a 1 x 1 grid of 0.4 (stretched: 0.4 everywhere);
// the 11 x 11 median of the image covers all three pixels: 0.5 everywhere.
const score = { image: { dims: [3, 1, 1], data: Float32Array.of(0.2, 0.5, 0.9) } } as unknown as VolumeScore;
const baselinesWith = (settings: PostProcessing) => imageBaselines(score, Float32Array.of(0.4), 1, 'stretch', settings);

test('2D baselines: |x - mean image| and |x - median copy|, and without post-processing the same again', () => {
  const b = baselinesWith(POST_PROCESSING_OFF);
  close(b['mean-difference'].data, [0.2, 0.1, 0.5]);
  close(b['median-difference'].data, [0.3, 0, 0.4]);
  close(b['mean-difference-postprocessed'].data, [0.2, 0.1, 0.5]);
  close(b['median-difference-postprocessed'].data, [0.3, 0, 0.4]);
});

test('2D baselines post-processed: the polarity compares x with the expected image, the floor is the map minimum; the median follows', () => {
  // Negative: only x below the expected image counts; other pixels take the map's minimum (0.1 and 0).
  const negative = baselinesWith({ ...POST_PROCESSING_OFF, polarity: 'negative' });
  close(negative['mean-difference-postprocessed'].data, [0.2, 0.1, 0.1]);
  close(negative['median-difference-postprocessed'].data, [0.3, 0, 0]);
  const positive = baselinesWith({ ...POST_PROCESSING_OFF, polarity: 'positive' });
  close(positive['median-difference-postprocessed'].data, [0, 0, 0.4]);
  // Median 3 of (0.3, 0, 0.4), clipped at the borders: median(0.3, 0) = 0.15, median(0.3, 0, 0.4) = 0.3, median(0, 0.4) = 0.2.
  const median = baselinesWith({ ...POST_PROCESSING_OFF, medianSize: 3 });
  close(median['median-difference-postprocessed'].data, [0.15, 0.3, 0.2]);
});

test('the tuning split is the test rows the quick run (150 evenly spaced) does not evaluate', () => {
  const rows = Array.from({ length: 300 }, (_, i) => i);
  // evenlySpaced(300 rows, 150) takes rows 2k: the tuning split is the odd rows.
  assert.deepEqual(
    tuningSplit(rows),
    rows.filter((i) => i % 2 === 1),
  );
  assert.deepEqual(tuningSplit(rows.slice(0, 100)), [], 'with at most 150 rows the quick run evaluates them all');
});

test('a model is reused only when its manifest records the same recipe and a finished training', () => {
  const recipe = RECIPES['industrial-texture'];
  const request: TrainRequest = {
    folder: '/data/train',
    modelDir: '/m',
    model: recipe.model,
    training: recipe.training,
    data: { normalization: recipe.normalization },
  };
  // 632 training images in batches of 16: 40 steps per epoch, so the recipe's 20 epochs exceed its 600 steps.
  const manifest = (epochsCompleted: number, changes: Partial<ModelManifest> = {}) =>
    ({
      config: { ...SMALL_PRESET, codebookUpdate: 'loss', emaDecay: 0.99, batchNorm: false, reconstructionLoss: 'l1', aspect: 'pad', dropout: 0.1, beta: 0.25 },
      training: { ...recipe.training, eta: 0.5, anomalousMargin: 1, aggregateCodebookEpochs: 0, epochsCompleted, trainImages: 632 },
      normalization: 'percentile-0.5-99.5',
      data: { folder: '/data/train' },
      ...changes,
    }) as unknown as ModelManifest;
  assert.equal(isFinishedTrainingOf(manifest(20), request), true);
  assert.equal(isFinishedTrainingOf(manifest(14), request), false, 'a training cancelled at epoch 14');
  assert.equal(isFinishedTrainingOf(manifest(20, { data: { folder: '/other' } } as Partial<ModelManifest>), request), false, 'another folder');
  const fine = { ...manifest(20), config: { ...manifest(20).config, inputSize: 128 } } as ModelManifest;
  assert.equal(isFinishedTrainingOf(fine, request), false, 'another model size');
  assert.equal(isFinishedTrainingOf(manifest(20), { ...request, training: { ...recipe.training, learningRate: 5e-4 } }), false, 'another learning rate');
});
