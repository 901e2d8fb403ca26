// Backend selection finds a native backend where the installer puts it (an extra node_modules folder),
// directly and through the model worker's `init`; without that folder it reports "not installed".
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { WorkerClient } from '../../extension/workerClient';
import { selectBackend } from '../../models/runtime/backend';
import { BadInputError } from '../../models/io/errors';
import { installFakeTfjsNode } from './nativeBackendFixtures';
import { builtBundle } from './workerFixtures';

const folder = mkdtempSync(join(tmpdir(), 'native-backend-'));
const nodeModules = installFakeTfjsNode(folder);
after(() => rmSync(folder, { recursive: true, force: true }));

test('without the extra module path, the tensorflow backend is "not installed"', async () => {
  await assert.rejects(selectBackend('tensorflow'), (error: Error) => {
    assert.ok(error instanceof BadInputError);
    assert.equal(error.message, "The forced tfjs backend 'tensorflow' cannot be used: @tensorflow/tfjs-node is not installed");
    return true;
  });
});

test('with the extra module path, the installed package is loaded and its backend selected', async () => {
  const lines: string[] = [];
  const info = await selectBackend('tensorflow', (line) => lines.push(line), { extraModulePaths: [nodeModules] });
  assert.deepEqual(info, { name: 'tensorflow', tfjsName: 'tensorflow', skipped: [] });
  assert.equal(tf.getBackend(), 'tensorflow');
  assert.deepEqual(lines, ['backend tensorflow: selected, tensorflow (native TensorFlow, CPU)']);
  assert.deepEqual(Array.from(tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync()), [4, 6]);
});

test('automatic selection skips the missing CUDA build and takes the installed CPU one', async () => {
  const info = await selectBackend('auto', () => {}, { extraModulePaths: [nodeModules] });
  assert.equal(info.name, 'tensorflow');
  assert.deepEqual(info.skipped, [{ name: 'tensorflow-gpu', reason: '@tensorflow/tfjs-node-gpu is not installed' }]);
});

test('the worker client passes its module paths in init, and a replaced worker chooses again', async () => {
  const client = new WorkerClient({
    workerPath: builtBundle('worker.js'),
    backendPreference: () => 'tensorflow',
    modulePaths: [nodeModules],
    log: () => {},
    onUnexpectedExit: () => {},
    onBackendChange: () => {},
  });
  try {
    assert.equal((await client.startedBackend()).name, 'tensorflow');
    const firstPid = client.pid();
    assert.equal(client.replaceWorker('a native TensorFlow backend was installed'), true);
    assert.equal(client.backend(), undefined);
    assert.equal((await client.startedBackend()).name, 'tensorflow');
    assert.notEqual(client.pid(), firstPid);
  } finally {
    client.dispose();
  }
});
