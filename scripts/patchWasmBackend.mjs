// The threaded WebAssembly backend for Node: tfjs-backend-wasm 4.22.0 runs its threaded-SIMD build only in
// browsers (tfjs issue 3830) because it hands Emscripten Blob URLs for the pthread script and the main script,
// and its Node bundle never reports thread support. This writes, from the pinned bundle and with exact
// find/replace patches (a pattern that is not found exactly once stops the build), three files beside the
// Node bundles that load them (models/runtime/threadedWasm.ts):
//   wasm-threaded-backend.js  the backend, which takes the two scripts below as file paths, sizes Emscripten's
//                             pthread pool to the thread count of setThreadsCount (not 8), lets the C++ side use
//                             that many (it would take half the cores) and never lets the pthreads keep the
//                             process alive;
//   wasm-threaded-factory.js  the Emscripten module of the threaded build as a CommonJS module, loaded by the
//                             backend and by each pthread (which must not load tfjs);
//   wasm-threaded-pthread.js  Emscripten's pthread script, which loads the factory with require().
// The .wasm binaries stay in node_modules (the backend is told where with setWasmPaths).
// esbuild.mjs calls writeThreadedWasmBackend for each Node bundle folder (run from the repository root).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The bundle the patches are written against; any other (an upgrade) must be re-checked by hand. */
export const PINNED_VERSION = '4.22.0';
export const PINNED_SHA256 = '296e0807192bf27c560eab3fadca612655ef94e7af550f737b03ddb11af3c6ce';

export const BACKEND_FILE = 'wasm-threaded-backend.js';
export const FACTORY_FILE = 'wasm-threaded-factory.js';
export const PTHREAD_FILE = 'wasm-threaded-pthread.js';

// From the repository root, where the build runs (no import.meta: the unit tests bundle this file as CommonJS).
const requireHere = createRequire(join(process.cwd(), 'package.json'));

/** The pinned Node bundle of tfjs-backend-wasm; throws when the installed one is another. */
export function readPinnedBundle() {
  const path = requireHere.resolve('@tensorflow/tfjs-backend-wasm');
  const source = readFileSync(path, 'utf8');
  const sha256 = createHash('sha256').update(source).digest('hex');
  if (sha256 !== PINNED_SHA256) {
    throw new Error(`${path} is not the pinned tfjs-backend-wasm ${PINNED_VERSION} (sha256 ${sha256}): re-check scripts/patchWasmBackend.mjs against it`);
  }
  return source;
}

/** `text` with `find` (which must occur exactly once) replaced; `what` names the patch in the error. */
export function replaceOnce(text, find, replacement, what) {
  const first = text.indexOf(find);
  if (first < 0) throw new Error(`patchWasmBackend: the pattern for "${what}" is not in the bundle`);
  if (text.indexOf(find, first + 1) >= 0) throw new Error(`patchWasmBackend: the pattern for "${what}" occurs more than once`);
  return text.slice(0, first) + replacement + text.slice(first + find.length);
}

/** The text from `start` (which must occur exactly once) through the first `end` after it. */
function sliceBetween(text, start, end, what) {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0 || text.indexOf(start, from + 1) >= 0) {
    throw new Error(`patchWasmBackend: the start of "${what}" is not in the bundle exactly once, or its end not after it`);
  }
  return text.slice(from, to + end.length);
}

// The threaded Emscripten module, an IIFE that fills tfjsBackendWasmThreadedSimd$1.exports.
const FACTORY_START = 'var tfjsBackendWasmThreadedSimd$1 = { exports: {} };';
const FACTORY_END = '}(tfjsBackendWasmThreadedSimd$1));';
// The tslib helpers the module uses (__values, __read, __spreadArray, consecutive at the bundle's top).
const HELPERS_START = 'function __values(o) {';
const HELPERS_END = 'return to.concat(ar || Array.prototype.slice.call(from));\n}';
// The pthread script, a string literal on one line.
const PTHREAD_START = 'var wasmWorkerContents = ';

