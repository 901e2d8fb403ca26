// The LSGS aggregated codebook as a training option (methods.md §2): after training, k-means replaces
// the codebook and the model is fine-tuned; the manifest records the codebook usage before and after.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { selectBackend } from '../../models/runtime/backend';
import type { ModelManifest } from '../../models/vqvae/checkpoint';
import { runTrain } from '../../models/worker/jobs';
import { TINY_MODEL, TINY_TRAINING, writeSyntheticPngs } from './workerFixtures';

const root = mkdtempSync(join(tmpdir(), 'aggregate-'));
const lines: string[] = [];
const control = { onProgress: () => {}, isCancelled: () => false, log: (line: string) => lines.push(line) };

before(async () => {
  await selectBackend('wasm');
  writeSyntheticPngs(join(root, 'train'), 8);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('aggregateCodebookEpochs > 0: k-means codebook then that many fine-tuning epochs, usage recorded', async () => {
  const modelDir = join(root, 'model');
  const training = { ...TINY_TRAINING, epochs: 1, validationFraction: 0, aggregateCodebookEpochs: 2 };
  const result = await runTrain({ folder: join(root, 'train'), modelDir, model: TINY_MODEL, training }, 'wasm', control);

  const manifest = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  assert.ok(manifest.aggregatedCodebook, 'the manifest records the aggregated codebook');
  const { usageBefore, usageAfter } = manifest.aggregatedCodebook;
  assert.ok(usageBefore >= 1 && usageBefore <= TINY_MODEL.codebookSize);
  assert.ok(usageAfter >= 1 && usageAfter <= TINY_MODEL.codebookSize);
  assert.equal(manifest.training.epochsCompleted, 2, 'the fine-tuning epochs after the k-means codebook');
  assert.equal(result.epochsCompleted, 2);
  assert.ok(lines.some((line) => line.includes(`${usageBefore} -> ${usageAfter} codes used`)));
});

test('aggregateCodebookEpochs must be a whole number >= 0', async () => {
  const training = { ...TINY_TRAINING, aggregateCodebookEpochs: -1 };
  await assert.rejects(
    runTrain({ folder: join(root, 'train'), modelDir: join(root, 'bad'), model: TINY_MODEL, training }, 'wasm', control),
    /aggregateCodebookEpochs must be an integer >= 0/,
  );
});
