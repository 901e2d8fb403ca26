// When the wasm backend's threads cannot start (here: a pthread script that throws as it loads), the backend
// starts on one thread, says why in the log, and computes (models/runtime/wasmThreads.ts). Its own file:
// each process loads the wasm package once.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { startWasmBackend, THREADED_WASM_FILES } from '../../models/runtime/wasmThreads';

// Inside the repository, so that the copied backend finds @tensorflow/tfjs-core in its node_modules.
mkdirSync('out', { recursive: true });
const folder = mkdtempSync(join('out', 'wasm-threads-broken-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('a pthread that fails to load makes the backend start on one thread, with the reason logged', async () => {
  for (const name of THREADED_WASM_FILES) copyFileSync(join(__dirname, name), join(folder, name));
  writeFileSync(join(folder, 'wasm-threaded-pthread.js'), "throw new Error('forced pthread failure');\n");
  const lines: string[] = [];
  const threads = await startWasmBackend(2, (line) => lines.push(line), folder);
  assert.equal(threads, 1);
  assert.deepEqual(lines, ['backend wasm: 2 threads could not start (Error: forced pthread failure), falling back to one thread']);
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(Array.from(tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2)).dataSync()), [1, 2, 3, 4]);
});
