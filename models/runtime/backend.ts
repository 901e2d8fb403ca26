// Chooses the tfjs backend the models run on (../../docs/ml-runtime.md): the first of native TensorFlow on
// CUDA, native TensorFlow on the CPU, WebGPU, WebAssembly (on every core's thread, ./wasmThreads.ts, with rebuilt
// conv-gradient and matMul kernels) and plain JavaScript that loads and initializes, or only the one the user forced. The backend packages are optional
// and external to the bundle: they are looked up at run time (also in the node_modules folders given as
// `extraModulePaths`, where the extension installs the native backends), and a missing one means "not installed".
import * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import { BACKEND_ORDER, type BackendInfo, type BackendName, type BackendPreference } from './backendNames';
import { describeBackend } from './describeBackend';
import { registerGradients } from './gradients';
import { firstLine, importPackage, requirePackage } from './loadPackage';
import { registerWasmConvGradKernels } from './wasmConvGradKernels';
import { registerWasmMatMulKernel } from './wasmMatMulKernel';
import { hasVulkanLoader, VULKAN_LOADER } from './vulkanLoader';
import { wasmThreadCount } from './wasmThreadCount';
import { startWasmBackend } from './wasmThreads';
import { BadInputError } from '../io/errors';

/** The part of the `webgpu` package (Dawn for Node) used here. */
interface DawnPackage {
  create(options: string[]): { requestAdapter(): Promise<object | null> };
  /** GPUBufferUsage, GPUMapMode, GPUTextureUsage and the other WebGPU globals a browser has. */
  globals: object;
}

/** Exposes a WebGPU implementation as `navigator.gpu`, as in a browser (Node 20 has no `navigator` at all). */
function setNavigatorGpu(gpu: object): void {
  const scope = globalThis as { navigator?: object };
  if (scope.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  }
  Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
}

async function loadWebGpu(): Promise<string> {
  if (!hasVulkanLoader()) throw new Error(`no Vulkan loader (${VULKAN_LOADER}) on this machine: WebGPU needs a GPU with a Vulkan driver`);
  const dawn = (await importPackage('webgpu')) as DawnPackage;
  const gpu = dawn.create([]);
  // Checked here: without an adapter tfjs' webgpu backend fails only later, logging a bare TypeError as a warning.
  if ((await gpu.requestAdapter()) === null) throw new Error('no WebGPU adapter (needs a GPU with a Vulkan driver)');
  Object.assign(globalThis, dawn.globals);
  setNavigatorGpu(gpu);
  // It registers the 'webgpu' backend only if navigator.gpu exists when it loads.
  requirePackage('@tensorflow/tfjs-backend-webgpu');
  return 'webgpu';
}

/** What a loader needs: where else to look for packages, the wasm thread count and the log. */
interface LoadContext {
  extraModulePaths: readonly string[];
  wasmThreads: number;
  log: (line: string) => void;
}

/** Loads what each backend needs (which registers it with tfjs) and returns tfjs' name for it (and wasm's thread count). */
const LOADERS: Record<BackendName, (context: LoadContext) => Promise<{ tfjsName: string; threads?: number }>> = {
  // tfjs-node-gpu and tfjs-node both register a backend named 'tensorflow' (in the one tfjs engine that every
  // copy of tfjs-core shares, so also when they bring their own copy).
  'tensorflow-gpu': async ({ extraModulePaths }) => {
    requirePackage('@tensorflow/tfjs-node-gpu', extraModulePaths);
    return { tfjsName: 'tensorflow' };
  },
  tensorflow: async ({ extraModulePaths }) => {
    requirePackage('@tensorflow/tfjs-node', extraModulePaths);
    return { tfjsName: 'tensorflow' };
  },
  webgpu: async () => ({ tfjsName: await loadWebGpu() }),
  wasm: async ({ wasmThreads, log }) => {
    // Started here (it falls back to one thread itself); the kernels replace the stock ones it registered.
    const threads = await startWasmBackend(wasmThreads, log);
    registerWasmConvGradKernels();
    registerWasmMatMulKernel();
    return { tfjsName: 'wasm', threads };
  },
  cpu: async () => {
    requirePackage('@tensorflow/tfjs-backend-cpu');
    return { tfjsName: 'cpu' };
  },
};

/** Loads a backend and makes it tfjs' current one; throws with the reason when it cannot. */
async function activate(name: BackendName, context: LoadContext): Promise<{ tfjsName: string; threads?: number }> {
  const loaded = await LOADERS[name](context);
  // setBackend resolves to false when the backend's initialization failed (tfjs logs the cause as a warning).
  if (!(await tf.setBackend(loaded.tfjsName))) throw new Error(`tfjs could not initialize its '${loaded.tfjsName}' backend`);
  await tf.ready();
  return loaded;
}

/** Extra facts worth a log line: whether WebAssembly runs with SIMD instructions. */
async function performanceNote(name: BackendName): Promise<string> {
  if (name !== 'wasm') return '';
  return (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? ', SIMD on' : ', SIMD off';
}

export interface SelectBackendOptions {
  /** node_modules folders where backend packages are also looked for (after this code's own). */
  extraModulePaths?: readonly string[];
  /** Threads of the wasm backend: 0 or none = every core (capped, wasmThreads.ts wasmThreadCount). */
  wasmThreads?: number;
}

/**
 * Makes the preferred backend tfjs' current one and returns which it is. 'auto' tries BACKEND_ORDER and
 * takes the first that works, recording why each earlier one was skipped; a forced backend that does not
 * work throws an Error naming it and the reason. Logs one line per backend tried. Also registers the
 * gradient functions, so that training works on whichever backend is chosen.
 */
export async function selectBackend(
  preference: BackendPreference,
  log: (line: string) => void = () => {},
  options: SelectBackendOptions = {},
): Promise<BackendInfo> {
  registerGradients();
  const candidates: readonly BackendName[] = preference === 'auto' ? BACKEND_ORDER : [preference];
  const skipped: BackendInfo['skipped'] = [];
  const context: LoadContext = {
    extraModulePaths: options.extraModulePaths ?? [],
    wasmThreads: wasmThreadCount(options.wasmThreads, availableParallelism()),
    log,
  };
  for (const name of candidates) {
    let loaded: { tfjsName: string; threads?: number };
    try {
      loaded = await activate(name, context);
    } catch (error) {
      const reason = firstLine(error);
      // A forced backend is the user's setting: report it as bad input (their fix), never fall back silently.
      if (preference !== 'auto') throw new BadInputError(`The forced tfjs backend '${name}' cannot be used: ${reason}`);
      log(`backend ${name}: skipped, ${reason}`);
      skipped.push({ name, reason });
      continue;
    }
    const info: BackendInfo = { name, tfjsName: loaded.tfjsName, skipped, ...(loaded.threads === undefined ? {} : { threads: loaded.threads }) };
    log(`backend ${name}: selected, ${describeBackend(info)}${await performanceNote(name)}`);
    return info;
  }
  throw new Error(`No tfjs backend could be started: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}
