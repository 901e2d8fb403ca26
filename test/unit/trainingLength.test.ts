import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { FEW_TRAINING_STEPS, fewStepsWarning, trainingSteps } from '../../models/vqvae/trainingLength';

test('training steps are epochs x ceil(images / batch size)', () => {
  assert.equal(trainingSteps(10, 72, 16), 50); // the sample's 72 slices: 5 batches of 16 per epoch
  assert.equal(trainingSteps(40, 72, 8), 360);
  assert.equal(trainingSteps(1, 1, 16), 1);
});

test('a training of fewer than FEW_TRAINING_STEPS steps is warned about, with the epochs that would do', () => {
  const warning = fewStepsWarning(10, 72, 16);
  assert.ok(warning);
  assert.match(warning, /^Only 50 optimizer steps \(10 epochs x 5 batches of 16\)/);
  assert.match(warning, new RegExp(`train ${Math.ceil(FEW_TRAINING_STEPS / 5)} epochs`)); // 40 epochs of 5 batches = 200 steps
  assert.equal(fewStepsWarning(40, 72, 8), undefined);
  assert.equal(fewStepsWarning(40, 40, 8), undefined); // exactly 200 steps
});
