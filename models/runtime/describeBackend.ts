// Human-readable text for a backend, for the status bar and the log. Free of tfjs, so the extension host can
// use it on the BackendInfo the worker reports without loading tfjs.
import type { BackendInfo, BackendName } from './backendNames';

const WHAT_IT_RUNS_ON: Record<BackendName, string> = {
  'tensorflow-gpu': 'native TensorFlow, CUDA GPU',
  tensorflow: 'native TensorFlow, CPU',
  webgpu: 'WebGPU, GPU',
  wasm: 'WebAssembly, CPU',
  cpu: 'plain JavaScript, CPU, very slow to train',
};

/** E.g. "wasm (WebAssembly, CPU, 4 threads)". */
export function describeBackend(info: Pick<BackendInfo, 'name' | 'threads'>): string {
  const threads = info.threads === undefined ? '' : `, ${info.threads} ${info.threads === 1 ? 'thread' : 'threads'}`;
  return `${info.name} (${WHAT_IT_RUNS_ON[info.name]}${threads})`;
}
