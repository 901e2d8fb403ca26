// The training notification's text and bar (extension/commands/trainingProgressText.ts).
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainedSummary, trainingFraction, trainingMessage } from '../../extension/commands/trainingProgressText';

const progress = { epoch: 2, epochs: 4, step: 3, stepsPerEpoch: 5, loss: 0.012345 };

test('reads "Epoch e/E · loss" with the loss to 4 decimals', () => {
  assert.equal(trainingMessage(progress), 'Epoch 2/4 · loss 0.0123');
});

test('fills the bar by steps over all epochs', () => {
  assert.equal(trainingFraction(progress), (1 * 5 + 3) / (4 * 5)); // 8 of 20 steps = 0.4
  assert.equal(trainingFraction({ ...progress, epoch: 4, step: 5 }), 1);
  assert.equal(trainingFraction({ ...progress, epoch: 1, step: 1 }), 1 / 20);
});

test("the finish message reports the saved (best) epoch and its loss, not the last epoch's", () => {
  const result = {
    modelDir: '/w/m',
    epochsCompleted: 5,
    finalLoss: 0.9,
    bestEpoch: 3,
    bestLoss: 0.12345,
    bestLossOn: 'validation',
    images: 40,
    trainImages: 32,
    validationImages: 8,
    cancelled: false,
  } as const;
  assert.equal(
    trainedSummary(result, 'brains', '.anomaly-models/brains'),
    'Model trained on 32 images of brains (8 more for validation): 5 epochs; saved epoch 3 (validation loss 0.1235). Saved to .anomaly-models/brains.',
  );
  assert.match(
    trainedSummary({ ...result, epochsCompleted: 1, bestEpoch: 1, bestLossOn: 'training', validationImages: 0 }, 'b', 'm'),
    /of b: 1 epoch; saved epoch 1 \(training loss/,
  );
});
