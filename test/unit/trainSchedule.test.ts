// The pure parts of training: the learning-rate schedule at given steps, the seeded validation split,
// the defaults of the training options and their validation messages.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUGMENT_OFF, DEFAULT_TRAINING, resolveTrainingConfig, TRAINING_OPTION_DEFAULTS } from '../../models/vqvae/config';
import { learningRateAt } from '../../models/vqvae/lrSchedule';
import { validateTrainingConfig } from '../../models/vqvae/validateConfig';
import { splitTrainValidation } from '../../models/vqvae/validationSplit';

test('learning-rate schedules: constant, cosine (1 + cos(pi t / T)) / 2, step x0.1 at 50 % and 75 %', () => {
  assert.deepEqual(
    [0, 50, 99].map((s) => learningRateAt('constant', 1e-3, s, 100)),
    [1e-3, 1e-3, 1e-3],
  );
  // cosine at t = 0, T/4, T/2, 3T/4: 1, (1 + sqrt(1/2)) / 2 = 0.853553, 0.5, 0.146447 times the rate.
  const cosine = [0, 25, 50, 75].map((s) => learningRateAt('cosine', 2, s, 100));
  [2, 1.707107, 1, 0.292893].forEach((e, i) => assert.ok(Math.abs(cosine[i] - e) < 1e-6, `cosine step ${i}: ${cosine[i]}`));
  const step = [0, 49, 50, 74, 75, 99].map((s) => learningRateAt('step', 1, s, 100));
  [1, 1, 0.1, 0.1, 0.01, 0.01].forEach((e, i) => assert.ok(Math.abs(step[i] - e) < 1e-12, `step ${i}: ${step[i]}`));
});

test('the validation split holds out round(fraction * n) images chosen by the seed, disjoint from training', () => {
  const split = splitTrainValidation(20, 0.1, 1);
  assert.equal(split.validation.length, 2);
  assert.equal(split.train.length, 18);
  assert.deepEqual(
    [...split.train, ...split.validation].sort((a, b) => a - b),
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.deepEqual(splitTrainValidation(20, 0.1, 1), split, 'same seed, same split');
  assert.notDeepEqual(splitTrainValidation(20, 0.1, 2).validation, split.validation);
  // At least one validation image when asked for, none when the fraction is 0 or there is one image.
  assert.equal(splitTrainValidation(5, 0.01, 1).validation.length, 1);
  assert.deepEqual(splitTrainValidation(5, 0, 1), { train: [0, 1, 2, 3, 4], validation: [] });
  assert.deepEqual(splitTrainValidation(1, 0.5, 1), { train: [0], validation: [] });
});

test('training options default as documented and are validated with messages naming them', () => {
  assert.deepEqual(resolveTrainingConfig(DEFAULT_TRAINING), { ...DEFAULT_TRAINING, ...TRAINING_OPTION_DEFAULTS });
  assert.deepEqual(TRAINING_OPTION_DEFAULTS, {
    lrSchedule: 'constant',
    augment: AUGMENT_OFF,
    validationFraction: 0.1,
    earlyStoppingPatience: 5,
    eta: 0.5,
    anomalousMargin: 1,
    aggregateCodebookEpochs: 0,
    minSteps: 0,
    warmupSteps: 0,
    codebookInitSteps: 0,
    restartDeadCodes: false,
  });
  // A partial augment setting keeps the others off.
  assert.deepEqual(resolveTrainingConfig({ ...DEFAULT_TRAINING, augment: { flip: true } as typeof AUGMENT_OFF }).augment, { ...AUGMENT_OFF, flip: true });
  assert.throws(
    () => validateTrainingConfig({ ...DEFAULT_TRAINING, lrSchedule: 'linear' as 'step', validationFraction: 1, earlyStoppingPatience: -1, eta: 0 }),
    /lrSchedule must be "constant", "cosine" or "step", got "linear".*validationFraction must be in \[0, 1\), got 1.*earlyStoppingPatience must be an integer >= 0, got -1.*eta must be in \(0, 1\], got 0/,
  );
  assert.throws(() => validateTrainingConfig({ ...DEFAULT_TRAINING, augment: { ...AUGMENT_OFF, noise: -1 } }), /augment.noise must be a number >= 0, got -1/);
});
