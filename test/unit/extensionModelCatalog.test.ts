// extension/modelCatalog.ts and modelDetails.ts: the workspace's models newest first, their summaries,
// the details page, and deleting a model folder, which refuses anything but a model folder.
import { modelHealth } from '../../models/vqvae/modelHealth';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ModelEntry, configSummary, deleteModelFolder, listModels, presetOf, sortModels } from '../../extension/modelCatalog';
import { modelDetailsMarkdown } from '../../extension/modelDetails';
import { POST_PROCESSING_OFF } from '../../models/scoring/postProcessing';
import type { ModelManifest } from '../../models/vqvae/checkpoint';
import { PRESETS } from '../../models/vqvae/presets';

function manifest(created: string, overrides: Partial<ModelManifest> = {}): ModelManifest {
  return {
    format: 'vq-anomaly-model',
    version: 1,
    name: 'm',
    created,
    backend: 'wasm',
    config: PRESETS['cpu-small'].config,
    training: {
      epochs: 3,
      batchSize: 4,
      learningRate: 1e-3,
      seed: 5,
      epochsCompleted: 2,
      finalLoss: 0.125,
      lossHistory: [0.5, 0.125],
      validationLossHistory: [0.75, 0.25],
      bestEpoch: 2,
      seconds: 12.4,
    },
    normalization: 'percentile-0.5-99.5',
    data: { folder: '/ws/train', files: 2, images: 20, skipped: 1 },
    codebookUsage: 87,
    weightsManifest: [],
    ...overrides,
  };
}

function writeModel(root: string, name: string, content: ModelManifest | string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

describe('model catalog', () => {
  let models: string;
  before(() => {
    models = join(mkdtempSync(join(tmpdir(), 'model-catalog-')), '.anomaly-models');
    writeModel(models, 'brains', manifest('2026-01-02T10:00:00.000Z'));
    writeModel(models, 'tiles', manifest('2026-03-01T08:30:00.000Z'));
    writeModel(models, 'tiles.tmp-4242', manifest('2026-04-01T00:00:00.000Z')); // a checkpoint in transit
    writeModel(models, 'broken', '{ not json');
    mkdirSync(join(models, 'empty'));
  });
  after(() => rmSync(join(models, '..'), { recursive: true, force: true }));

  it('lists the readable model folders, newest first', async () => {
    assert.deepEqual(
      (await listModels(models)).map((m) => m.name),
      ['tiles', 'brains'],
    );
    assert.deepEqual(await listModels(join(models, 'missing')), []);
  });

  it('sorts by creation time, then by name', () => {
    const entry = (name: string, created: string): ModelEntry => ({ dir: `/m/${name}`, name, manifest: manifest(created) });
    const sorted = sortModels([entry('b', '2026-01-01T00:00:00Z'), entry('c', '2026-02-01T00:00:00Z'), entry('a', '2026-01-01T00:00:00Z')]);
    assert.deepEqual(
      sorted.map((e) => e.name),
      ['c', 'a', 'b'],
    );
  });

  it('names the preset a configuration matches, optional fields at their defaults included', () => {
    assert.equal(presetOf({ ...PRESETS['cpu-small'].config, codebookUpdate: 'loss', batchNorm: false }), 'cpu-small');
    assert.equal(presetOf(PRESETS['gangloff-paper'].config), 'gangloff-paper');
    assert.equal(presetOf({ ...PRESETS['cpu-small'].config, codebookSize: 64 }), undefined);
    assert.equal(configSummary({ ...PRESETS['cpu-small'].config, codebookSize: 64 }), 'custom · 64×64 input, channels 32-64, codebook 64×64');
  });

  it('deletes a model folder of the models folder', async () => {
    const dir = writeModel(models, 'doomed', manifest('2026-01-01T00:00:00Z'));
    await deleteModelFolder(models, dir);
    assert.equal(existsSync(dir), false);
  });

  it('refuses to delete the models folder, folders outside it, nested folders and folders without a manifest', async () => {
    const outside = writeModel(join(models, '..'), 'elsewhere', manifest('2026-01-01T00:00:00Z'));
    const nested = writeModel(join(models, 'brains'), 'inner', manifest('2026-01-01T00:00:00Z'));
    for (const dir of [models, outside, join(models, 'brains', '..', '..', 'elsewhere'), nested, join(models, 'empty'), join(models, 'broken')]) {
      await assert.rejects(deleteModelFolder(models, dir), /Refusing to delete/, dir);
    }
    for (const dir of [outside, nested, join(models, 'empty'), join(models, 'broken')]) assert.ok(existsSync(dir), `${dir} was kept`);
  });
});

describe('model details page', () => {
  it('shows the configuration, the training summary, the losses per epoch and the codebook usage', () => {
    const page = modelDetailsMarkdown('/ws/.anomaly-models/brains', manifest('2026-01-02T10:00:00.000Z', { name: 'brains' }));
    assert.match(page, /^# Model brains\n/);
    assert.match(page, /Configuration: cpu-small · 64×64 input, channels 32-64, codebook 128×64/);
    assert.match(page, /Codebook usage: 87 of 128 codes/);
    assert.match(page, /\| inputSize \| 64 \|\n\| channels \| 32, 64 \|/, 'the configuration in the manifest’s order');
    assert.match(page, /2 epochs in 12 s, final loss 0\.1250, best epoch 2/);
    assert.match(page, /\| augment \| flip false, rotationDegrees 0/);
    assert.match(page, /\| 1 \| 0\.5000 \| 0\.7500 \|\n\| 2 \| 0\.1250 \| 0\.2500 \|/);
    assert.doesNotMatch(page, /\| lossHistory \|/, 'the history is the loss table, not a setting');
    assert.match(page, /Health: not recorded/);
    assert.match(page, /Normal range: none \(no validation files/);
    const ranged = modelDetailsMarkdown('/ws/m', {
      ...manifest('2026-01-02T10:00:00.000Z'),
      normalScores: { image: { scores: [0.01, 0.02, 0.035], postProcessing: POST_PROCESSING_OFF } },
    });
    assert.match(ranged, /\n- Normal range: 3 normal images scoring 0\.0100 to 0\.0350\n/);
  });

  it('shows the health check, and its problems in bold', () => {
    const health = modelHealth({ reconstructionL1: 0.06, constantL1: 0.08, codesInUse: 5, codebookSize: 128, checkedOn: 'validation' });
    const page = modelDetailsMarkdown('/ws/m', { ...manifest('2026-01-02T10:00:00.000Z'), health });
    assert.match(
      page,
      /Health: \*\*the model barely reconstructs: its L1 error 0\.0600 is 0\.75 of a constant image's .*; the codebook collapsed: 5 of 128 codes in use/,
    );
    assert.match(page, /\(L1 0\.0600 on validation images vs 0\.0800 for the best constant image, 5 of 128 codes in use\)/);
    const healthy = modelHealth({ reconstructionL1: 0.02, constantL1: 0.08, codesInUse: 100, codebookSize: 128, checkedOn: 'training' });
    assert.match(
      modelDetailsMarkdown('/ws/m', { ...manifest('2026-01-02T10:00:00.000Z'), health: healthy }),
      /Health: healthy \(L1 0\.0200 on training images/,
    );
  });
});
