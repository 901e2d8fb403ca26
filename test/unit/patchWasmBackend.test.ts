// The build's patch of tfjs-backend-wasm for threads in Node (scripts/patchWasmBackend.mjs): it accepts only
// the pinned bundle, finds each of its patterns exactly once, and writes scripts that Node can parse.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { THREADED_WASM_FILES } from '../../models/runtime/wasmThreads';
import { patchWasmBackend, PINNED_SHA256, PINNED_VERSION, readPinnedBundle, replaceOnce } from '../../scripts/patchWasmBackend.mjs';

const wasmPackage = createRequire(join(process.cwd(), 'package.json')).resolve('@tensorflow/tfjs-backend-wasm');

test('the installed tfjs-backend-wasm is the pinned one (an upgrade must re-check the patches)', () => {
  const { version } = JSON.parse(readFileSync(join(wasmPackage, '../../package.json'), 'utf8')) as { version: string };
  assert.equal(version, PINNED_VERSION);
  assert.equal(createHash('sha256').update(readFileSync(wasmPackage)).digest('hex'), PINNED_SHA256);
});

test('every patch applies to the pinned bundle, and the three scripts parse', () => {
  const files = patchWasmBackend(readPinnedBundle());
  // The files the run time looks for.
  assert.deepEqual(Object.keys(files).sort(), [...THREADED_WASM_FILES].sort());
  for (const [name, text] of Object.entries(files))
    assert.doesNotThrow(() => new Script(`(function (require, module, exports, __dirname, __filename) {${text}\n})`), name);
  const backend = files['wasm-threaded-backend.js'];
  // No Blob is made for the pthreads any more; the scripts are taken from files beside the backend.
  assert.ok(!backend.includes('new Blob('), 'the backend still makes a Blob');
  assert.ok(backend.includes("require$$1.join(__dirname, 'wasm-threaded-pthread.js')"));
  assert.ok(backend.includes("require$$1.join(__dirname, 'wasm-threaded-factory.js')"));
  assert.ok(files['wasm-threaded-factory.js'].includes('var pthreadPoolSize = Module["threadsCount"] || 8;'));
  assert.ok(files['wasm-threaded-pthread.js'].includes('self.WasmBackendModuleThreadedSimd=require(e.data.urlOrBlob)'));
});

test('a pattern that is missing or repeated stops the patch, naming it', () => {
  assert.equal(replaceOnce('a b c', 'b', 'B', 'the b'), 'a B c');
  assert.throws(() => replaceOnce('a c', 'b', 'B', 'the b'), /the pattern for "the b" is not in the bundle/);
  assert.throws(() => replaceOnce('b b', 'b', 'B', 'the b'), /the pattern for "the b" occurs more than once/);
  const changed = readPinnedBundle().replace('var pthreadPoolSize = 8;', 'var pthreadPoolSize = 4;');
  assert.throws(() => patchWasmBackend(changed), /the pthread pool size, fixed at 8 in the build/);
});
