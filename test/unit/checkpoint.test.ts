// The model folder: save -> load round trip, atomic replacement, and the refusals of damaged folders.

import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { BadInputError } from '../../models/io/errors';
import { selectBackend } from '../../models/runtime/backend';
import { loadModel, saveModel, type ModelManifest } from '../../models/vqvae/checkpoint';
import type { VqVaeConfig } from '../../models/vqvae/config';
import { VqVae } from '../../models/vqvae/model';

const TINY: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0.1 };
const root = mkdtempSync(join(tmpdir(), 'vqvae-checkpoint-'));

before(async () => {
  await selectBackend('wasm');
});
after(() => rmSync(root, { recursive: true, force: true }));

function manifestFields(epochsCompleted: number): Omit<ModelManifest, 'format' | 'version' | 'weightsManifest'> {
  return {
    name: 'tiny',
    created: '2025-01-02T03:04:05.000Z',
    backend: 'cpu',
    config: TINY,
    training: { epochs: 3, batchSize: 4, learningRate: 1e-3, seed: 5, epochsCompleted, finalLoss: 0.125, lossHistory: [0.5, 0.125], seconds: 1.5 },
    normalization: 'percentile-0.5-99.5',
    data: { folder: '/data/train', files: 2, images: 20, skipped: 1 },
    codebookUsage: 6,
  };
}

const reconstruct = (model: VqVae, x: tf.Tensor4D): Float32Array => tf.tidy(() => model.forward(x).reconstruction.dataSync() as Float32Array);

test('save then load gives bit-identical reconstructions and the same manifest', async () => {
  const dir = join(root, 'roundtrip');
  const model = VqVae.create(TINY, 11);
  await saveModel(dir, model, manifestFields(2));
  const { model: loaded, manifest } = await loadModel(dir);

  const x = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  assert.deepEqual(reconstruct(loaded, x), reconstruct(model, x));
  assert.deepEqual(manifest, {
    format: 'vq-anomaly-model',
    version: 1,
    ...manifestFields(2),
    weightsManifest: manifest.weightsManifest,
  });
  assert.deepEqual(
    manifest.weightsManifest.map((w) => w.name),
    Object.keys(model.getWeights()),
  );
  assert.deepEqual(await fs.readdir(dir), ['manifest.json', 'weights.bin']);
  [model, loaded].forEach((m) => m.dispose());
});

test('saving over a model replaces it and leaves no temporary or old folders', async () => {
  const dir = join(root, 'replaced');
  const first = VqVae.create(TINY, 1);
  const second = VqVae.create(TINY, 2);
  // A temporary folder left by a crashed save of this process must not get in the way.
  await fs.mkdir(`${dir}.tmp-${process.pid}`);
  await fs.writeFile(join(`${dir}.tmp-${process.pid}`, 'weights.bin'), 'half written');
  await saveModel(dir, first, manifestFields(1));
  await saveModel(dir, second, manifestFields(2));

  const { model: loaded, manifest } = await loadModel(dir);
  assert.equal(manifest.training.epochsCompleted, 2);
  assert.deepEqual(loaded.getWeights()['quantizer/codebook'].dataSync(), second.getWeights()['quantizer/codebook'].dataSync());
  assert.deepEqual(
    (await fs.readdir(root)).filter((name) => name.startsWith('replaced')),
    ['replaced'],
  );
  [first, second, loaded].forEach((m) => m.dispose());
});

/** A saved model folder whose file `name` is then changed by `damage`. */
async function damagedModel(folder: string, name: string, damage: (content: Buffer) => string | Buffer): Promise<string> {
  const dir = join(root, folder);
  const model = VqVae.create(TINY, 1);
  await saveModel(dir, model, manifestFields(1));
  model.dispose();
  const file = join(dir, name);
  await fs.writeFile(file, damage(await fs.readFile(file)));
  return dir;
}

/** Asserts that loading `dir` fails with a BadInputError naming the folder and matching `pattern`. */
async function assertRefused(dir: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadModel(dir), (error: Error) => {
    assert.ok(error instanceof BadInputError, `${error.name}: ${error.message}`);
    assert.ok(error.message.includes(dir), `names the folder: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test('a folder without a manifest is refused as "not a model folder"', async () => {
  const dir = join(root, 'empty');
  await fs.mkdir(dir);
  await assertRefused(dir, /is not a model folder: manifest.json cannot be read/);
});

test('a manifest of another format or version is refused', async () => {
  const otherFormat = await damagedModel('other-format', 'manifest.json', (c) => c.toString().replace('"vq-anomaly-model"', '"keras"'));
  await assertRefused(otherFormat, /not a VQ anomaly model manifest \(format is "keras"/);
  const newer = await damagedModel('newer', 'manifest.json', (c) => c.toString().replace('"version": 1', '"version": 2'));
  await assertRefused(newer, /has version 2; this version of the extension reads version 1/);
  const notJson = await damagedModel('not-json', 'manifest.json', () => '{ "format": ');
  await assertRefused(notJson, /manifest.json is not valid JSON/);
});

test('a truncated weights.bin is refused with both byte counts', async () => {
  const dir = await damagedModel('truncated', 'weights.bin', (c) => c.subarray(0, c.length - 4));
  const { weightsManifest } = JSON.parse(await fs.readFile(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
  const expected = weightsManifest.reduce((sum, w) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  await assertRefused(dir, new RegExp(`has ${expected - 4} bytes, but manifest.json describes ${expected}`));
});

test('weights that do not fit the configuration in the manifest are refused', async () => {
  const dir = await damagedModel('misfit', 'manifest.json', (c) => c.toString().replace('"codebookSize": 8', '"codebookSize": 16'));
  await assertRefused(dir, /does not fit.*'quantizer\/codebook' has shape \[8,4\], the model's is \[16,4\]/);
});