/** The three files' texts, from the pinned bundle's source. */
export function patchWasmBackend(source) {
  const factoryBlock = sliceBetween(source, FACTORY_START, FACTORY_END, 'the threaded module');
  const helpers = sliceBetween(source, HELPERS_START, HELPERS_END, 'the tslib helpers');
  const pthreadLine = sliceBetween(source, PTHREAD_START, '";\n', 'the pthread script');
  // As the backend does before making its Blob: the script's one string literal "\n" must stay escaped.
  const pthreadSource = JSON.parse(pthreadLine.slice(PTHREAD_START.length, -2)).replace(/\n/g, '\\n');

  // Module["threadsCount"] is the backend's setThreadsCount (unset: the build's own behaviour).
  let factory = replaceOnce(
    factoryBlock,
    'var pthreadPoolSize = 8;',
    'var pthreadPoolSize = Module["threadsCount"] || 8;',
    'the pthread pool size, fixed at 8 in the build',
  );
  // The C++ side caps its thread count at half the logical cores (it assumes two per core) and at 8.
  factory = replaceOnce(
    factory,
    'function _emscripten_num_logical_cores() { if (ENVIRONMENT_IS_NODE)',
    'function _emscripten_num_logical_cores() { if (Module["threadsCount"])\n                return 2 * Module["threadsCount"]; if (ENVIRONMENT_IS_NODE)',
    'the logical core count',
  );
  // Emscripten refs a worker while its pthread runs; XNNPACK's pool threads run for the process' life.
  factory = replaceOnce(
    factory,
    'worker.runPthread = function () { if (ENVIRONMENT_IS_NODE) {\n                worker.ref();\n            } worker.postMessage',
    'worker.runPthread = function () { worker.postMessage',
    'the ref() of a running pthread, which would keep Node alive',
  );
  // A pthread that fails to start (its script missing or throwing) would throw on the main thread and kill the
  // process: before the module runs, it rejects the start instead, which the caller answers with one thread.
  factory = replaceOnce(
    factory,
    'err(message + " " + e.filename + ":" + e.lineno + ": " + e.message); throw e; };',
    'err(message + " " + e.filename + ":" + e.lineno + ": " + e.message); if (!calledRun) {\n                        PThread.terminateAllThreads();\n                        readyPromiseReject(e);\n                        return;\n                    } throw e; };',
    'a pthread error during the start',
  );
  const factoryFile = [
    `// Generated by scripts/patchWasmBackend.mjs from @tensorflow/tfjs-backend-wasm ${PINNED_VERSION} (Apache-2.0): its threaded-SIMD module.`,
    "'use strict';",
    "var require$$0 = require('fs');",
    "var require$$1 = require('path');",
    "var require$$3 = require('perf_hooks');",
    "var require$$4 = require('os');",
    'var commonjsGlobal = globalThis;',
    helpers,
    factory,
    'module.exports = tfjsBackendWasmThreadedSimd$1.exports;',
    '',
  ].join('\n');

  const pthreadFile = replaceOnce(
    pthreadSource,
    'importScripts(e.data.urlOrBlob)}else{',
    'self.WasmBackendModuleThreadedSimd=require(e.data.urlOrBlob)}else{',
    'the pthread loading the main script',
  );

  let backend = replaceOnce(source, factoryBlock, `var tfjsBackendWasmThreadedSimd$1 = { exports: require('./${FACTORY_FILE}') };`, 'the threaded module');
  backend = replaceOnce(backend, pthreadLine, '', 'the pthread script');
  backend = replaceOnce(
    backend,
    "var response = wasmWorkerContents.replace(/\\n/g, '\\\\n');\n" +
      "                                    var blob = new Blob([response], { type: 'application/javascript' });\n" +
      '                                    return URL.createObjectURL(blob);',
    `return require$$1.join(__dirname, '${PTHREAD_FILE}');`,
    'the Blob URL of the pthread script',
  );
  backend = replaceOnce(
    backend,
    'factoryConfig.mainScriptUrlOrBlob = new Blob(["var WasmBackendModuleThreadedSimd = " +\n' +
      "                                        wasmFactoryThreadedSimd.toString()], { type: 'text/javascript' });",
    `factoryConfig.mainScriptUrlOrBlob = require$$1.join(__dirname, '${FACTORY_FILE}');`,
    'the Blob of the main script',
  );
  backend = replaceOnce(
    backend,
    'var factoryConfig = {};',
    'var factoryConfig = { threadsCount: threadsCount > 0 ? threadsCount : undefined };',
    'the factory configuration',
  );
  const banner = `// Generated by scripts/patchWasmBackend.mjs from @tensorflow/tfjs-backend-wasm ${PINNED_VERSION} (Apache-2.0), threads in Node.\n`;
  return { [BACKEND_FILE]: banner + backend, [FACTORY_FILE]: factoryFile, [PTHREAD_FILE]: pthreadFile };
}

/** Writes the three files into `outdir`. */
export function writeThreadedWasmBackend(outdir) {
  mkdirSync(outdir, { recursive: true });
  for (const [name, text] of Object.entries(patchWasmBackend(readPinnedBundle()))) writeFileSync(join(outdir, name), text);
}
