// A model trained with z-score normalization records it, and scoring normalizes the scan the same way
// (a model scored with another normalization than it was trained with would see other images).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { normalizeVolume, type Normalization } from '../../models/io/normalize';
import { readScan } from '../../models/io/volume';
import { selectBackend } from '../../models/runtime/backend';
import { normalizationOf, type ModelManifest } from '../../models/vqvae/checkpoint';
import { runScoreScan, runTrain } from '../../models/worker/jobs';
import { ModelCache } from '../../models/worker/modelCache';
import { TINY_MODEL, TINY_TRAINING, writeSyntheticPngs } from './workerFixtures';

const quiet = { onProgress: () => {}, isCancelled: () => false, log: () => {} };
const root = mkdtempSync(join(tmpdir(), 'normalization-'));
let images: string[];

before(async () => {
  await selectBackend('wasm');
  images = writeSyntheticPngs(join(root, 'train'), 6);
});
after(() => rmSync(root, { recursive: true, force: true }));

for (const normalization of ['zscore', 'percentile'] as Normalization[]) {
  test(`a model trained with ${normalization} normalization records it and scores with it`, async () => {
    const modelDir = join(root, `model-${normalization}`);
    const training = { ...TINY_TRAINING, epochs: 1, validationFraction: 0 };
    await runTrain({ folder: join(root, 'train'), modelDir, model: TINY_MODEL, training, data: { normalization } }, 'wasm', quiet);
    const manifest = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
    assert.equal(normalizationOf(manifest), normalization);

    const scored = await runScoreScan({ modelDir, file: images[0] }, new ModelCache(), quiet);
    const expected = normalizeVolume(await readScan(images[0]), normalization);
    assert.deepEqual(Array.from(scored.image.data), Array.from(expected));
  });
}

test('manifests written before the choice existed read as percentile', () => {
  assert.equal(normalizationOf({ normalization: 'percentile-0.5-99.5' }), 'percentile');
});
