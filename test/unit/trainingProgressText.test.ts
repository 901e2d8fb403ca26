// The training notification's text and bar (extension/commands/trainingProgressText.ts).
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainingFraction, trainingMessage } from '../../extension/commands/trainingProgressText';

const progress = { epoch: 2, epochs: 4, step: 3, stepsPerEpoch: 5, loss: 0.012345 };

test('reads "Epoch e/E · loss" with the loss to 4 decimals', () => {
  assert.equal(trainingMessage(progress), 'Epoch 2/4 · loss 0.0123');
});

test('fills the bar by steps over all epochs', () => {
  assert.equal(trainingFraction(progress), (1 * 5 + 3) / (4 * 5)); // 8 of 20 steps = 0.4
  assert.equal(trainingFraction({ ...progress, epoch: 4, step: 5 }), 1);
  assert.equal(trainingFraction({ ...progress, epoch: 1, step: 1 }), 1 / 20);
});
