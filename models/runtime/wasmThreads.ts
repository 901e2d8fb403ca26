// The WebAssembly backend on several threads in Node: tfjs-backend-wasm's threaded-SIMD build, its pthreads
// on worker_threads, from the patched copy that scripts/patchWasmBackend.mjs writes beside each Node bundle
// (wasm-threaded-*.js); the thread count comes from ./wasmThreadCount.ts. One thread runs the SIMD build
// without pthreads. When the threaded start fails the backend starts on one thread and the log says why;
// when the patched copy is missing, the stock package runs on one thread (it never starts threads in Node).
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { requireFile, requirePackage, resolvePackage } from './loadPackage';

/** What scripts/patchWasmBackend.mjs writes; the first is the backend, which loads the other two. */
export const THREADED_WASM_FILES = ['wasm-threaded-backend.js', 'wasm-threaded-factory.js', 'wasm-threaded-pthread.js'] as const;

/** tfjs' priority for 'wasm' (as the package registers it), kept when the backend is registered again. */
const WASM_PRIORITY = 2;

/** The part of the backend package used here. */
export interface WasmBackendPackage {
  setWasmPaths(prefix: string): void;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
}

/** The loaded package (one per process: each registers 'wasm') and whether it can run threads. */
let loaded: { backend: WasmBackendPackage; threaded: boolean } | undefined;
/** The threads of the running wasm backend, when it runs. */
let runningThreads: number | undefined;

/**
 * Loads the wasm backend package once per process (which registers 'wasm' and its kernels with tfjs) without
 * starting it: the threaded build from `folder` (default: beside this bundle), or the stock package when that
 * is missing. Never load '@tensorflow/tfjs-backend-wasm' beside it: tfjs keeps the first 'wasm' registered.
 */
export function loadWasmBackend(log: (line: string) => void = () => {}, folder: string = __dirname): { backend: WasmBackendPackage; threaded: boolean } {
  if (loaded) return loaded;
  const missing = THREADED_WASM_FILES.filter((name) => !existsSync(join(folder, name)));
  if (missing.length > 0) {
    log(`backend wasm: the threaded build is missing (${missing.join(', ')} in ${folder}), one thread`);
    loaded = { backend: requirePackage('@tensorflow/tfjs-backend-wasm') as WasmBackendPackage, threaded: false };
  } else {
    const backend = requireFile(resolve(folder, THREADED_WASM_FILES[0])) as WasmBackendPackage;
    // The .wasm binaries stay in the package's dist/.
    backend.setWasmPaths(dirname(resolvePackage('@tensorflow/tfjs-backend-wasm')) + sep);
    loaded = { backend, threaded: true };
  }
  return loaded;
}

/**
 * tf.setBackend('wasm') on `threads` threads; on failure the reason tfjs gives (it only warns it, which this
 * keeps off the console). A backend running on another count is disposed and started afresh.
 */
async function startOn(backend: WasmBackendPackage, threads: number): Promise<{ started: boolean; reason: string }> {
  if (runningThreads !== undefined && runningThreads !== threads) {
    const factory = tf.findBackendFactory('wasm');
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', factory, WASM_PRIORITY);
    runningThreads = undefined;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  backend.setThreadsCount(threads);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  let started: boolean;
  try {
    started = await tf.setBackend('wasm');
  } finally {
    console.warn = warn;
  }
  if (started) runningThreads = threads;
  // tfjs warns "Initialization of backend wasm failed", then the error's stack.
  const reason = warnings.slice(1).join(' ').split('\n')[0] || warnings.join(' ') || 'no reason given';
  return { started, reason };
}

/**
 * Loads the wasm backend and makes it tfjs' current one on `threads` threads (wasmThreadCount), or on one
 * when threads cannot start (logging why). Returns the threads it computes on; throws when even one fails.
 * `folder` holds the patched build (default: beside this bundle).
 */
export async function startWasmBackend(threads: number, log: (line: string) => void, folder: string = __dirname): Promise<number> {
  const { backend, threaded } = loadWasmBackend(log, folder);
  const wanted = threaded ? threads : 1;
  const first = await startOn(backend, wanted);
  if (first.started) return backend.getThreadsCount();
  if (wanted === 1) throw new Error(`tfjs could not initialize its 'wasm' backend: ${first.reason}`);
  log(`backend wasm: ${wanted} threads could not start (${first.reason}), falling back to one thread`);
  const single = await startOn(backend, 1);
  if (!single.started) throw new Error(`tfjs could not initialize its 'wasm' backend: ${single.reason}`);
  return backend.getThreadsCount();
}
